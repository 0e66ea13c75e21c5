"""rangeset.py - half-open [start, end) range lists and /proc/iomem reading for the test tools
(check-plan.py, diff/compare.py, mkroot.py). Python 3 stdlib only."""
import re

_IOMEM = re.compile(r"^( *)([0-9a-fA-F]+)-([0-9a-fA-F]+) :(?: (.*))?$")


def norm(ranges):
    """Sorted, with overlapping or touching ranges merged and empty ones dropped."""
    out = []
    for s, e in sorted(r for r in ranges if r[1] > r[0]):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def minus(a, b):
    """norm(a) with every range of b cut out."""
    out = []
    for s, e in norm(a):
        parts = [(s, e)]
        for cs, ce in norm(b):
            nxt = []
            for ps, pe in parts:
                if ce <= ps or cs >= pe:
                    nxt.append((ps, pe))
                    continue
                if ps < cs:
                    nxt.append((ps, cs))
                if ce < pe:
                    nxt.append((ce, pe))
            parts = nxt
        out += parts
    return norm(out)


def overlaps(a, b):
    return bool(minus(a, minus(a, b)))


def fmt(rs, limit=8):
    rs = list(rs)
    if not rs:
        return "none"
    s = " ".join("[0x%x-0x%x)" % r for r in rs[:limit])
    return s + (" …(+%d)" % (len(rs) - limit) if len(rs) > limit else "")


def iomem_lines(lines):
    """(depth, start, end, name) per /proc/iomem line, end exclusive; '#' lines skipped.
    Raises ValueError naming the line on anything else."""
    out = []
    for n, l in enumerate(lines, 1):
        l = l.rstrip("\n")
        if not l.strip() or l.startswith("#"):
            continue
        m = _IOMEM.match(l)
        if not m:
            raise ValueError("iomem line %d not understood: %r" % (n, l))
        s, e = int(m.group(2), 16), int(m.group(3), 16)
        if e < s:
            raise ValueError("iomem line %d: end < start" % n)
        out.append((len(m.group(1)) // 2, s, e + 1, (m.group(4) or "").strip()))
    return out


def iomem_file(path):
    """(System RAM ranges, "Crash kernel" ranges) of an iomem file, normalized / sorted."""
    ram, crash = [], []
    for _, s, e, name in iomem_lines(open(path)):
        if name.startswith("System RAM"):
            ram.append((s, e))
        elif name == "Crash kernel":
            crash.append((s, e))
    return norm(ram), sorted(crash)
