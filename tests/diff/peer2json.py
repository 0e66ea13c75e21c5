#!/usr/bin/env python3
"""peer2json.py — render a run-peer.sh capture in kexec-ng's --dry-run --json schema.

usage: peer2json.py PEERDIR [--like-kernel] [--dump-segments DIR] > plan.json

A self-test aid for compare.py (run-diff.sh SELFTEST=1): the peer compared with itself must
PASS, and with --like-kernel (drop the PT_LOADs below 1 MiB, no backup segment, the backup
hole given back to the kdump RAM) it must PASS with the LOW1M and BACKUP deliberate
differences reported. --dump-segments DIR also writes the segments as `kexec --dry-run
--dump-segments DIR` would (manifest with roles + seg<N>.bin), with the --like-kernel changes
made in the bytes too: the backup segment dropped, the elfcorehdr rewritten without the low
PT_LOADs, the boot_params e820 (table and a SETUP_E820_EXT) rewritten from the like-kernel
memory map.
Also shows the schema concretely:
  {"syscall", "flags", "entry", "cmdline", "segments": [{"role", "mem", "memsz", "bufsz",
   "sha256", "in_digest"}], "kdump_memmap": [{"start", "end", "type"}],
   "elfcorehdr": {"mem", "memsz", "phnum", "capacity", "spare", "loads": [{"paddr", "vaddr",
   "size"}]}}   (numbers as "0x…" strings, ranges half-open, loads[0] = kernel text)
"""
import hashlib
import json
import os
import struct
import sys

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare import Peer, MiB, START_KERNEL_MAP, norm, minus, sg  # noqa: E402


def core_bytes(p, notes, loads):
    """The peer's elfcorehdr with @notes then @loads as its program headers (same buffer size)."""
    b = bytearray(len(p.ehdr.data))
    b[:64] = p.ehdr.data[:64]
    phoff = struct.unpack_from("<Q", b, 32)[0]
    for i, ph in enumerate(notes + loads):
        struct.pack_into("<IIQQQQQQ", b, phoff + 56 * i, ph["type"], ph["flags"], ph["offset"], ph["vaddr"],
                         ph["paddr"], ph["filesz"], ph["memsz"], ph["align"])
    struct.pack_into("<H", b, 56, len(notes) + len(loads))
    return bytes(b)


def setup_bytes(p, memmap):
    """The peer's boot_params with its e820 replaced by @memmap [(start, end, type)]: the first
    128 entries in the table, the rest in a new SETUP_E820_EXT appended to the segment, which
    then heads the setup_data chain alone."""
    b = bytearray(p.setup.data)
    b[0x2d0:0x2d0 + 20 * sg.E820_MAX] = bytes(20 * sg.E820_MAX)
    for i, (s, e, t) in enumerate(memmap[:sg.E820_MAX]):
        struct.pack_into("<QQI", b, 0x2d0 + 20 * i, s, e - s, t)
    b[0x1e8] = min(len(memmap), sg.E820_MAX)
    ext = memmap[sg.E820_MAX:]
    if ext:
        b += bytes(-len(b) % 16)
        off = len(b)
        b += struct.pack("<QII", 0, sg.SETUP_E820_EXT, 20 * len(ext))
        for s, e, t in ext:
            b += struct.pack("<QQI", s, e - s, t)
        if len(b) > p.setup.memsz:
            raise SystemExit("peer2json: %d e820 entries do not fit the setup segment" % len(memmap))
        struct.pack_into("<Q", b, 0x250, p.setup.mem + off)
    return bytes(b)


def main():
    d = sys.argv[1]
    like_kernel = "--like-kernel" in sys.argv[2:]
    dump = sys.argv[sys.argv.index("--dump-segments") + 1] if "--dump-segments" in sys.argv else None
    p = Peer(d)
    h = lambda x: "0x%x" % x
    phdrs = p.core.phdrs
    notes = [ph for ph in phdrs if ph["type"] == sg.PT_NOTE]
    loads = sorted((ph for ph in phdrs if ph["type"] == sg.PT_LOAD),
                   key=lambda l: (l["vaddr"] < START_KERNEL_MAP, l["paddr"]))
    if like_kernel:
        loads = [l for l in loads if l["vaddr"] >= START_KERNEL_MAP or l["paddr"] >= MiB]
    memmap = list(p.e820)
    if like_kernel and p.backup:
        b = (p.backup.mem, p.backup.mem + p.backup.memsz)
        ram = norm([(s, e) for s, e, t in memmap if t == 1] + [b])
        ram = minus(ram, [(p.ehdr.mem, p.ehdr.mem + p.ehdr.memsz)])
        memmap = sorted([m for m in memmap if m[2] != 1] + [(s, e, 1) for s, e in ram])
    ramdisk = p.dump.containing(p.bp.ramdisk_image)
    segs, files = [], []
    for s in p.segs:
        role, data = "segment", s.data
        if s is p.ehdr:
            role, data = "elfcorehdr", core_bytes(p, notes, loads)
        elif s is p.setup:
            role, data = "setup", setup_bytes(p, memmap)
        elif s is p.backup:
            role = "backup"
        elif s is ramdisk:
            role = "initrd"
        if like_kernel and role == "backup":
            continue
        segs.append(dict(role=role, mem=h(s.mem), memsz=h(s.memsz), bufsz=h(len(data)),
                         sha256=hashlib.sha256(data).hexdigest(), in_digest=role != "elfcorehdr"))
        files.append(data)
    out = dict(syscall="kexec_load", flags=h(p.flags), entry=h(p.entry), cmdline=p.cmdline,
               segments=segs, kdump_memmap=[dict(start=h(s), end=h(e), type=sg.e820_type_name(t)) for s, e, t in memmap],
               elfcorehdr=dict(mem=h(p.ehdr.mem), memsz=h(p.ehdr.memsz), phnum=len(loads) + len(notes),
                               capacity=len(loads) + len(notes), spare=0,
                               loads=[dict(paddr=h(l["paddr"]), vaddr=h(l["vaddr"]), size=h(l["memsz"])) for l in loads]))
    if dump:
        os.makedirs(dump, exist_ok=True)
        with open(os.path.join(dump, "manifest"), "w") as f:
            f.write("syscall kexec_load\nflags %s\nentry %s\n" % (h(p.flags), h(p.entry)))
            for i, (sj, data) in enumerate(zip(segs, files)):
                f.write("seg %d %s mem=%s memsz=%s bufsz=%s digest=%d file=seg%d.bin\n" % (
                    i, sj["role"], sj["mem"], sj["memsz"], sj["bufsz"], sj["in_digest"], i))
                open(os.path.join(dump, "seg%d.bin" % i), "wb").write(data)
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
