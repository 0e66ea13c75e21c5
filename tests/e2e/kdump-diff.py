#!/usr/bin/env python3
"""kdump-diff.py — what the kdump kernel got from our kexec_load plan vs from the kernel's
own kexec_file_load (-s) plan, on the same machine.

usage: kdump-diff.py OURS.log KERNEL.log   (two guest console logs, tests/e2e/work/logs)
       kdump-diff.py --selftest               (synthetic logs: the same passes, each kind of
                                               difference fails)

The two logs come from two boots of one guest configuration (same RAM, same crashkernel=,
nokaslr so that the kernel reserves the same crash region and crash CMA ranges each time):
one loaded by our `kexec -c -p`, one by `kexec -s -p`, where the kernel builds the kdump
kernel's memory map and its ELF core header itself. Compared, from what each kdump kernel
printed (init.sh):

  RESERVE  the first kernels' crash regions and crash CMA ranges are the same (else the
           comparison would mean nothing: FAIL)
  RAM      the kdump kernel's top-level System RAM in /proc/iomem
  MEMMAP   the e820 map it was handed, by type (/sys/firmware/memmap; x86)
  LOAD     the vmcore's PT_LOADs: the kernel text one (same paddr and size) and the union of
           the direct-map ones
  MEMTOTAL the kdump kernel's MemTotal, within 2 MiB
  CMDLINE  the kdump command line, word for word

Deliberate differences, printed as "DIFF-OK TAG: …" when they occur, anything else is a
"KDUMP-DIFF-BAD: …" line and exit 1:

  ELFCOREHDR  each side keeps its own core header out of the kdump kernel's RAM, at its own
              address: the kernel puts it at the bottom of the crash region with its own size
              (crash_elfcorehdr_size where CONFIG_CRASH_HOTPLUG), we put it at the top with our
              slot capacity. A RAM (or e820 RAM) piece that only one side has must start at the
              OTHER side's elfcorehdr= address and be at most 1 MiB long.
  SPLIT       the PT_LOAD lists differ but cover the same memory (where a range is cut)
  CMDLINE     elfcorehdr= (each side's own address) and the per-boot test words e2e_token=,
              e2e_mpa= (random marker, its page) may differ
Exit: 0 same apart from the listed differences, 1 a difference, 2 bad input.
"""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
from rangeset import minus, norm  # noqa: E402  (tests/tools: shared by the test tools)

MIB = 1 << 20
TEXT_BASE = 0xffffffff80000000   # x86_64 kernel text mapping (the only arch with -s here)


def parse(path, text=None):
    f = {"crash": [], "cma": None, "ram": [], "memmap": [], "loads": [], "memtotal": None,
         "cmdline": None, "ok": False}
    if text is None:
        try:
            text = open(path, errors="replace").read()
        except OSError as e:
            sys.exit(f"kdump-diff: {path}: {e.strerror}")
    kdump = False
    for line in text.splitlines():
        line = line.rstrip("\r")
        if line.startswith("E2E: KDUMP-KERNEL "):
            kdump = True
        m = re.match(r"E2E: iomem: +([0-9a-f]+)-([0-9a-f]+) : Crash kernel$", line)
        if m and not kdump:
            f["crash"].append((int(m[1], 16), int(m[2], 16) + 1))
        m = re.match(r"E2E: CMA-RANGES \S+: \d+ range\(s\): (.*)$", line)
        if m:
            f["cma"] = sorted(m[1].split())
        if not kdump:
            continue
        m = re.match(r"E2E: kdump-ram: ([0-9a-f]+)-([0-9a-f]+) : System RAM$", line)
        if m:
            f["ram"].append((int(m[1], 16), int(m[2], 16) + 1))
        m = re.match(r"E2E: kdump-memmap: 0x([0-9a-f]+)-0x([0-9a-f]+) (.+)$", line)
        if m:
            f["memmap"].append((int(m[1], 16), int(m[2], 16) + 1, m[3].strip()))
        m = re.match(r"E2E: kdump-MemTotal: +(\d+) kB", line)
        if m:
            f["memtotal"] = int(m[1])
        if line.startswith("E2E: cmdline: ") and "elfcorehdr=" in line:
            f["cmdline"] = line[len("E2E: cmdline: "):].split()
        m = re.match(r"PH\d+ +LOAD +off=0x[0-9a-f]+ vaddr=0x([0-9a-f]+) paddr=0x([0-9a-f]+) "
                     r"filesz=0x[0-9a-f]+ memsz=0x([0-9a-f]+)", line)
        if m:
            f["loads"].append((int(m[1], 16), int(m[2], 16), int(m[3], 16)))
        if line.startswith("KDUMP-OK"):
            f["ok"] = True
    if not f["ok"]:
        sys.exit(f"kdump-diff: {path}: no KDUMP-OK line (the kdump kernel did not pass)")
    for k in ("ram", "loads", "memtotal", "cmdline"):
        if not f[k]:
            sys.exit(f"kdump-diff: {path}: the kdump kernel's {k} is missing")
    f["hdr"] = next(int(w.split("=", 1)[1], 0) for w in f["cmdline"] if w.startswith("elfcorehdr="))
    return f


def fmt(r):
    return ", ".join(f"[{a:#x}, {b:#x})" for a, b in r) or "none"


class Diff:
    def __init__(self):
        self.bad = []
        self.facts = 0

    def ok(self, tag, msg):
        print(f"DIFF-OK {tag}: {msg}")

    def fail(self, what, msg):
        self.bad.append(what)
        print(f"KDUMP-DIFF-BAD: {what}: {msg}")

    def same(self, what, msg):
        self.facts += 1
        print(f"SAME {what}: {msg}")

    def ranges(self, what, ours, kern, o_hdr, k_hdr):
        """compare two range sets; a one-sided piece must be the other side's header area"""
        ours, kern = norm(ours), norm(kern)
        only_o, only_k = minus(ours, kern), minus(kern, ours)
        bad = False
        for pieces, hdr, who, whose in ((only_o, k_hdr, "ours", "the kernel's"),
                                        (only_k, o_hdr, "the kernel's", "our")):
            for (a, b) in pieces:
                if a == hdr and b - a <= MIB:
                    self.ok("ELFCOREHDR", f"{what}: [{a:#x}, {b:#x}) is {whose} core header "
                            f"({b - a:#x} bytes at elfcorehdr={hdr:#x}), {who} keeps it")
                else:
                    bad = True
                    self.fail(what, f"[{a:#x}, {b:#x}) only in {who}")
        if not bad:
            common = minus(ours, minus(ours, kern))
            self.same(what, f"{len(common)} range(s), {sum(b - a for a, b in common) >> 20} MiB "
                      f"in both: {fmt(common)}")


def compare(o, k):
    d = Diff()
    # RESERVE
    if o["crash"] != k["crash"] or o["cma"] != k["cma"]:
        d.fail("RESERVE", f"the two boots reserved differently: ours crash {fmt(o['crash'])} "
               f"CMA {o['cma']}, kernel's crash {fmt(k['crash'])} CMA {k['cma']}")
        return 1
    d.same("RESERVE", f"crash {fmt(o['crash'])}, crash CMA {' '.join(o['cma'] or []) or 'none'}")
    # RAM
    d.ranges("RAM", o["ram"], k["ram"], o["hdr"], k["hdr"])
    # MEMMAP (by type)
    if o["memmap"] or k["memmap"]:
        types = sorted({t for *_, t in o["memmap"]} | {t for *_, t in k["memmap"]})
        for t in types:
            d.ranges(f"MEMMAP {t}", [(a, b) for a, b, u in o["memmap"] if u == t],
                     [(a, b) for a, b, u in k["memmap"] if u == t], o["hdr"], k["hdr"])
    # LOAD
    ot = [x for x in o["loads"] if x[0] >= TEXT_BASE]
    kt = [x for x in k["loads"] if x[0] >= TEXT_BASE]
    if [(p, s) for _, p, s in ot] == [(p, s) for _, p, s in kt]:
        d.same("LOAD text", ", ".join(f"paddr {p:#x} size {s:#x}" for _, p, s in ot) or "none")
    else:
        d.fail("LOAD text", f"ours {[(hex(p), hex(s)) for _, p, s in ot]}, "
               f"the kernel's {[(hex(p), hex(s)) for _, p, s in kt]}")
    ol = [(p, p + s) for v, p, s in o["loads"] if v < TEXT_BASE]
    kl = [(p, p + s) for v, p, s in k["loads"] if v < TEXT_BASE]
    if norm(ol) == norm(kl):
        if sorted(ol) != sorted(kl):
            d.ok("SPLIT", f"LOAD: {len(ol)} vs {len(kl)} direct-map PT_LOADs, the same memory")
        d.same("LOAD direct map", f"{len(norm(ol))} range(s), "
               f"{sum(b - a for a, b in norm(ol)) >> 20} MiB dumped: {fmt(norm(ol))}")
    else:
        d.fail("LOAD direct map", f"only ours: {fmt(minus(norm(ol), norm(kl)))}; "
               f"only the kernel's: {fmt(minus(norm(kl), norm(ol)))}")
    # MEMTOTAL
    dm = o["memtotal"] - k["memtotal"]
    if abs(dm) <= 2048:
        d.same("MEMTOTAL", f"ours {o['memtotal']} kB, the kernel's {k['memtotal']} kB ({dm:+d} kB)")
    else:
        d.fail("MEMTOTAL", f"ours {o['memtotal']} kB, the kernel's {k['memtotal']} kB ({dm:+d} kB)")
    # CMDLINE
    skip = ("elfcorehdr=", "e2e_token=", "e2e_mpa=")
    ow = [w for w in o["cmdline"] if not w.startswith(skip)]
    kw = [w for w in k["cmdline"] if not w.startswith(skip)]
    if ow == kw:
        d.ok("CMDLINE", f"elfcorehdr={o['hdr']:#x} (ours) vs {k['hdr']:#x} (the kernel's); "
             "e2e_token=/e2e_mpa= are per boot")
        d.same("CMDLINE", f"{len(ow)} other words")
    else:
        d.fail("CMDLINE", f"ours {' '.join(ow)!r}, the kernel's {' '.join(kw)!r}")
    if d.bad:
        print(f"KDUMP-DIFF-BAD {len(d.bad)} difference(s): {', '.join(d.bad)}")
        return 1
    print(f"KDUMP-DIFF-OK {d.facts} facts the same")
    return 0


def synth(hdr, hdrsz, ram_extra=(), text=0x1000000, loads_extra=(), memtotal=205384, word="irqpoll",
          crash="2d000000-3cffffff"):
    """a guest log as init.sh prints it: crash region [0x2d000000, 0x3d000000) on 1 GiB"""
    ram = [(0x1000, 0x9fc00), (0x2d000000, hdr), (hdr + hdrsz, 0x3d000000)] if hdr == 0x2d000000 or \
        hdr + hdrsz == 0x3d000000 else []
    ram = [(a, b) for a, b in ram if b > a] + list(ram_extra)
    loads = [(0xffffffff81000000, text, 0x3430000), (0xff11000000100000, 0x100000, 0x2cf00000),
             (0xff1100003d000000, 0x3d000000, 0x2fe0000)] + list(loads_extra)
    out = [f"E2E: iomem:   {crash} : Crash kernel", "E2E: KDUMP-KERNEL 7.3 x86_64 up 1s"]
    out += [f"E2E: kdump-ram: {a:08x}-{b - 1:08x} : System RAM" for a, b in ram]
    out += [f"E2E: kdump-memmap: 0x{a:x}-0x{b - 1:x} System RAM" for a, b in ram]
    out += ["E2E: kdump-memmap: 0x0-0xfff Reserved", f"E2E: kdump-MemTotal:   {memtotal} kB",
            f"E2E: cmdline: elfcorehdr={hdr:#x} console=ttyS0 {word} e2e_token=1 e2e_mpa=0x1000"]
    out += [f"PH{i + 1}   LOAD  off=0x0 vaddr=0x{v:016x} paddr=0x{p:010x} filesz=0x{z:010x} "
            f"memsz=0x{z:010x}" for i, (v, p, z) in enumerate(loads)]
    return "\r\n".join(out + ["KDUMP-OK size=1"]) + "\r\n"


def selftest():
    import contextlib
    import io
    kern = synth(0x2d000000, 0xe00b0)
    cases = [  # name, ours, kernel, want exit, a word the report must hold
        ("same apart from the headers", synth(0x3cf1f000, 0xe1000), kern, 0, "KDUMP-DIFF-OK"),
        ("extra RAM in ours", synth(0x3cf1f000, 0xe1000, ram_extra=[(0x4d000000, 0x6d000000)]), kern, 1,
         "RAM: [0x4d000000, 0x6d000000) only in ours"),
        ("a header over 1 MiB", synth(0x3ce00000, 0x200000), kern, 1, "only in the kernel's"),
        ("another text paddr", synth(0x3cf1f000, 0xe1000, text=0x2000000), kern, 1, "LOAD text"),
        ("more dumped", synth(0x3cf1f000, 0xe1000, loads_extra=[(0xff1100004d000000, 0x4d000000, 0x1000)]),
         kern, 1, "only ours: [0x4d000000, 0x4d001000)"),
        ("MemTotal", synth(0x3cf1f000, 0xe1000, memtotal=305384), kern, 1, "MEMTOTAL"),
        ("a command-line word", synth(0x3cf1f000, 0xe1000, word="nousb"), kern, 1, "CMDLINE"),
        ("other reservations", synth(0x3cf1f000, 0xe1000, crash="2d000000-3dffffff"), kern, 1, "RESERVE"),
    ]
    bad = 0
    for name, ours, k, want, word in cases:
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            rc = compare(parse("ours", ours), parse("kernel", k))
        good = rc == want and word in buf.getvalue()
        bad += not good
        print(f"{'ok' if good else 'problem'}: {name}: exit {rc} (want {want}), "
              f"{'says' if word in buf.getvalue() else 'lacks'} {word!r}")
        if not good:
            print(buf.getvalue())
    return 1 if bad else 0


def main():
    if sys.argv[1:] == ["--selftest"]:
        return selftest()
    if len(sys.argv) != 3:
        sys.exit(__doc__.split("\n\n")[1])
    return compare(parse(sys.argv[1]), parse(sys.argv[2]))


if __name__ == "__main__":
    sys.exit(main())
