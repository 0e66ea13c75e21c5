#!/usr/bin/env python3
"""complete-root-arm64.py — add the kallsyms line the arm64 peer needs for a correct text PT_LOAD.

usage: complete-root-arm64.py ROOT

The peer (kexec-tools 2.0.25, kexec/arch/arm64/crashdump-arm64.c) takes the physical start of
the kernel text PT_LOAD from /proc/iomem "Kernel code". Since Linux 5.x that resource starts at
__pa_symbol(_stext), not _text; the peer only corrects for that (start -= _stext - _text) when
kallsyms has __init_begin and __init_begin - _stext equals the "Kernel code" size. The roots of
tests/tools/mkroot.py --arch arm64 list _text, _stext, _etext and _end only, so without this
line the peer's text PT_LOAD would start 64 KiB too high (paddr = __pa(_stext), vaddr = _text).

This appends "<_stext + size of Kernel code> T __init_begin" to ROOT/proc/kallsyms when it has
_text and _stext and lacks __init_begin (a CONFIG_KALLSYMS_ALL=y kernel lists all three), so
the comparison of the text PT_LOAD can be exact. A root without _text is left alone: that is
the Debian 6.1 case (CONFIG_KALLSYMS_ALL=n) where the peer's header is known to be broken.
Prints what it did; exit 0 (2 = ROOT unreadable).
"""
import os
import re
import sys


def main():
    if len(sys.argv) != 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    root = sys.argv[1]
    ks_path = os.path.join(root, "proc/kallsyms")
    try:
        ks = open(ks_path).read()
        iomem = open(os.path.join(root, "proc/iomem")).read()
    except OSError as e:
        print("complete-root-arm64: %s" % e, file=sys.stderr)
        return 2
    syms = {}
    for l in ks.splitlines():
        w = l.split()
        if len(w) >= 3:
            syms.setdefault(w[2], int(w[0], 16))
    m = re.search(r"^\s*([0-9a-f]+)-([0-9a-f]+) : Kernel code$", iomem, re.M)
    if "__init_begin" in syms or "_text" not in syms or "_stext" not in syms or not m:
        print("complete-root-arm64: kallsyms left as is (_text %s, __init_begin %s)" %
              ("present" if "_text" in syms else "absent", "present" if "__init_begin" in syms else "absent"))
        return 0
    size = int(m.group(2), 16) + 1 - int(m.group(1), 16)
    with open(ks_path, "a") as f:
        f.write("%016x T __init_begin\n" % (syms["_stext"] + size))
    print("complete-root-arm64: added __init_begin = _stext + %#x" % size)
    return 0


if __name__ == "__main__":
    sys.exit(main())
