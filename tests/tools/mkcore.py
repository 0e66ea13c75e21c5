#!/usr/bin/env python3
"""mkcore.py - write ELF64 core headers for the kdump-elf tool tests (tests/unit/test-kdump-elf-cli.sh).

usage:
  mkcore.py blob OUT [--slots N] [--machine M] [--ehdr FIELD=VALUE ...] [--truncate N] PHDR...
      An elfcorehdr-style blob: Ehdr, e_phnum program headers from PHDR, then zero (PT_NULL)
      slots up to N slots in all (default: as many PHDRs as given). PHDR is one of
        note:PADDR:SIZE               PT_NOTE, p_offset = p_paddr = PADDR, filesz = memsz = SIZE
        load:PADDR:SIZE[:VADDR]       PT_LOAD RWX, p_offset = PADDR, filesz = memsz = SIZE
                                      (VADDR default: 0xffff888000000000 + PADDR, the direct map)
        loadfm:PADDR:FILESZ:MEMSZ     PT_LOAD with different filesz and memsz
        type:N:PADDR:SIZE             p_type N
        null                          an all-zero slot counted in e_phnum
      numbers in any Python int() base-0 form. --ehdr overrides an Ehdr field after the build:
        class, data, version (e_ident[EI_VERSION]), type, machine, e_version, phoff, ehsize,
        phentsize, phnum, magic (4 bytes as hex). --truncate cuts the file to N bytes.
  mkcore.py break-note IN OUT
      Copy a vmcore/kcore-shaped file and set the first note of its first PT_NOTE to an n_descsz
      that runs past the note data; prints the file offset of that note.
  mkcore.py vmcoreinfo FILE
      Print the VMCOREINFO text of an in-file PT_NOTE (to compare with kdump-elf show -a).
Python 3 stdlib only.
"""
import struct
import sys

EHDR = struct.Struct("<4sBBBBB7sHHIQQQIHHHHHH")
PHDR = struct.Struct("<IIQQQQQQ")
PT_LOAD, PT_NOTE = 1, 4
DIRECT_MAP = 0xffff888000000000
FIELDS = {  # name -> (offset, struct format)
    "class": (4, "<B"), "data": (5, "<B"), "version": (6, "<B"), "type": (16, "<H"),
    "machine": (18, "<H"), "e_version": (20, "<I"), "phoff": (32, "<Q"), "ehsize": (52, "<H"),
    "phentsize": (54, "<H"), "phnum": (56, "<H"),
}


def n(x):
    return int(x, 0)


def phdr(spec):
    w = spec.split(":")
    k = w[0]
    if k == "null":
        return bytes(PHDR.size)
    if k == "note":
        pa, sz = n(w[1]), n(w[2])
        return PHDR.pack(PT_NOTE, 0, pa, 0, pa, sz, sz, 0)
    if k == "load":
        pa, sz = n(w[1]), n(w[2])
        va = n(w[3]) if len(w) > 3 else (DIRECT_MAP + pa) & ((1 << 64) - 1)
        return PHDR.pack(PT_LOAD, 7, pa, va, pa, sz, sz, 0)
    if k == "loadfm":
        pa, fs, ms = n(w[1]), n(w[2]), n(w[3])
        return PHDR.pack(PT_LOAD, 7, pa, DIRECT_MAP + pa, pa, fs, ms, 0)
    if k == "type":
        t, pa, sz = n(w[1]), n(w[2]), n(w[3])
        return PHDR.pack(t, 0, pa, 0, pa, sz, sz, 0)
    raise SystemExit("mkcore: unknown program header spec %r" % spec)


def blob(args):
    out, slots, machine, over, trunc, specs = None, None, 62, [], None, []
    i = 0
    while i < len(args):
        a = args[i]
        if a in ("--slots", "--machine", "--ehdr", "--truncate"):
            v = args[i + 1]
            i += 2
            if a == "--slots":
                slots = n(v)
            elif a == "--machine":
                machine = n(v)
            elif a == "--ehdr":
                over.append(v)
            else:
                trunc = n(v)
            continue
        if out is None:
            out = a
        else:
            specs.append(a)
        i += 1
    if out is None:
        raise SystemExit(__doc__)
    ph = [phdr(s) for s in specs]
    slots = max(slots or 0, len(ph))
    ehdr = bytearray(EHDR.pack(b"\x7fELF", 2, 1, 1, 0, 0, bytes(7), 4, machine, 1, 0, 64, 0, 0,
                               64, 56, len(ph), 0, 0, 0))
    for o in over:
        k, v = o.split("=", 1)
        if k == "magic":
            ehdr[0:4] = bytes.fromhex(v)
            continue
        off, fmt = FIELDS[k]
        struct.pack_into(fmt, ehdr, off, n(v))
    data = bytes(ehdr) + b"".join(ph) + bytes(PHDR.size * (slots - len(ph)))
    if trunc is not None:
        data = data[:trunc]
    open(out, "wb").write(data)


def first_note(b):
    phoff, = struct.unpack_from("<Q", b, 32)
    phnum, = struct.unpack_from("<H", b, 56)
    for i in range(phnum):
        t, _, off, _, _, fs, _, _ = PHDR.unpack_from(b, phoff + 56 * i)
        if t == PT_NOTE and off + fs <= len(b) and off >= phoff + 56 * phnum:
            return off, fs
    raise SystemExit("mkcore: no PT_NOTE with its data in the file")


def break_note(src, dst):
    b = bytearray(open(src, "rb").read())
    off, fs = first_note(b)
    struct.pack_into("<I", b, off + 4, fs + 0x1000)   # n_descsz past the end of the segment
    open(dst, "wb").write(b)
    print("0x%x" % off)


def vmcoreinfo(path):
    b = open(path, "rb").read()
    off, fs = first_note(b)
    p, end = off, off + fs
    while p + 12 <= end:
        nsz, dsz, _ = struct.unpack_from("<III", b, p)
        name = b[p + 12:p + 12 + nsz].rstrip(b"\0")
        d = p + 12 + ((nsz + 3) & ~3)
        if name == b"VMCOREINFO":
            sys.stdout.write(b[d:d + dsz].split(b"\0")[0].decode())
            return
        p = d + ((dsz + 3) & ~3)
    raise SystemExit("mkcore: no VMCOREINFO note")


def main():
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "blob":
        blob(args)
    elif cmd == "break-note" and len(args) == 2:
        break_note(*args)
    elif cmd == "vmcoreinfo" and len(args) == 1:
        vmcoreinfo(args[0])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
