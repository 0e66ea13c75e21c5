#!/usr/bin/env python3
"""punch-holes.py FIXTURE OUT [--holes N] -- a /proc/iomem listing with more than 128 memory map
entries, for the SETUP_E820_EXT path (tests/golden/run-golden.sh, tests/diff/run-diff.sh).

Copies the iomem listing FIXTURE (an x86_64 one from tests/golden/fixtures) to OUT, but its last
top-level "System RAM" range at or above 4 GiB is cut into N (default 160) 4 MiB pieces, each
ending in a one-page top-level "Reserved" hole (the remainder after the last hole stays RAM).
Every hole is an e820-reserved range that the kdump kernel's memory map passes on, so with the
listing's own entries the map has more than 128 entries. A '#' provenance line says so.
Python 3 stdlib only.
"""
import argparse
import re
import sys

ap = argparse.ArgumentParser()
ap.add_argument("fixture")
ap.add_argument("out")
ap.add_argument("--holes", type=int, default=160)
a = ap.parse_args()
lines = open(a.fixture).read().splitlines()
ram = [i for i, l in enumerate(lines) if re.match(r"^([0-9a-f]+)-([0-9a-f]+) : System RAM$", l)
       and int(l.split("-")[0], 16) >= 1 << 32]
if not ram:
    sys.exit("punch-holes: %s has no top-level System RAM at or above 4 GiB" % a.fixture)
i = ram[-1]
start, end = (int(x, 16) for x in lines[i].split(" ")[0].split("-"))
piece = 4 << 20
if (end + 1 - start) < a.holes * piece:
    sys.exit("punch-holes: %#x-%#x is too small for %d holes" % (start, end, a.holes))
out = []
for k in range(a.holes):
    b = start + k * piece
    out += ["%x-%x : System RAM" % (b, b + piece - 0x1000 - 1), "%x-%x : Reserved" % (b + piece - 0x1000, b + piece - 1)]
if start + a.holes * piece <= end:
    out.append("%x-%x : System RAM" % (start + a.holes * piece, end))
prov = ["# synthetic: tests/tools/punch-holes.py --holes %d: the %x-%x System RAM below cut by %d one-page "
        "Reserved holes (more than 128 e820 entries: SETUP_E820_EXT)" % (a.holes, start, end, a.holes)]
open(a.out, "w").write("\n".join(prov + lines[:i] + out + lines[i + 1:]) + "\n")
