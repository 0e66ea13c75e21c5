#!/usr/bin/env python3
"""compare.py — compare the peer's recorded kexec_load with our --dry-run --json plan.

usage: compare.py --name NAME --root ROOT --peer PEERDIR --ours OURS.json

PEERDIR is what tests/diff/run-peer.sh recorded (manifest + seg<N>.bin) for
`kexec -c -p VMLINUZ --initrd=F --append=S` (Debian kexec-tools 2.0.25) on ROOT; OURS.json is
`kexec --root ROOT --dry-run --json -c -p VMLINUZ --initrd=F --append=S` of kexec-ng on the same
root. Python 3 stdlib only. Prints INFO lines, one DIFF-OK line per deliberate difference that
occurred, then `PASS: diff: NAME` or `FAIL: diff: NAME: <what>` (exit 0 / 1; 2 = bad input).

What is compared (all ranges half-open [start, end), compared as UNIONS of covered bytes, so a
different split/merge of the same bytes is not a difference):
  1. syscall/flags: ours must be kexec_load with the same KEXEC_ON_CRASH and arch bits
     (flags & 0xffff0001); extra flag bits are reported as INFO.
  2. kernel-text PT_LOAD: ours' first "loads" entry must equal the peer's PT_LOAD in the kernel
     text map (vaddr >= 0xffffffff80000000): same paddr, vaddr, size.
  3. direct map: every other PT_LOAD of ours must have vaddr - paddr equal to the peer's single
     direct-map offset (page_offset).
  4. dumped memory: union of the peer's memory PT_LOADs vs ours (kernel text excluded), after
     removing [0, 1 MiB) and the crash CMA ranges (see the table).
  5. kdump memory map, RAM: the peer's e820 RAM (type 1) from its boot_params segment
     (entries at 0x2d0, count at 0x1e8) with its own segment holes filled back in (its
     elfcorehdr and backup segments, [mem, mem+memsz)) vs our kdump_memmap "ram" with our
     elfcorehdr (and "backup"-role segment, if any) holes filled back in (and the CMA ranges
     removed). Separately, our RAM must not
     overlap our own elfcorehdr.
  6. kdump memory map, other types: per type (reserved 2, acpi 3, nvs 4, pmem 7, pram 12), union
     of the peer's entries vs ours.
  7. our command line's elfcorehdr= must point at our elfcorehdr segment (kexec_load only).
  8. every segment of ours lies inside the main (highest) "Crash kernel" region of ROOT's iomem
     (the kernel refuses crash segments outside crashk_res).

Deliberate differences (printed as DIFF-OK <reason> when they occur):
  LOW1M       The peer dumps RAM below 1 MiB (e.g. 0x1000-0x9fbff) through its backup-region
              copy; we leave [0, 1 MiB) out of the vmcore like the kernel's kexec_file_load
              does. [0, 1 MiB) is removed from both sides before check 4.
  BACKUP      The peer loads a 640K backup segment into the crash region and keeps it out of
              the kdump kernel's RAM; we have no backup segment. Check 5 fills each side's own
              segment holes back in before comparing.
  ELFCOREHDR  The elfcorehdr is placed and sized differently (ours has spare program-header
              slots); each side's own elfcorehdr hole is filled back in for check 5.
  SPLIT       The same bytes are covered by differently split or merged PT_LOADs / e820
              entries (checks 4-6 compare unions).
  PMEM        The peer passes persistent memory (e820 types 7 and 12, "Persistent Memory"
              and "Persistent Memory (legacy)") to the kdump kernel; we follow the kernel's own
              crash_setup_memmap_entries() (kexec_file_load), which passes only RAM below
              1 MiB, ACPI tables, ACPI NVS, e820-reserved ranges and the crash regions. The
              kdump kernel does not need pmem to write the dump.
  CMA         Crash CMA ranges (ROOT sys/kernel/kexec/crash_cma_ranges or
              sys/kernel/kexec_crash_cma_ranges): RAM for our kdump kernel, left out of our
              vmcore; the peer knows nothing of them. Removed from the peer's dumped memory and
              from our kdump RAM before checks 4 and 5.
"""
import argparse
import json
import os
import re
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
from rangeset import fmt, minus, norm, overlaps  # noqa: E402

MiB = 1 << 20
START_KERNEL_MAP = 0xffffffff80000000
E820_NAMES = {1: "ram", 2: "reserved", 3: "acpi", 4: "nvs", 5: "unusable", 7: "pmem", 12: "pram"}


def num(x):
    return int(x, 0) if isinstance(x, str) else int(x)


class Peer:
    def __init__(self, d):
        self.segs = []
        with open(os.path.join(d, "manifest")) as f:
            for l in f:
                w = l.split()
                if w[0] == "entry":
                    self.entry, self.flags = int(w[1], 16), int(w[5], 16)
                elif w[0] == "seg":
                    i = int(w[1])
                    data = open(os.path.join(d, "seg%d.bin" % i), "rb").read()
                    self.segs.append(dict(mem=int(w[3], 16), memsz=int(w[5], 16), data=data))
        self.ehdr = next((s for s in self.segs if s["data"][:4] == b"\x7fELF"
                          and struct.unpack_from("<H", s["data"], 16)[0] == 4), None)
        self.setup = next((s for s in self.segs if s["data"][0x202:0x206] == b"HdrS"), None)
        if not self.ehdr or not self.setup:
            raise SystemExit("compare: peer capture has no elfcorehdr or no boot_params segment")
        b = self.ehdr["data"]
        phoff, phnum = struct.unpack_from("<Q", b, 32)[0], struct.unpack_from("<H", b, 56)[0]
        self.loads, self.notes = [], 0
        for i in range(phnum):
            t, _, off, va, pa, fs, ms, _ = struct.unpack_from("<IIQQQQQQ", b, phoff + 56 * i)
            if t == 1:
                self.loads.append(dict(off=off, vaddr=va, paddr=pa, size=ms))
            elif t == 4:
                self.notes += 1
        sb = self.setup["data"]
        n = sb[0x1e8]
        self.e820 = [struct.unpack_from("<QQI", sb, 0x2d0 + 20 * i) for i in range(n)]
        self.e820 = [(a, a + s, t) for a, s, t in self.e820]
        cp = struct.unpack_from("<I", sb, 0x228)[0] | (struct.unpack_from("<I", sb, 0x0c8)[0] << 32)
        o = cp - self.setup["mem"]
        self.cmdline = sb[o:].split(b"\0")[0].decode(errors="replace") if 0 <= o < len(sb) else ""
        # the backup segment: where the peer's low-memory PT_LOAD points (p_offset)
        low = [l for l in self.loads if l["paddr"] < MiB and l["vaddr"] < START_KERNEL_MAP]
        self.backup = next((s for s in self.segs if low and s["mem"] == low[0]["off"]), None)


def parse_cmdline_addr(cmdline, key):
    m = re.search(r"(?:^|\s)%s=(\S+)" % re.escape(key), cmdline)
    if not m:
        return None
    v = m.group(1).split("@")[-1] if "@" in m.group(1) else m.group(1)
    mult = {"k": 1 << 10, "K": 1 << 10, "m": MiB, "M": MiB, "g": 1 << 30, "G": 1 << 30}
    if v[-1] in mult:
        return int(v[:-1], 0) * mult[v[-1]]
    return int(v, 0)


def read_ranges_file(path):
    out = []
    if os.path.exists(path):
        for l in open(path):
            l = l.strip()
            if l and "-" in l:
                s, e = l.split("-", 1)
                out.append((int(s, 16), int(e, 16) + 1))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--name", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--peer", required=True)
    ap.add_argument("--ours", required=True)
    a = ap.parse_args()
    name = a.name
    fails, diffok = [], []

    def fail(msg):
        fails.append(msg)
        print("MISMATCH %s" % msg)

    def ok(tag, msg):
        if tag not in diffok:
            diffok.append(tag)
        print("DIFF-OK %s: %s" % (tag, msg))

    peer = Peer(a.peer)
    try:
        ours = json.load(open(a.ours))
    except (OSError, ValueError) as e:
        print("FAIL: diff: %s: our --dry-run --json output is not JSON (%s)" % (name, e))
        return 1

    # ROOT facts
    crash = []
    for l in open(os.path.join(a.root, "proc/iomem")):
        m = re.match(r"^\s*([0-9a-fA-F]+)-([0-9a-fA-F]+) : Crash kernel\s*$", l)
        if m:
            crash.append((int(m.group(1), 16), int(m.group(2), 16) + 1))
    cma = norm(read_ranges_file(os.path.join(a.root, "sys/kernel/kexec/crash_cma_ranges")) +
               read_ranges_file(os.path.join(a.root, "sys/kernel/kexec_crash_cma_ranges")))

    print("INFO peer: %d segments, flags 0x%x, elfcorehdr 0x%x+0x%x (%d PT_LOAD, %d PT_NOTE), "
          "backup %s, cmdline %r" % (len(peer.segs), peer.flags, peer.ehdr["mem"], peer.ehdr["memsz"],
                                     len(peer.loads), peer.notes,
                                     "0x%x+0x%x" % (peer.backup["mem"], peer.backup["memsz"]) if peer.backup else "none",
                                     peer.cmdline[-60:]))
    try:
        o_sys = ours.get("syscall")
        o_flags = num(ours.get("flags", "0"))
        o_segs = [dict(role=s.get("role", "?"), mem=num(s["mem"]), memsz=num(s["memsz"])) for s in ours.get("segments", [])]
        o_map = [(num(m["start"]), num(m["end"]), m["type"]) for m in ours.get("kdump_memmap", [])]
        eh = ours.get("elfcorehdr") or {}
        o_eh = (num(eh["mem"]), num(eh["mem"]) + num(eh["memsz"])) if "mem" in eh else None
        o_loads = [dict(paddr=num(l["paddr"]), vaddr=num(l["vaddr"]), size=num(l["size"])) for l in eh.get("loads", [])]
        o_cmd = ours.get("cmdline", "")
    except (KeyError, ValueError, TypeError) as e:
        print("FAIL: diff: %s: our JSON lacks/garbles a field (%r)" % (name, e))
        return 1
    print("INFO ours: %s, %d segments, flags 0x%x, elfcorehdr %s (%d loads, phnum %s, capacity %s, spare %s)" % (
        o_sys, len(o_segs), o_flags, "0x%x+0x%x" % (o_eh[0], o_eh[1] - o_eh[0]) if o_eh else "none",
        len(o_loads), eh.get("phnum"), eh.get("capacity"), eh.get("spare")))

    # 1. syscall and flags
    if o_sys != "kexec_load":
        fail("syscall is %r, expected kexec_load (the diff runs ours with -c)" % o_sys)
    if (o_flags & 0xffff0001) != (peer.flags & 0xffff0001):
        fail("flags 0x%x vs peer 0x%x (KEXEC_ON_CRASH/arch bits)" % (o_flags, peer.flags))
    elif o_flags != peer.flags:
        print("INFO extra flag bits in ours: 0x%x" % (o_flags & ~peer.flags))
    if not o_loads:
        fail("our elfcorehdr has no loads")
        o_loads = [dict(paddr=0, vaddr=0, size=0)]

    # 2. kernel text
    p_text = [l for l in peer.loads if l["vaddr"] >= START_KERNEL_MAP]
    o_text = o_loads[0]
    if o_text["vaddr"] < START_KERNEL_MAP:
        fail("our first PT_LOAD (vaddr 0x%x) is not the kernel-text one" % o_text["vaddr"])
    elif p_text:
        t = p_text[0]
        if (t["paddr"], t["vaddr"], t["size"]) != (o_text["paddr"], o_text["vaddr"], o_text["size"]):
            fail("kernel-text PT_LOAD paddr/vaddr/size 0x%x/0x%x/0x%x vs peer 0x%x/0x%x/0x%x" % (
                o_text["paddr"], o_text["vaddr"], o_text["size"], t["paddr"], t["vaddr"], t["size"]))
    p_mem = [l for l in peer.loads if l["vaddr"] < START_KERNEL_MAP]
    o_mem = o_loads[1:]
    if any(l["vaddr"] >= START_KERNEL_MAP for l in o_mem):
        fail("ours has more than one kernel-text PT_LOAD")
        o_mem = [l for l in o_mem if l["vaddr"] < START_KERNEL_MAP]

    # 3. direct-map offset
    offs = sorted({(l["vaddr"] - l["paddr"]) & ((1 << 64) - 1) for l in p_mem})
    if len(offs) == 1:
        bad = [l for l in o_mem if (l["vaddr"] - l["paddr"]) & ((1 << 64) - 1) != offs[0]]
        if bad:
            fail("%d of our PT_LOADs have vaddr-paddr != page_offset 0x%x (first: paddr 0x%x vaddr 0x%x)" % (
                len(bad), offs[0], bad[0]["paddr"], bad[0]["vaddr"]))
    else:
        print("INFO peer direct-map offsets not unique: %s" % [hex(x) for x in offs])

    # 4. dumped memory
    low = [(0, MiB)]
    p_set = norm((l["paddr"], l["paddr"] + l["size"]) for l in p_mem)
    o_set = norm((l["paddr"], l["paddr"] + l["size"]) for l in o_mem)
    if overlaps(p_set, low) and not overlaps(o_set, low):
        ok("LOW1M", "peer dumps %s below 1 MiB (backup copy), ours leaves [0,1M) out" % fmt(minus(p_set, minus(p_set, low))))
    elif overlaps(o_set, low):
        print("INFO ours dumps memory below 1 MiB: %s" % fmt(minus(o_set, minus(o_set, low))))
    p_cmp, o_cmp = minus(p_set, low + cma), minus(o_set, low)
    if cma and overlaps(p_set, cma):
        ok("CMA", "crash CMA %s is in the peer's vmcore, not in ours" % fmt(cma))
    if overlaps(o_set, cma):
        fail("our vmcore PT_LOADs include crash CMA memory %s" % fmt(minus(o_set, minus(o_set, cma))))
    if p_cmp != o_cmp:
        fail("dumped memory differs: only peer %s; only ours %s" % (fmt(minus(p_cmp, o_cmp)), fmt(minus(o_cmp, p_cmp))))
    else:
        p_raw = sorted((l["paddr"], l["size"]) for l in p_mem if l["paddr"] >= MiB)
        o_raw = sorted((l["paddr"], l["size"]) for l in o_mem if l["paddr"] >= MiB)
        if p_raw != o_raw:
            ok("SPLIT", "same dumped bytes, PT_LOADs split differently (peer %d, ours %d)" % (len(p_raw), len(o_raw)))
    print("INFO dumped memory above 1 MiB: %s" % fmt(o_cmp, 12))

    # 5. kdump RAM
    p_ram = norm((s, e) for s, e, t in peer.e820 if t == 1)
    o_ram = norm((s, e) for s, e, t in o_map if t == "ram")
    p_holes = [(peer.ehdr["mem"], peer.ehdr["mem"] + peer.ehdr["memsz"])]
    if peer.backup:
        p_holes.append((peer.backup["mem"], peer.backup["mem"] + peer.backup["memsz"]))
        if minus([p_holes[-1]], p_ram) and not [s for s in o_segs if s["role"] == "backup"]:
            ok("BACKUP", "peer's backup segment 0x%x+0x%x is kept out of its kdump RAM; ours has none" % (
                peer.backup["mem"], peer.backup["memsz"]))
    o_holes = ([o_eh] if o_eh else []) + [(s["mem"], s["mem"] + s["memsz"]) for s in o_segs if s["role"] == "backup"]
    if o_eh and overlaps(o_ram, [o_eh]):
        fail("our kdump RAM includes our own elfcorehdr [0x%x-0x%x)" % o_eh)
    if o_eh and (o_eh[0], o_eh[1]) != p_holes[0]:
        ok("ELFCOREHDR", "elfcorehdr at 0x%x+0x%x (ours) vs 0x%x+0x%x (peer)" % (
            o_eh[0], o_eh[1] - o_eh[0], p_holes[0][0], p_holes[0][1] - p_holes[0][0]))
    # fill holes only where they sit inside crash regions (that is where segments are)
    p_full = norm(p_ram + minus(p_holes, minus(p_holes, crash)))
    o_full = norm(o_ram + minus(o_holes, minus(o_holes, crash)))
    if cma:
        if overlaps(o_full, cma):
            ok("CMA", "crash CMA %s is RAM for our kdump kernel only" % fmt(cma))
        o_full = minus(o_full, cma)
    if p_full != o_full:
        fail("kdump RAM differs: only peer %s; only ours %s" % (fmt(minus(p_full, o_full)), fmt(minus(o_full, p_full))))
    elif sorted((s, e) for s, e, t in peer.e820 if t == 1) != sorted((s, e) for s, e, t in o_map if t == "ram") \
            and not [d for d in diffok if d in ("BACKUP", "ELFCOREHDR", "CMA")]:
        ok("SPLIT", "same kdump RAM, entries split differently")
    print("INFO kdump RAM (holes filled): %s" % fmt(o_full, 12))

    # 6. other e820 types
    types = sorted({E820_NAMES.get(t, "type%d" % t) for s, e, t in peer.e820 if t != 1} |
                   {t for s, e, t in o_map if t != "ram"})
    for ty in types:
        ps = norm((s, e) for s, e, t in peer.e820 if E820_NAMES.get(t, "type%d" % t) == ty)
        os_ = norm((s, e) for s, e, t in o_map if t == ty)
        if ty in ("pmem", "pram") and ps and not os_:
            ok("PMEM", "peer passes %s %s to the kdump kernel; ours (like the kernel's) does not" % (ty, fmt(ps)))
            continue
        if ps != os_:
            fail("kdump memmap %r differs: only peer %s; only ours %s" % (ty, fmt(minus(ps, os_)), fmt(minus(os_, ps))))
    print("INFO kdump memmap types: %s" % ", ".join("%s %d" % (ty, len(norm((s, e) for s, e, t in o_map if t == ty)))
                                                   for ty in ["ram"] + types))

    # 7. elfcorehdr= on our command line
    if o_sys == "kexec_load" and o_eh:
        v = parse_cmdline_addr(o_cmd, "elfcorehdr")
        if v is None:
            fail("our command line has no elfcorehdr=")
        elif v != o_eh[0]:
            fail("our elfcorehdr= is 0x%x but the elfcorehdr segment is at 0x%x" % (v, o_eh[0]))
        eseg = [s for s in o_segs if s["role"] == "elfcorehdr"]
        if eseg and eseg[0]["mem"] != o_eh[0]:
            fail("our elfcorehdr segment (0x%x) and elfcorehdr.mem (0x%x) differ" % (eseg[0]["mem"], o_eh[0]))

    # 8. our segments inside the main crash region
    if crash:
        main_r = crash[-1]
        out = [s for s in o_segs if not (main_r[0] <= s["mem"] and s["mem"] + s["memsz"] <= main_r[1])]
        if out:
            fail("segment(s) outside the main Crash kernel region [0x%x-0x%x): %s" % (
                main_r[0], main_r[1], ", ".join("%s 0x%x+0x%x" % (s["role"], s["mem"], s["memsz"]) for s in out)))

    if fails:
        print("FAIL: diff: %s: %s" % (name, "; ".join(fails)))
        return 1
    print("PASS: diff: %s%s" % (name, " (deliberate: %s)" % ", ".join(diffok) if diffok else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
