#!/usr/bin/env python3
"""compare-arm64.py — compare the arm64 peer's recorded kexec_load -p with ours, from the bytes.

usage: compare-arm64.py --name NAME --root ROOT --peer PEERDIR --ours-segs OURSDIR
                        [--ours OURS.json] [--kernel IMAGE] [--initrd INITRD] [--append APPEND]

PEERDIR is what tests/diff/shim.c recorded (manifest + seg<N>.bin) for Debian's kexec-tools
2.0.25 arm64 `kexec -c -p IMAGE --initrd=F --append=S` on ROOT (run under qemu-aarch64 by
tests/diff/run-diff-arm64.sh); OURSDIR is what kexec-ng's `--dry-run --dump-segments OURSDIR
--json -c -p IMAGE --initrd=F --append=S` wrote for the same arguments, OURS.json its plan.
Both dumps are decoded by the same code: tests/tools/segments.py (dump reader, ELF core header)
and the FDT reader of tests/golden/check-arm64.py. Python 3 stdlib only. Prints INFO lines, one
DIFF-OK line per deliberate or known difference that occurred, MISMATCH lines, then
`PASS: diff-arm64: NAME` or `FAIL: diff-arm64: NAME: <what>` (exit 0 / 1; 2 = bad input).

Segments are recognised by content on both sides: the device tree (FDT magic), the ELF core
header (ELF ET_CORE), the kernel (arm64 Image magic "ARM\\x64" at 0x38), the initrd (INITRD's
first bytes), and the purgatory (the rest).

The truth, from ROOT (independent of both loaders): the kernel text is the first PT_LOAD of
ROOT/proc/kcore (fs/proc/kcore.c KCORE_TEXT: vaddr _text, paddr __pa_symbol(_text), size
_end - _text); the linear-map offset (vaddr - paddr) is that of kcore's KCORE_RAM entries (the
PT_LOADs with a real paddr after the first); the crash regions are ROOT/proc/iomem's "Crash
kernel" lines, in address order.

What is compared (ranges half-open [start, end); memory compared as UNIONS of covered bytes):
  1. flags: the same KEXEC_ON_CRASH and arch bits (flags & 0xffff0001; KEXEC_ARCH_AARCH64 =
     183 << 16).
  2. kernel: each side has one segment holding IMAGE's bytes, memsz (+ ours' kept_free) >= the header's
     image_size, and its base (mem - text_offset) is 2 MiB aligned.
  3. /chosen of each side's DTB:
     - bootargs: the same string (trailing NULs of the property ignored; see BOOTARGS_PAD);
     - linux,usable-memory-range: the same (base, size) entries in the same order (the main
       crash region first, the low one last), in the tree's #address-cells/#size-cells;
     - linux,elfcorehdr: each side's (base, size) starts at its own elfcorehdr segment and lies
       inside it, and covers the header (e_phoff + e_phnum * 56 bytes);
     - linux,initrd-start/-end: each side's point at its own initrd segment, end - start = the
       size of INITRD (both absent without --initrd);
     - every other /chosen property: the same names and values, apart from kaslr-seed
       (KASLR_SEED) and rng-seed (RNG_SEED: ours must have one when the peer has one);
     - the rest of the tree (every node but /chosen): the same nodes, property names and
       values on both sides.
     - /memreserve/: compared, see MEMRESERVE.
  4. the ELF core header (EM_AARCH64, ET_CORE):
     - PT_NOTE: the same set of (p_paddr, p_memsz) (one per possible CPU + VMCOREINFO);
     - kernel text PT_LOAD (ours: the one whose vaddr is kcore's _text; peer: same, or see
       PEER_KTEXT / PEER_NOTEXT): vaddr, paddr and size equal to the truth above on OUR side,
       and equal to ours on the peer's side;
     - linear map: every other PT_LOAD of each side has vaddr - paddr = the truth's offset
       (so the peer's kallsyms-based page_offset and our VMCOREINFO/kcore one agree);
     - dumped memory: the union of the non-text PT_LOADs (paddr, memsz) is the same on both
       sides, and p_offset = p_paddr everywhere (the kernel's vmcore reads p_offset as a
       physical address).
  5. placement (ours only): every segment of ours lies inside the main (highest) crash region
     (the last "Crash kernel" line of ROOT's iomem), like the peer's (printed as INFO).
  6. our plan JSON (when given): its elfcorehdr address and loads describe our bytes.

Deliberate or known differences (printed as DIFF-OK <tag>: … when they occur):
  PLACEMENT   Segment addresses and order differ: the peer puts the kernel at the bottom of
              the crash region and the rest just above it (initrd, DTB, purgatory) and the
              elfcorehdr at the top; ours packs from the top. Only containment is checked.
  ELFCOREHDR  The core header buffer sizes differ: ours keeps spare PT_NULL program-header
              slots (room for CPUs and memory added later, re-written in place by a reload);
              the peer's is exactly e_phnum entries. linux,elfcorehdr's size follows each
              side's buffer (the peer: the bytes it wrote; ours: the page-rounded segment).
  KASLR_SEED  /chosen/kaslr-seed is a fresh random value on both sides (the peer:
              getrandom(); ours likewise): never equal, only presence is compared.
  RNG_SEED    /chosen/rng-seed: the peer copies the first kernel's bytes unchanged (the same
              seed fed to a second kernel); ours passes fresh random bytes (64), like the
              kernel's own kexec_file_load DT setup (drivers/of/kexec.c) re-seeds it.
  DMA_LIMIT   (run-diff-arm64.sh) ours refuses a crash region lying entirely above the DMA
              zone limit (the kdump kernel would have no memory for DMA-limited devices, e.g.
              the RPi4's 1 GiB ZONE_DMA); the peer loads. The script prints this DIFF-OK and
              re-runs ours with --ignore-dma-limit to compare the rest.
  MEMRESERVE  The first kernel's /memreserve/ entries (e.g. the RPi4's armstub page and CMA
              pool): the peer copies them into the kdump kernel's DTB, we drop them (the crash
              kernel only runs inside linux,usable-memory-range, and a reservation outside it
              is meaningless there; inside it, it would take memory from the kdump kernel).
  BOOTARGS_PAD  The peer's bootargs property carries extra trailing NUL bytes (it reserves
              room when it resizes the tree); the strings are equal.
  PEER_KTEXT  The peer's kernel-text PT_LOAD starts at "Kernel code" (= __pa(_stext)) with
              vaddr _text when kallsyms has no __init_begin (64 KiB too high, size 64 KiB too
              small); ours is the truth. run-diff-arm64.sh adds __init_begin to roots that have
              _text (tests/diff/complete-root-arm64.py), so this only shows on purpose.
  PEER_NOTEXT The root's kallsyms has no _text (Debian 6.1, CONFIG_KALLSYMS_ALL=n): the peer
              prints "Can't get the symbol of _text to calculate page_offset." and still loads
              a broken header (RECIPE.md section 6): kernel-text PT_LOAD vaddr 0xffffffffffffffff
              and linear-map PT_LOADs at vaddr = paddr - PHYS_OFFSET (page_offset 0). Then the
              peer's text and linear-map vaddrs are not compared with ours; ours must still
              equal the truth, and the dumped physical ranges must still agree.
"""
import argparse
import importlib.util
import json
import os
import struct
import sys

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tools"))
import segments as sg  # noqa: E402
from rangeset import fmt, minus, norm  # noqa: E402

_spec = importlib.util.spec_from_file_location("check_arm64", os.path.join(HERE, "..", "golden", "check-arm64.py"))
_ca = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_ca)
Fdt = _ca.Fdt

M64 = (1 << 64) - 1
MiB = 1 << 20
FDT_MAGIC = b"\xd0\x0d\xfe\xed"

mismatches, diffok = [], {}


def info(msg):
    print("INFO: " + msg)


def mismatch(msg):
    mismatches.append(msg)
    print("MISMATCH: " + msg)


def ok_diff(tag, msg):
    if tag not in diffok:
        diffok[tag] = msg
        print("DIFF-OK %s: %s" % (tag, msg))


def h(v):
    return "%#x" % v


def cells_list(b, ac, sc):
    """(base, size) pairs of a reg-like property."""
    n, out = (ac + sc) * 4, []
    for i in range(0, len(b) - n + 1, n):
        base = int.from_bytes(b[i:i + ac * 4], "big")
        size = int.from_bytes(b[i + ac * 4:i + n], "big")
        out.append((base, size))
    return out


def u64be(b):
    return int.from_bytes(b, "big") if b is not None else None


class Side:
    """One side's kexec_load, classified by content."""

    def __init__(self, d, who, kernel, initrd):
        self.who = who
        self.dump = sg.read_dump(d)
        self.flags, self.entry = self.dump.flags, self.dump.entry
        self.dtb = self.ehdr = self.kernel = self.initrd = None
        for s in self.dump.segs:
            b = s.data
            if b[:4] == FDT_MAGIC:
                self.dtb = s
            elif b[:4] == b"\x7fELF" and len(b) >= 64 and struct.unpack_from("<H", b, 16)[0] == 4:
                self.ehdr = s
            elif len(b) >= 64 and b[0x38:0x3c] == b"ARM\x64":
                self.kernel = s
            elif initrd is not None and len(b) >= len(initrd[:4096]) and b[:4096] == initrd[:4096]:
                self.initrd = s
        if not self.dtb or not self.ehdr or not self.kernel:
            raise SystemExit("compare-arm64: %s capture lacks a DTB, core header or kernel segment (%s)"
                             % (who, self.dump.segs))
        self.fdt = Fdt(self.dtb.data)
        self.ac = self.fdt.cells("/", "#address-cells", 2)
        self.sc = self.fdt.cells("/", "#size-cells", 1)
        self.chosen = dict(self.fdt.nodes.get("/chosen", {}))
        self.core = sg.CoreHeader(self.ehdr.data)
        self.loads = self.core.of_type(sg.PT_LOAD)
        self.notes = sorted((p["paddr"], p["memsz"]) for p in self.core.of_type(sg.PT_NOTE))

    def prop_ranges(self, name):
        v = self.chosen.get(name)
        return cells_list(v, self.ac, self.sc) if v is not None else None


def kcore_truth(root):
    """(text dict(vaddr, paddr, size), linear offset) from ROOT/proc/kcore."""
    b = open(os.path.join(root, "proc/kcore"), "rb").read(1 << 20)
    c = sg.CoreHeader(b)
    real = [p for p in c.of_type(sg.PT_LOAD) if p["paddr"] != M64]
    if len(real) < 2:
        raise SystemExit("compare-arm64: %s/proc/kcore has no text + RAM PT_LOADs" % root)
    t = real[0]
    lin = {(p["vaddr"] - p["paddr"]) & M64 for p in real[1:]}
    if len(lin) != 1:
        raise SystemExit("compare-arm64: %s/proc/kcore RAM entries have several linear offsets" % root)
    return dict(vaddr=t["vaddr"], paddr=t["paddr"], size=t["memsz"]), lin.pop()


def crash_regions(root):
    out = []
    for l in open(os.path.join(root, "proc/iomem")):
        if l.strip().endswith(": Crash kernel"):
            a, e = l.split(":")[0].strip().split("-")
            out.append((int(a, 16), int(e, 16) + 1))
    return sorted(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--name", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--peer", required=True)
    ap.add_argument("--ours-segs", required=True)
    ap.add_argument("--ours")
    ap.add_argument("--kernel")
    ap.add_argument("--initrd")
    ap.add_argument("--append")
    a = ap.parse_args()
    try:
        initrd = open(a.initrd, "rb").read() if a.initrd else None
        image = open(a.kernel, "rb").read() if a.kernel else None
        peer = Side(a.peer, "peer", image, initrd)
        ours = Side(a.ours_segs, "ours", image, initrd)
        text, lin = kcore_truth(a.root)
        crash = crash_regions(a.root)
    except (OSError, ValueError) as e:
        print("FAIL: diff-arm64: %s: bad input: %s" % (a.name, e))
        return 2
    info("truth: text %s paddr %s size %s, linear offset %s, crash %s" % (
        h(text["vaddr"]), h(text["paddr"]), h(text["size"]), h(lin), fmt(crash)))

    # 1. flags
    if (peer.flags & 0xffff0001) != (ours.flags & 0xffff0001):
        mismatch("flags: peer %s, ours %s" % (h(peer.flags), h(ours.flags)))

    # 2. kernel
    for s in (peer, ours):
        k = s.kernel
        to, isz = struct.unpack_from("<QQ", k.data, 8)
        if image is not None and k.data != image[:len(k.data)]:
            mismatch("%s: the kernel segment does not hold IMAGE's bytes" % s.who)
        kept = getattr(k, "kept_free", 0)
        if k.memsz + kept < isz:
            mismatch("%s: kernel memsz %s + kept free %s < image_size %s" % (s.who, h(k.memsz), h(kept), h(isz)))
        if (k.mem - to) % (2 * MiB):
            mismatch("%s: kernel base %s (text_offset %s) not 2 MiB aligned" % (s.who, h(k.mem), h(to)))
    info("kernel at peer %s, ours %s" % (h(peer.kernel.mem), h(ours.kernel.mem)))

    # 3. /chosen
    pb, ob = peer.chosen.get("bootargs"), ours.chosen.get("bootargs")
    ps = pb.rstrip(b"\0").decode(errors="replace") if pb is not None else None
    os_ = ob.rstrip(b"\0").decode(errors="replace") if ob is not None else None
    if ps != os_:
        mismatch("bootargs: peer %r, ours %r" % (ps, os_))
    elif pb != ob:
        ok_diff("BOOTARGS_PAD", "the peer's bootargs carries %d NUL bytes, ours %d" % (
            len(pb) - len(pb.rstrip(b"\0")), len(ob) - len(ob.rstrip(b"\0"))))
    if a.append is not None and os_ is not None and os_.split() != a.append.split():
        info("ours: bootargs %r is not --append %r" % (os_, a.append))
    pu, ou = peer.prop_ranges("linux,usable-memory-range"), ours.prop_ranges("linux,usable-memory-range")
    if pu != ou:
        mismatch("linux,usable-memory-range: peer %s, ours %s" % (
            [(h(x), h(y)) for x, y in pu or []], [(h(x), h(y)) for x, y in ou or []]))
    else:
        info("linux,usable-memory-range %s" % [(h(x), h(y)) for x, y in ou or []])
    for s in (peer, ours):
        e = s.prop_ranges("linux,elfcorehdr")
        need = s.core.phoff + s.core.phnum * 56
        if not e or len(e) != 1:
            mismatch("%s: linux,elfcorehdr missing or not one range: %s" % (s.who, e))
            continue
        base, size = e[0]
        if base != s.ehdr.mem or base + size > s.ehdr.mem + s.ehdr.memsz or size < need:
            mismatch("%s: linux,elfcorehdr %s+%s does not match its header segment %s+%s (needs %s)" % (
                s.who, h(base), h(size), h(s.ehdr.mem), h(s.ehdr.memsz), h(need)))
        s.ehdr_prop = (base, size)
    if getattr(peer, "ehdr_prop", None) and getattr(ours, "ehdr_prop", None) and peer.ehdr_prop[1] != ours.ehdr_prop[1]:
        ok_diff("ELFCOREHDR", "linux,elfcorehdr size peer %s (%d phdrs, %d slots), ours %s (%d phdrs, %d slots)" % (
            h(peer.ehdr_prop[1]), peer.core.phnum, peer.core.capacity,
            h(ours.ehdr_prop[1]), ours.core.phnum, ours.core.capacity))
    for s in (peer, ours):
        st, en = u64be(s.chosen.get("linux,initrd-start")), u64be(s.chosen.get("linux,initrd-end"))
        if initrd is None:
            if st is not None or en is not None:
                mismatch("%s: linux,initrd-* present without --initrd" % s.who)
            continue
        if s.initrd is None or st != s.initrd.mem or en is None or en - st != len(initrd):
            mismatch("%s: linux,initrd-start/end %s/%s do not describe its initrd segment %s (size %s)" % (
                s.who, st if st is None else h(st), en if en is None else h(en),
                s.initrd and h(s.initrd.mem), h(len(initrd))))
    handled = {"bootargs", "linux,usable-memory-range", "linux,elfcorehdr", "linux,initrd-start",
               "linux,initrd-end", "kaslr-seed", "rng-seed"}
    for n in sorted((set(peer.chosen) | set(ours.chosen)) - handled):
        pv, ov = peer.chosen.get(n), ours.chosen.get(n)
        if pv != ov:
            mismatch("/chosen/%s: peer %r, ours %r" % (n, pv and pv[:40], ov and ov[:40]))
    pk, ok = peer.chosen.get("kaslr-seed"), ours.chosen.get("kaslr-seed")
    if (pk is None) != (ok is None):
        mismatch("/chosen/kaslr-seed: peer %s, ours %s" % ("present" if pk else "absent", "present" if ok else "absent"))
    elif pk is not None and pk != ok:
        ok_diff("KASLR_SEED", "kaslr-seed differs (random on both sides)")
    pr, orr = peer.chosen.get("rng-seed"), ours.chosen.get("rng-seed")
    if pr is not None and orr is None:
        mismatch("/chosen/rng-seed: the peer passes one (%d bytes), ours none" % len(pr))
    elif pr is not None and pr != orr:
        ok_diff("RNG_SEED", "rng-seed: the peer copies the first kernel's %d bytes, ours passes %d fresh bytes"
                % (len(pr), len(orr)))
    elif pr is None and orr is not None:
        ok_diff("RNG_SEED", "rng-seed: ours adds %d fresh bytes, the first kernel's tree has none" % len(orr))
    for node in sorted((set(peer.fdt.nodes) | set(ours.fdt.nodes)) - {"/chosen"}):
        pn, on = peer.fdt.nodes.get(node), ours.fdt.nodes.get(node)
        if pn != on:
            diff = sorted(k for k in set(pn or {}) | set(on or {}) if (pn or {}).get(k) != (on or {}).get(k))
            mismatch("node %s differs (%s)" % (node, ", ".join(diff) if pn is not None and on is not None
                                               else "only on the %s side" % ("peer" if pn is not None else "ours")))
    if peer.fdt.rsv != ours.fdt.rsv:
        if not ours.fdt.rsv:
            ok_diff("MEMRESERVE", "the peer keeps /memreserve/ %s, ours has none" % (
                [(h(x), h(y)) for x, y in peer.fdt.rsv]))
        else:
            mismatch("/memreserve/: peer %s, ours %s" % (peer.fdt.rsv, ours.fdt.rsv))

    # 4. the ELF core header
    for s in (peer, ours):
        if s.core.problems or s.core.machine != 183:
            mismatch("%s: core header: %s machine %d" % (s.who, s.core.problems, s.core.machine))
        for p in s.loads:
            if p["offset"] != p["paddr"] or p["filesz"] != p["memsz"]:
                mismatch("%s: PT_LOAD %s: p_offset %s / filesz %s" % (s.who, h(p["paddr"]), h(p["offset"]), h(p["filesz"])))
    if peer.notes != ours.notes:
        mismatch("PT_NOTEs: peer %s, ours %s" % ([(h(x), h(y)) for x, y in peer.notes],
                                                 [(h(x), h(y)) for x, y in ours.notes]))
    else:
        info("%d PT_NOTEs agree" % len(ours.notes))
    otext = [p for p in ours.loads if p["vaddr"] == text["vaddr"]]
    if len(otext) != 1:
        mismatch("ours: %d PT_LOADs at the kernel text vaddr %s" % (len(otext), h(text["vaddr"])))
    elif (otext[0]["paddr"], otext[0]["memsz"]) != (text["paddr"], text["size"]):
        mismatch("ours: kernel text PT_LOAD %s+%s, kcore says %s+%s" % (
            h(otext[0]["paddr"]), h(otext[0]["memsz"]), h(text["paddr"]), h(text["size"])))
    ptext = [p for p in peer.loads if p["vaddr"] == text["vaddr"]]
    notext = False
    if len(ptext) == 1:
        p = ptext[0]
        if (p["paddr"], p["memsz"]) != (text["paddr"], text["size"]):
            skew = p["paddr"] - text["paddr"]
            if skew > 0 and p["paddr"] + p["memsz"] == text["paddr"] + text["size"]:
                ok_diff("PEER_KTEXT", "the peer's text PT_LOAD starts at \"Kernel code\" %s, %s above __pa(_text) %s"
                        % (h(p["paddr"]), h(skew), h(text["paddr"])))
            else:
                mismatch("kernel text PT_LOAD: peer %s+%s, ours/kcore %s+%s" % (
                    h(p["paddr"]), h(p["memsz"]), h(text["paddr"]), h(text["size"])))
    else:
        bad = [p for p in peer.loads if p["vaddr"] == M64]
        if bad:
            notext = True
            ok_diff("PEER_NOTEXT", "no _text in kallsyms: the peer's text PT_LOAD has vaddr %s paddr %s size %s "
                    "and its linear map uses page_offset 0" % (h(bad[0]["vaddr"]), h(bad[0]["paddr"]), h(bad[0]["memsz"])))
            ptext = bad
        else:
            mismatch("peer: no PT_LOAD at the kernel text vaddr %s" % h(text["vaddr"]))
    prest = [p for p in peer.loads if p not in ptext]
    orest = [p for p in ours.loads if p not in otext]
    for s, rest in ((peer, prest), (ours, orest)):
        offs = sorted({(p["vaddr"] - p["paddr"]) & M64 for p in rest})
        if offs != [lin]:
            if s is peer and notext:
                info("peer linear offsets %s (truth %s)" % ([h(x) for x in offs], h(lin)))
            else:
                mismatch("%s: linear-map offsets %s, kcore says %s" % (s.who, [h(x) for x in offs], h(lin)))
    pm = norm([(p["paddr"], p["paddr"] + p["memsz"]) for p in prest])
    om = norm([(p["paddr"], p["paddr"] + p["memsz"]) for p in orest])
    if pm != om:
        mismatch("dumped memory: only the peer %s; only ours %s" % (fmt(minus(pm, om)), fmt(minus(om, pm))))
    else:
        info("dumped memory agrees: %d peer / %d our PT_LOADs, %s" % (len(prest), len(orest), fmt(om)[:200]))
    if peer.core.capacity != ours.core.capacity and "ELFCOREHDR" not in diffok:
        ok_diff("ELFCOREHDR", "program header slots: peer %d (%d used), ours %d (%d used)" % (
            peer.core.capacity, peer.core.phnum, ours.core.capacity, ours.core.phnum))

    # 5. placement
    main_region = crash[-1] if crash else None
    for s in (peer, ours):
        outside = [x for x in s.dump.segs if not main_region or not
                   (main_region[0] <= x.mem and x.mem + x.memsz <= main_region[1])]
        if outside:
            (mismatch if s is ours else info)("%s: segments outside the main crash region %s: %s" % (
                s.who, main_region and fmt([main_region]), outside))
    pl = sorted((x.mem, x.memsz) for x in peer.dump.segs)
    olist = sorted((x.mem, x.memsz) for x in ours.dump.segs)
    if pl != olist:
        ok_diff("PLACEMENT", "peer %s; ours %s" % (" ".join("%s+%s" % (h(m), h(z)) for m, z in pl),
                                                   " ".join("%s+%s" % (h(m), h(z)) for m, z in olist)))

    # 6. our plan JSON
    if a.ours:
        try:
            plan = json.load(open(a.ours))
            e = plan.get("elfcorehdr") or {}
            if e and sg.h(e["mem"]) != ours.ehdr.mem:
                mismatch("ours: plan elfcorehdr.mem %s, bytes at %s" % (e["mem"], h(ours.ehdr.mem)))
            if e.get("loads") is not None:
                pj = [(sg.h(l["paddr"]), sg.h(l["vaddr"]), sg.h(l["size"])) for l in e["loads"]]
                pb_ = [(p["paddr"], p["vaddr"], p["memsz"]) for p in ours.loads]
                if pj != pb_:
                    mismatch("ours: plan elfcorehdr.loads do not describe the header bytes")
        except (OSError, ValueError, KeyError) as ex:
            mismatch("ours: plan JSON unreadable: %s" % ex)

    if mismatches:
        print("FAIL: diff-arm64: %s: %s%s" % (a.name, mismatches[0], " (+%d more)" % (len(mismatches) - 1)
                                              if len(mismatches) > 1 else ""))
        return 1
    print("PASS: diff-arm64: %s%s" % (a.name, " (DIFF-OK: %s)" % " ".join(sorted(diffok)) if diffok else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
