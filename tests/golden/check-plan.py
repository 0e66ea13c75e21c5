#!/usr/bin/env python3
"""check-plan.py ROOT PLAN.json [--normal] -- invariants of a kexec-ng --dry-run --json plan.

Checks, against the machine in ROOT (its proc/iomem):
  crash plans:
  - flags: KEXEC_ON_CRASH and KEXEC_ARCH_X86_64 (62 << 16)
  - every segment page aligned, inside the main (highest) "Crash kernel" range, no overlaps,
    at most 16, at least one page of the region left free (control pages), entry in a segment
  - exactly one elfcorehdr segment; the command line says elfcorehdr=0x<its address>
  - elfcorehdr PT_LOADs after the first (kernel text) == System RAM - crash regions - [0, 1 MiB)
  - elfcorehdr capacity >= phnum and spare == capacity - phnum
  - kdump_memmap RAM == every crash region - the elfcorehdr segment + RAM below 1 MiB,
    i.e. the elfcorehdr is never RAM for the kdump kernel
  - the purgatory is not in the digest; every other segment is, except the elfcorehdr, which
    is not checked either way (it must end up outside, DESIGN.md 1.1; the loader changes later)
  normal plans (--normal): segments inside System RAM, no overlaps, entry in a segment.
Prints "ok: <what>" lines; exits 1 with "problem: ..." lines if anything fails.
"""
import json, os, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
from rangeset import iomem_file, minus, norm as merge  # noqa: E402

PAGE = 4096
MIB = 1 << 20


def iomem(root):
    return iomem_file(f"{root}/proc/iomem")


def h(v):
    return int(v, 16)


def main():
    root, planf = sys.argv[1], sys.argv[2]
    normal = "--normal" in sys.argv
    p = json.load(open(planf))
    ram, crash = iomem(root)
    probs = []

    def ok(cond, what):
        print(("ok: " if cond else "problem: ") + what)
        if not cond:
            probs.append(what)

    segs = [(s["role"], h(s["mem"]), h(s["memsz"]), h(s["bufsz"]), s["in_digest"]) for s in p["segments"]]
    entry = h(p["entry"])
    ok(len(segs) <= 16, f"{len(segs)} segments <= 16")
    ok(all(m % PAGE == 0 and sz % PAGE == 0 and bsz <= sz for _, m, sz, bsz, _ in segs),
       "segments page aligned, bufsz <= memsz")
    srt = sorted((m, m + sz) for _, m, sz, _, _ in segs)
    ok(all(srt[i][1] <= srt[i + 1][0] for i in range(len(srt) - 1)), "segments do not overlap")
    ok(any(m <= entry < m + sz for _, m, sz, _, _ in segs), f"entry {entry:#x} inside a segment")
    # The elfcorehdr belongs outside the digest (DESIGN.md 1.1: hotplug rewrites it in place);
    # until the loader does that, assert neither way for it.
    ok(all(not d for r, _, _, _, d in segs if r == "purgatory"), "the purgatory is outside the digest")
    ok(all(d for r, _, _, _, d in segs if r not in ("purgatory", "elfcorehdr")),
       "every segment but the purgatory and the elfcorehdr is inside the digest")
    if normal:
        ok(all(any(a <= m and m + sz <= b for a, b in ram) for _, m, sz, _, _ in segs),
           "normal segments inside System RAM")
        return finish(probs)

    main_r = crash[-1]
    flags = h(p["flags"])
    ok(flags & 1 and flags >> 16 == 62, f"flags {flags:#x}: ON_CRASH, KEXEC_ARCH_X86_64")
    ok(all(main_r[0] <= m and m + sz <= main_r[1] for _, m, sz, _, _ in segs),
       f"every segment inside the main crash region [{main_r[0]:#x}, {main_r[1]:#x})")
    used = sum(sz for _, _, sz, _, _ in segs)
    ok(main_r[1] - main_r[0] - used >= PAGE, "a free page is left in the crash region")
    hdrs = [s for s in segs if s[0] == "elfcorehdr"]
    ok(len(hdrs) == 1, "one elfcorehdr segment")
    e = p["elfcorehdr"]
    hmem, hsz = h(e["mem"]), h(e["memsz"])
    ok(f"elfcorehdr=0x{hmem:x}" in p["cmdline"].split(), "cmdline carries elfcorehdr=0x<address>")
    loads = [(h(l["paddr"]), h(l["paddr"]) + h(l["size"])) for l in e["loads"]]
    want = minus(ram, crash + [(0, MIB)])
    ok(merge(loads[1:]) == want,
       f"PT_LOADs == System RAM - crash regions - [0,1M): {len(want)} ranges, {sum(b - a for a, b in want) >> 20} MiB")
    ok(e["capacity"] >= e["phnum"] and e["spare"] == e["capacity"] - e["phnum"],
       f"capacity {e['capacity']} >= phnum {e['phnum']}, spare {e['spare']}")
    mram = merge([(h(m["start"]), h(m["end"])) for m in p["kdump_memmap"] if m["type"] == "ram"])
    want_ram = merge(minus(crash, [(hmem, hmem + hsz)]) + [(a, min(b, MIB)) for a, b in ram if a < MIB])
    ok(mram == want_ram, "kdump RAM == crash regions - elfcorehdr + RAM below 1 MiB")
    ok(not any(a < hmem + hsz and hmem < b for a, b in mram), "elfcorehdr is not kdump RAM")
    return finish(probs)


def finish(probs):
    if probs:
        print(f"{len(probs)} problem(s)")
        return 1
    return 0


sys.exit(main())
