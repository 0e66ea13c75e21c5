#!/usr/bin/env python3
"""complete-root.py ROOT — add what the peer needs but a `kexec --capture-root` tree lacks.

kexec-ng never reads /proc/kallsyms, so its captures have none; Debian's kexec-tools 2.0.25 needs
`_stext` from it (x86_64 -p: to find the kernel-text mapping in /proc/kcore). This writes
ROOT/proc/kallsyms with "_stext"/"_text" lines whose address is SYMBOL(_stext) from the
VMCOREINFO note in ROOT/proc/kcore (on x86_64 _text == _stext). Files already present are left
alone. Python 3 stdlib only. Exit 0 ok, 1 when the kcore has no usable VMCOREINFO.
"""
import os
import struct
import sys


def vmcoreinfo(kcore):
    b = open(kcore, "rb").read()
    if b[:4] != b"\x7fELF" or b[4] != 2:
        return None
    phoff, phnum = struct.unpack_from("<Q", b, 32)[0], struct.unpack_from("<H", b, 56)[0]
    for i in range(phnum):
        t, _, off, _, _, fs, _, _ = struct.unpack_from("<IIQQQQQQ", b, phoff + 56 * i)
        if t != 4:
            continue
        p, end = off, min(off + fs, len(b))
        while p + 12 <= end:
            nsz, dsz, _ = struct.unpack_from("<III", b, p)
            name = b[p + 12:p + 12 + nsz].rstrip(b"\0")
            d0 = p + 12 + ((nsz + 3) & ~3)
            if name == b"VMCOREINFO":
                return b[d0:d0 + dsz].decode(errors="replace")
            p = d0 + ((dsz + 3) & ~3)
    return None


def main():
    root = sys.argv[1]
    ks = os.path.join(root, "proc/kallsyms")
    if os.path.exists(ks):
        return 0
    v = vmcoreinfo(os.path.join(root, "proc/kcore")) or ""
    st = [l.split("=", 1)[1] for l in v.splitlines() if l.startswith("SYMBOL(_stext)=")]
    if not st:
        print("complete-root: %s/proc/kcore has no VMCOREINFO SYMBOL(_stext)" % root, file=sys.stderr)
        return 1
    a = int(st[0], 16)
    with open(ks, "w") as f:
        f.write("%016x T _stext\n%016x T _text\n" % (a, a))
    return 0


if __name__ == "__main__":
    sys.exit(main())
