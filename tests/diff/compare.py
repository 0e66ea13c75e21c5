#!/usr/bin/env python3
"""compare.py — compare the peer's recorded kexec_load with ours, byte for byte where it matters.

usage: compare.py --name NAME --root ROOT --peer PEERDIR --ours OURS.json --ours-segs OURSDIR
                  [--initrd INITRD] [--append APPEND]

PEERDIR is what tests/diff/run-peer.sh recorded (manifest + seg<N>.bin) for
`kexec -c -p VMLINUZ --initrd=F --append=S` (Debian kexec-tools 2.0.25) on ROOT; OURSDIR is what
`kexec --root ROOT --dry-run --dump-segments OURSDIR --json -c -p VMLINUZ --initrd=F --append=S`
of kexec-ng wrote for the same arguments, OURS.json its plan. Both segment dumps are decoded by
the same code (tests/tools/segments.py: boot_params, e820 + SETUP_E820_EXT, command line,
ramdisk fields, ELF core header); the plan JSON is only used for the syscall it names and
checked against our bytes (elfcorehdr and kdump_memmap). Python 3 stdlib only. Prints INFO
lines, one DIFF-OK line per deliberate difference that occurred, then `PASS: diff: NAME` or
`FAIL: diff: NAME: <what>` (exit 0 / 1; 2 = bad input).

What is compared (all ranges half-open [start, end), compared as UNIONS of covered bytes, so a
different split/merge of the same bytes is not a difference):
  1. syscall/flags: ours must be kexec_load with the same KEXEC_ON_CRASH and arch bits
     (flags & 0xffff0001); extra flag bits are reported as INFO.
  2. kernel-text PT_LOAD: our first PT_LOAD must equal the peer's PT_LOAD in the kernel text
     map (vaddr >= 0xffffffff80000000): same paddr, vaddr, size.
  3. direct map: every other PT_LOAD of ours must have vaddr - paddr equal to the peer's single
     direct-map offset (page_offset).
  4. dumped memory: union of the peer's memory PT_LOADs vs ours (kernel text excluded), after
     removing [0, 1 MiB) and the crash CMA ranges (see the table).
  5. kdump memory map, RAM: the e820 RAM (type 1) each side's boot_params bytes give the kdump
     kernel (boot_params table and SETUP_E820_EXT), each with its own segment holes filled back
     in (its elfcorehdr and backup segments, [mem, mem+memsz)), ours with the CMA ranges removed.
     Separately, our RAM must not overlap our own elfcorehdr.
  6. kdump memory map, other types: per type (reserved 2, acpi 3, nvs 4, unusable 5, pmem 7,
     pram 12), union of the peer's e820 entries vs ours.
  7. ramdisk: on both sides ramdisk_size is the size of INITRD and ramdisk_image points at a
     segment that starts with INITRD's bytes.
  8. command line (at cmd_line_ptr, both sides): the same words in the same order once the
     ELFCOREHDR_ARG and ACPI_RSDP words below are set aside; each side's elfcorehdr= is its own
     elfcorehdr segment's address; without --append, only this last part.
  9. type_of_loader is the same byte; the setup_data types on each side are printed (INFO).
 10. every segment of ours lies inside the main (highest) "Crash kernel" region of ROOT's iomem
     (the kernel refuses crash segments outside crashk_res).
 11. our plan JSON describes our bytes: its elfcorehdr address and loads, its kdump_memmap.

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
  ELFCOREHDR_ARG  The peer appends elfcorehdr=<KiB>K at the end of the command line; ours puts
              elfcorehdr=0x<address> first (like the kernel's kexec_file_load). Check 8 sets
              both aside and checks each against its own elfcorehdr segment.
  ACPI_RSDP   The peer appends acpi_rsdp=<address> when the running kernel's boot_params has
              one; we pass the same address in boot_params.acpi_rsdp_addr (0x070) instead. Check
              8 sets the word aside and requires ours to carry the same address (in boot_params
              or as acpi_rsdp=).
  MEMHOTPLUG  Ours appends acpi_no_memhotplug to the kdump command line when ROOT's ACPI SRAT
              (sys/firmware/acpi/tables/SRAT) declares hot-pluggable memory, so the kdump kernel
              does not take the first kernel's DIMMs as its own; the peer does not. Check 8 sets
              the word aside only then (and only when neither --append nor the peer has it).
"""
import argparse
import json
import os
import re
import sys

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
from rangeset import fmt, minus, norm, overlaps  # noqa: E402
import segments as sg  # noqa: E402

MiB = 1 << 20
START_KERNEL_MAP = 0xffffffff80000000
E820_NAMES = sg.E820_NAMES


def num(x):
    return int(x, 0) if isinstance(x, str) else int(x)


class Side:
    """One side's kexec_load, decoded from its segment dump (tests/tools/segments.py)."""

    def __init__(self, d, who="peer"):
        self.who = who
        self.dump = sg.read_dump(d)
        self.segs, self.entry, self.flags = self.dump.segs, self.dump.entry, self.dump.flags
        self.ehdr, self.setup = self.dump.elfcorehdr(), self.dump.setup()
        if not self.ehdr or not self.setup:
            raise SystemExit("compare: %s capture has no elfcorehdr or no boot_params segment" % who)
        self.core = sg.CoreHeader(self.ehdr.data)
        self.loads = [dict(off=p["offset"], vaddr=p["vaddr"], paddr=p["paddr"], size=p["memsz"])
                      for p in self.core.of_type(sg.PT_LOAD)]
        self.notes = len(self.core.of_type(sg.PT_NOTE))
        self.bp = sg.BootParams(self.setup, self.dump)
        self.e820 = self.bp.e820
        self.cmdline = self.bp.cmdline or ""
        # the backup segment: where a PT_LOAD of memory below 1 MiB points (p_offset)
        low = [l for l in self.loads if l["paddr"] < MiB and l["vaddr"] < START_KERNEL_MAP]
        self.backup = next((s for s in self.segs if low and s.mem == low[0]["off"]), None)

    def hole(self, s):
        return (s.mem, s.mem + s.memsz)


Peer = Side   # tests/diff/peer2json.py


def parse_cmdline_addr(cmdline, key):
    """The address in the last KEY= word of @cmdline (0x.., decimal, K/M/G, X@Y), or None."""
    v = sg.cmdline_value(cmdline, key)
    return sg.parse_size(v) if v else None


def read_ranges_file(path):
    out = []
    if os.path.exists(path):
        for l in open(path):
            l = l.strip()
            if l and "-" in l:
                s, e = l.split("-", 1)
                out.append((int(s, 16), int(e, 16) + 1))
    return out


def srat_hotplug(root):
    """Enabled, hot-pluggable memory affinity ranges [(base, length)] of ROOT's ACPI SRAT."""
    try:
        t = open(os.path.join(root, "sys/firmware/acpi/tables/SRAT"), "rb").read()
    except OSError:
        return []
    out, off = [], 48   # the ACPI table header (36 bytes) and SRAT's 12 reserved bytes
    while off + 2 <= len(t):
        typ, ln = t[off], t[off + 1]
        if ln < 2 or off + ln > len(t):
            break
        if typ == 1 and ln >= 40:   # memory affinity: base @8, length @16, flags @28
            base = int.from_bytes(t[off + 8:off + 16], "little")
            length = int.from_bytes(t[off + 16:off + 24], "little")
            flags = int.from_bytes(t[off + 28:off + 32], "little")
            if flags & 1 and flags & 2 and length:
                out.append((base, length))
        off += ln
    return out


def words_without(cmdline, keys):
    return [w for w in cmdline.split() if w.split("=", 1)[0] not in keys]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--name", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--peer", required=True)
    ap.add_argument("--ours", required=True, help="our --dry-run --json plan")
    ap.add_argument("--ours-segs", required=True, help="our --dry-run --dump-segments DIR")
    ap.add_argument("--initrd", help="the --initrd file both were given")
    ap.add_argument("--append", help="the --append string both were given")
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

    peer = Side(a.peer, "peer")
    try:
        plan = json.load(open(a.ours))
    except (OSError, ValueError) as e:
        print("FAIL: diff: %s: our --dry-run --json output is not JSON (%s)" % (name, e))
        return 1
    try:
        ours = Side(a.ours_segs, "our")
    except (OSError, ValueError) as e:
        print("FAIL: diff: %s: our --dump-segments output is unreadable (%s)" % (name, e))
        return 1

    # ROOT facts
    crash = []
    for l in open(os.path.join(a.root, "proc/iomem")):
        m = re.match(r"^\s*([0-9a-fA-F]+)-([0-9a-fA-F]+) : Crash kernel\s*$", l)
        if m:
            crash.append((int(m.group(1), 16), int(m.group(2), 16) + 1))
    cma = norm(read_ranges_file(os.path.join(a.root, "sys/kernel/kexec/crash_cma_ranges")) +
               read_ranges_file(os.path.join(a.root, "sys/kernel/kexec_crash_cma_ranges")))

    for side in (peer, ours):
        print("INFO %s: %d segments, flags 0x%x, elfcorehdr 0x%x+0x%x (%d PT_LOAD, %d PT_NOTE), backup %s, "
              "setup_data %s, cmdline %r" % (
                  side.who, len(side.segs), side.flags, side.ehdr.mem, side.ehdr.memsz, len(side.loads), side.notes,
                  "0x%x+0x%x" % (side.backup.mem, side.backup.memsz) if side.backup else "none",
                  [sg.SETUP_DATA_TYPES.get(t, t) for _, t, _, _ in side.bp.setup_data] or "none", side.cmdline))
        for pr in side.bp.problems + side.core.problems:
            fail("%s boot_params/elfcorehdr bytes: %s" % (side.who, pr))
    o_sys = plan.get("syscall")
    o_flags = ours.flags if ours.flags is not None else num(plan.get("flags", "0"))
    o_eh = ours.hole(ours.ehdr)
    o_loads = [dict(paddr=l["paddr"], vaddr=l["vaddr"], size=l["size"]) for l in ours.loads]

    # 1. syscall and flags
    if o_sys != "kexec_load" or ours.dump.syscall not in (None, "kexec_load"):
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

    # 5. kdump RAM, from both sides' boot_params bytes
    p_ram = norm((s, e) for s, e, t in peer.e820 if t == 1)
    o_ram = norm((s, e) for s, e, t in ours.e820 if t == 1)
    p_holes = [peer.hole(peer.ehdr)]
    if peer.backup:
        p_holes.append(peer.hole(peer.backup))
        if minus([p_holes[-1]], p_ram) and not ours.backup:
            ok("BACKUP", "peer's backup segment 0x%x+0x%x is kept out of its kdump RAM; ours has none" % (
                peer.backup.mem, peer.backup.memsz))
    o_holes = [o_eh] + ([ours.hole(ours.backup)] if ours.backup else [])
    if overlaps(o_ram, [o_eh]):
        fail("our kdump RAM includes our own elfcorehdr [0x%x-0x%x)" % o_eh)
    if o_eh != p_holes[0]:
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
    elif sorted((s, e) for s, e, t in peer.e820 if t == 1) != sorted((s, e) for s, e, t in ours.e820 if t == 1) \
            and not [d for d in diffok if d in ("BACKUP", "ELFCOREHDR", "CMA")]:
        ok("SPLIT", "same kdump RAM, entries split differently")
    print("INFO kdump RAM (holes filled): %s" % fmt(o_full, 12))

    # 6. other e820 types
    name_of = sg.e820_type_name
    types = sorted({name_of(t) for s, e, t in peer.e820 + ours.e820 if t != 1})
    for ty in types:
        ps = norm((s, e) for s, e, t in peer.e820 if name_of(t) == ty)
        os_ = norm((s, e) for s, e, t in ours.e820 if name_of(t) == ty)
        if ty in ("pmem", "pram") and ps and not os_:
            ok("PMEM", "peer passes %s %s to the kdump kernel; ours (like the kernel's) does not" % (ty, fmt(ps)))
            continue
        if ps != os_:
            fail("kdump e820 %r differs: only peer %s; only ours %s" % (ty, fmt(minus(ps, os_)), fmt(minus(os_, ps))))
    print("INFO kdump e820 types: %s (%d entries, %d in SETUP_E820_EXT)" % (
        ", ".join("%s %d" % (ty, len(norm((s, e) for s, e, t in ours.e820 if name_of(t) == ty)))
                  for ty in ["ram"] + types), len(ours.e820), len(ours.bp.e820_ext)))

    # 7. ramdisk
    if a.initrd:
        want = open(a.initrd, "rb").read()
        for side in (peer, ours):
            bp = side.bp
            seg = side.dump.containing(bp.ramdisk_image)
            if bp.ramdisk_size != len(want):
                fail("%s ramdisk_size is 0x%x, the initrd is 0x%x bytes" % (side.who, bp.ramdisk_size, len(want)))
            elif not seg or seg.mem != bp.ramdisk_image or seg.data[:len(want)] != want:
                fail("%s ramdisk_image 0x%x is not a segment holding the initrd" % (side.who, bp.ramdisk_image))
        print("INFO ramdisk: peer 0x%x+0x%x, ours 0x%x+0x%x" % (
            peer.bp.ramdisk_image, peer.bp.ramdisk_size, ours.bp.ramdisk_image, ours.bp.ramdisk_size))

    # 8. command line
    for side in (peer, ours):
        v = parse_cmdline_addr(side.cmdline, "elfcorehdr")
        if v is None:
            fail("%s command line has no elfcorehdr=" % side.who)
        elif v != side.ehdr.mem:
            fail("%s elfcorehdr= is 0x%x but its elfcorehdr segment is at 0x%x" % (side.who, v, side.ehdr.mem))
    pe = [w for w in peer.cmdline.split() if w.startswith("elfcorehdr=")]
    oe = [w for w in ours.cmdline.split() if w.startswith("elfcorehdr=")]
    if pe and oe and (pe[-1] != oe[-1] or peer.cmdline.split().index(pe[-1]) != ours.cmdline.split().index(oe[-1])):
        ok("ELFCOREHDR_ARG", "elfcorehdr= is %r (word %d) in the peer's command line, %r (word %d) in ours" % (
            pe[-1], peer.cmdline.split().index(pe[-1]) + 1, oe[-1], ours.cmdline.split().index(oe[-1]) + 1))
    p_rsdp = parse_cmdline_addr(peer.cmdline, "acpi_rsdp")
    if p_rsdp is not None:
        o_rsdp = parse_cmdline_addr(ours.cmdline, "acpi_rsdp")
        if o_rsdp is None and ours.bp.acpi_rsdp_addr == p_rsdp:
            ok("ACPI_RSDP", "peer passes acpi_rsdp=0x%x on the command line, ours in boot_params.acpi_rsdp_addr" % p_rsdp)
        elif o_rsdp != p_rsdp:
            fail("the peer passes acpi_rsdp=0x%x; ours has acpi_rsdp=%s and boot_params.acpi_rsdp_addr 0x%x" % (
                p_rsdp, "0x%x" % o_rsdp if o_rsdp is not None else "none", ours.bp.acpi_rsdp_addr))
    elif ours.bp.acpi_rsdp_addr:
        print("INFO ours passes boot_params.acpi_rsdp_addr 0x%x, the peer no acpi_rsdp=" % ours.bp.acpi_rsdp_addr)
    keys = ("elfcorehdr", "acpi_rsdp")
    hp = srat_hotplug(a.root)
    if (hp and "acpi_no_memhotplug" in ours.cmdline.split() and "acpi_no_memhotplug" not in peer.cmdline.split()
            and (a.append is None or "acpi_no_memhotplug" not in a.append.split())):
        ok("MEMHOTPLUG", "ours appends acpi_no_memhotplug: the SRAT declares hot-pluggable memory (%s)" %
           ", ".join("0x%x+0x%x" % r for r in hp))
        keys = keys + ("acpi_no_memhotplug",)
    pk, okw = words_without(peer.cmdline, keys), words_without(ours.cmdline, keys)
    if pk != okw:
        fail("command lines differ beyond elfcorehdr=/acpi_rsdp=: peer %r, ours %r" % (" ".join(pk), " ".join(okw)))
    if a.append is not None and okw != words_without(a.append, keys):
        fail("our command line %r is not --append %r (+ elfcorehdr=)" % (ours.cmdline, a.append))

    # 9. type_of_loader, setup_data
    if peer.bp.type_of_loader != ours.bp.type_of_loader:
        fail("type_of_loader 0x%x vs peer 0x%x" % (ours.bp.type_of_loader, peer.bp.type_of_loader))

    # 10. our segments inside the main crash region
    if crash:
        main_r = crash[-1]
        out = [s for s in ours.segs if not (main_r[0] <= s.mem and s.mem + s.memsz <= main_r[1])]
        if out:
            fail("segment(s) outside the main Crash kernel region [0x%x-0x%x): %s" % (
                main_r[0], main_r[1], ", ".join("%s 0x%x+0x%x" % (s.role, s.mem, s.memsz) for s in out)))

    # 11. our plan describes our bytes
    try:
        eh = plan.get("elfcorehdr") or {}
        j_eh = (num(eh["mem"]), num(eh["mem"]) + num(eh["memsz"]))
        j_loads = [dict(paddr=num(l["paddr"]), vaddr=num(l["vaddr"]), size=num(l["size"])) for l in eh.get("loads", [])]
        j_map = [(num(m["start"]), num(m["end"]), sg.E820_TYPES.get(m["type"], -1)) for m in plan.get("kdump_memmap", [])]
    except (KeyError, ValueError, TypeError) as e:
        print("FAIL: diff: %s: our JSON lacks/garbles a field (%r)" % (name, e))
        return 1
    if j_eh != o_eh or j_loads != o_loads:
        fail("our plan JSON's elfcorehdr (0x%x, %d loads) is not our elfcorehdr segment (0x%x, %d loads)" % (
            j_eh[0], len(j_loads), o_eh[0], len(o_loads)))
    if j_map != ours.e820:
        fail("our plan JSON's kdump_memmap (%d entries) is not our boot_params e820 (%d entries)" % (len(j_map), len(ours.e820)))

    if fails:
        print("FAIL: diff: %s: %s" % (name, "; ".join(fails)))
        return 1
    print("PASS: diff: %s%s" % (name, " (deliberate: %s)" % ", ".join(diffok) if diffok else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
