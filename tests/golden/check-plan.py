#!/usr/bin/env python3
"""check-plan.py ROOT PLAN.json [--normal] [--segments DIR --kernel F [--initrd F] [--want-e820-ext]]
-- invariants of a kexec-ng --dry-run --json plan, and of the bytes it would load.

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
  - the purgatory and the elfcorehdr are not in the digest (the elfcorehdr is rewritten in place
    after hotplug, DESIGN.md 1.1); every other segment is
  - the elfcorehdr is the only segment whose bytes start with the ELF magic (the kernel finds it
    that way), and its memsz >= crash_elfcorehdr_size + 64 when the plan sets a hotplug flag
  - crash CMA (the plan's "crash_cma", which --want-cma LIST pins independently, inclusive hex
    START-END,...): its ranges leave the PT_LOADs (== System RAM - crash regions - [0, 1 MiB) -
    CMA), become kdump RAM (kdump RAM == the above + CMA), and no segment lies in them
  normal plans (--normal): segments inside System RAM, no overlaps, entry in a segment.

With --segments DIR (what `kexec --dry-run --dump-segments DIR` wrote for the same command) the
segment bytes themselves are decoded with tests/tools/segments.py, without trusting the plan:
  - the manifest and files agree with the plan's segments (role, mem, memsz, bufsz, digest
    flag, sha256), entry and flags
  - boot_params (the setup segment): boot_flag/HdrS, sentinel 0, type_of_loader = kexec (0xD?),
    the setup header is the image's (KERNEL) except the fields a loader writes, the
    setup_data chain stays inside loaded segment bytes and holds only boot-protocol types
  - e820 (boot_params table + SETUP_E820_EXT): crash plans: exactly the plan's kdump_memmap,
    types RAM=1 reserved=2 ACPI=3 NVS=4 unusable=5 PMEM=7 PRAM=12; normal plans: RAM = System
    RAM minus the typed firmware ranges of iomem, every other type = its iomem ranges; more than
    128 entries go to a SETUP_E820_EXT (--want-e820-ext: and there must be more)
  - cmd_line_ptr points inside the setup segment at a NUL-terminated string equal to the
    plan's cmdline, no longer than cmdline_size
  - ramdisk_image/ramdisk_size are the initrd segment's address and the size of INITRD, whose
    bytes the segment holds (0 and 0 without --initrd); the kernel segment holds the image's
    protected-mode part
  - crash plans: the elfcorehdr segment parses as an ELF64 ET_CORE header (EM_X86_64) with the
    plan's phnum, capacity and spare slots (all zero), its PT_NOTEs = one per cpuN/crash_notes of
    ROOT then the VMCOREINFO note of ROOT's sys/kernel/vmcoreinfo, its PT_LOADs = the plan's
    loads, notes before loads, p_offset = p_paddr (what the kdump kernel reads), and the
    command line's elfcorehdr= is that segment's address.
Prints "ok: <what>" lines; exits 1 with "problem: ..." lines if anything fails.
"""
import argparse, glob, hashlib, json, os, re, sys

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
from rangeset import iomem_file, iomem_lines, minus, norm as merge  # noqa: E402
import segments as sg  # noqa: E402

PAGE = 4096
MIB = 1 << 20


def iomem(root):
    return iomem_file(f"{root}/proc/iomem")


def h(v):
    return int(v, 16)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("root")
    ap.add_argument("plan")
    ap.add_argument("--normal", action="store_true")
    ap.add_argument("--segments")
    ap.add_argument("--kernel")
    ap.add_argument("--initrd")
    ap.add_argument("--want-e820-ext", action="store_true")
    ap.add_argument("--want-cma", default=None, metavar="START-END,...")
    a = ap.parse_args()
    root, planf, normal = a.root, a.plan, a.normal
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
    # a kernel segment trimmed to its bytes keeps the rest of init_size free; for x86 that is
    # safe only where the kernel's control pages (the lowest free crash pages) land elsewhere
    for sj in p["segments"]:
        kept = h(sj.get("kept_free", "0x0"))
        if not kept:
            continue
        km, ke = h(sj["mem"]), h(sj["mem"]) + h(sj["memsz"]) + kept
        ok(all(e <= km or m >= ke for r, m, sz, _, _ in segs if r != sj["role"] for e in [m + sz]),
           f"nothing inside the kernel's kept-free init_size [{km + h(sj['memsz']):#x}, {ke:#x})")
        if crash and p["flags"] and int(p["flags"], 16) & 1:
            main = crash[-1]
            low_used = [(m, m + sz) for _, m, sz, _, _ in segs if m < km]
            first_free = main[0]
            for m, e in sorted(low_used):
                if m <= first_free < e:
                    first_free = e
            ok(first_free + PAGE <= km,
               f"the crash region's lowest free page {first_free:#x} lies below the trimmed kernel at {km:#x}")
    # The elfcorehdr is outside the digest (DESIGN.md 1.1: hotplug rewrites it in place)
    ok(all(not d for r, _, _, _, d in segs if r in ("purgatory", "elfcorehdr")),
       "the purgatory and the elfcorehdr are outside the digest")
    ok(all(d for r, _, _, _, d in segs if r not in ("purgatory", "elfcorehdr")),
       "every segment but the purgatory and the elfcorehdr is inside the digest")
    if a.segments:
        check_bytes(a, p, root, ok)
    if normal:
        ok(all(any(lo <= m and m + sz <= hi for lo, hi in ram) for _, m, sz, _, _ in segs),
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
    cma = [(h(r["start"]), h(r["end"])) for r in p.get("crash_cma", {}).get("ranges", [])]
    if a.want_cma is not None:
        wc = [(int(x.split("-")[0], 16), int(x.split("-")[1], 16) + 1) for x in filter(None, a.want_cma.split(","))]
        ok(cma == wc, f"crash CMA ranges {[(hex(x), hex(y)) for x, y in cma]} == the expected {[(hex(x), hex(y)) for x, y in wc]}")
    if cma:
        ok(all(not (lo < ce and cs < hi) for cs, ce in cma for lo, hi in loads[1:]), "no PT_LOAD covers a crash CMA range")
        ok(all(not (m < ce and cs < m + sz) for cs, ce in cma for _, m, sz, _, _ in segs), "no segment lies in a crash CMA range")
        ok(all(any(lo <= cs and ce <= hi for lo, hi in ram) for cs, ce in cma), "crash CMA ranges inside System RAM")
    want = minus(ram, crash + [(0, MIB)] + cma)
    ok(merge(loads[1:]) == want,
       f"PT_LOADs == System RAM - crash regions - [0,1M){' - crash CMA' if cma else ''}: {len(want)} ranges, {sum(b - a for a, b in want) >> 20} MiB")
    ok(e["capacity"] >= e["phnum"] and e["spare"] == e["capacity"] - e["phnum"],
       f"capacity {e['capacity']} >= phnum {e['phnum']}, spare {e['spare']}")
    mram = merge([(h(m["start"]), h(m["end"])) for m in p["kdump_memmap"] if m["type"] == "ram"])
    want_ram = merge(minus(crash, [(hmem, hmem + hsz)]) + [(a, min(b, MIB)) for a, b in ram if a < MIB] + cma)
    ok(mram == want_ram, "kdump RAM == crash regions - elfcorehdr + RAM below 1 MiB" + (" + crash CMA" if cma else ""))
    if cma:
        ok(all(any(lo <= cs and ce <= hi for lo, hi in mram) for cs, ce in cma), "every crash CMA range is kdump RAM")
        ram_total = sum(b - a for a, b in mram)
        ok(p["crash_cma"].get("kdump_ram_bytes") == ram_total, f"kdump_ram_bytes == {ram_total}")
    ok(not any(a < hmem + hsz and hmem < b for a, b in mram), "elfcorehdr is not kdump RAM")
    return finish(probs)


def read_int(path, base):
    return int(open(path).read().split()[0], base)


def machine_notes(root):
    """(paddr, size) of each cpu's crash notes, in cpu order, then of VMCOREINFO, from ROOT."""
    out = []
    cpus = glob.glob(os.path.join(root, "sys/devices/system/cpu/cpu*/crash_notes"))
    for f in sorted(cpus, key=lambda x: int(re.search(r"cpu(\d+)/crash_notes$", x).group(1))):
        out.append((read_int(f, 16), read_int(f + "_size", 10)))
    w = open(os.path.join(root, "sys/kernel/vmcoreinfo")).read().split()
    out.append((int(w[0], 16), int(w[1], 16)))
    return out


def iomem_typed(root):
    """{e820 type: merged ranges} of ROOT's iomem lines at any depth ("System RAM" = 1)."""
    names = {"System RAM": 1, "Reserved": 2, "reserved": 2, "ACPI Tables": 3, "ACPI Non-volatile Storage": 4,
             "Unusable memory": 5, "Persistent Memory": 7, "Persistent Memory (legacy)": 12,
             "Soft Reserved": 0xefffffff}
    out = {}
    for _, s, e, name in iomem_lines(open(os.path.join(root, "proc/iomem"))):
        t = 1 if name.startswith("System RAM") else names.get(name)
        if t:
            out.setdefault(t, []).append((s, e))
    return {t: merge(v) for t, v in out.items()}


def check_bytes(a, p, root, ok):
    """The decoded checks of --segments (see the module docstring)."""
    d = sg.read_dump(a.segments)
    js = p["segments"]
    ok(len(d.segs) == len(js) and all(
        (s.role, s.mem, s.memsz, s.bufsz, s.digest) == (j["role"], h(j["mem"]), h(j["memsz"]), h(j["bufsz"]), j["in_digest"])
        for s, j in zip(d.segs, js)), f"dump manifest == the plan's {len(js)} segments (role, mem, memsz, bufsz, digest)")
    ok(all(hashlib.sha256(s.data).hexdigest() == j["sha256"] for s, j in zip(d.segs, js)),
       "every segment file's sha256 == the plan's")
    ok(d.entry == h(p["entry"]) and d.flags == h(p["flags"]), "dump entry and flags == the plan's")
    image = open(a.kernel, "rb").read() if a.kernel else None
    setups = d.by_role("setup")
    ok(len(setups) == 1, "one setup (boot_params) segment")
    if len(setups) != 1:
        return
    seg = setups[0]
    bp = sg.BootParams(seg, d)
    ok(not bp.problems, "boot_params decodes: " + ("; ".join(bp.problems) or
                                                    "command line and setup_data inside loaded bytes"))
    ok(bp.boot_flag == 0xaa55 and bp.header_magic == b"HdrS" and bp.sentinel == 0,
       f"boot_flag {bp.boot_flag:#x}, header {bp.header_magic!r}, sentinel {bp.sentinel}")
    ok(bp.type_of_loader >> 4 == 0xd, f"type_of_loader {bp.type_of_loader:#x}: kexec (0xD)")
    if image:
        diffs = bp.header_differences(image)
        ok(not diffs, "setup header == the image's but for loader fields" +
           ("" if not diffs else ": " + "; ".join(w for _, w in diffs[:4])))
        ss = image[0x1f1] or 4
        ks = d.by_role("kernel")
        ok(len(ks) == 1 and ks[0].data == image[(ss + 1) * 512:],
           "the kernel segment holds the image's protected-mode part")
    unknown = [(ad, t) for ad, t, _, _ in bp.setup_data if t not in sg.SETUP_DATA_TYPES]
    ok(not unknown, f"setup_data chain: {[sg.SETUP_DATA_TYPES.get(t, t) for _, t, _, _ in bp.setup_data]}")

    # e820
    e820 = bp.e820
    ext = bp.setup_data_of(sg.SETUP_E820_EXT)
    ok(bp.e820_entries == min(len(e820), sg.E820_MAX) and (len(ext) == 1) == (len(e820) > sg.E820_MAX),
       f"{len(e820)} e820 entries: {bp.e820_entries} in boot_params, {len(bp.e820_ext)} in {len(ext)} SETUP_E820_EXT")
    if a.want_e820_ext:
        ok(len(bp.e820_ext) > 0 and bp.e820_entries == sg.E820_MAX,
           f"SETUP_E820_EXT carries entries 129..{len(e820)}")
    if not a.normal:
        want = [(h(m["start"]), h(m["end"]), sg.E820_TYPES.get(m["type"], -1)) for m in p["kdump_memmap"]]
        diff = [(i, x, y) for i, (x, y) in enumerate(zip(e820, want)) if x != y]
        ok(e820 == want, f"e820 == the plan's kdump_memmap ({len(want)} entries)" + (
            "" if e820 == want else ": first difference at %d: %s vs %s" % (
                diff[0][0], sg.fmt_e820([diff[0][1]]), sg.fmt_e820([diff[0][2]])) if diff else ": %d vs %d entries" % (len(e820), len(want))))
        cma = [(h(r["start"]), h(r["end"])) for r in p.get("crash_cma", {}).get("ranges", [])]
        if cma:
            e820_ram = merge([(s0, e0) for s0, e0, t in e820 if t == 1])
            ok(all(any(lo <= cs and ce <= hi for lo, hi in e820_ram) for cs, ce in cma),
               f"the e820 bytes give every crash CMA range ({len(cma)}) as RAM (type 1)")
    else:
        typed = iomem_typed(root)
        fw = [r for t, rs in typed.items() if t != 1 for r in rs]
        got = {}
        for s, e, t in e820:
            got.setdefault(t, []).append((s, e))
        got = {t: merge(v) for t, v in got.items()}
        want = {t: (minus(v, fw) if t == 1 else v) for t, v in typed.items()}
        ok(got == {t: v for t, v in want.items() if v},
           "e820 == iomem: RAM = System RAM - firmware ranges, each firmware type = its iomem ranges")
        srt = sorted((s, e) for s, e, _ in e820)
        ok(all(srt[i][1] <= srt[i + 1][0] for i in range(len(srt) - 1)), "e820 entries do not overlap")

    # command line
    cl = bp.cmdline
    ok(cl is not None and cl == p["cmdline"] and bp.cmdline_seg is seg,
       f"cmd_line_ptr {bp.cmd_line_ptr:#x} (in the setup segment) -> {cl!r:.60} == the plan's cmdline")
    ok(cl is not None and len(cl) <= bp.cmdline_size, f"command line {len(cl or '')} bytes <= cmdline_size {bp.cmdline_size}")

    # ramdisk
    inits = d.by_role("initrd")
    if a.initrd:
        want = open(a.initrd, "rb").read()
        ok(len(inits) == 1 and bp.ramdisk_image == inits[0].mem and bp.ramdisk_size == len(want) == inits[0].bufsz
           and inits[0].data == want,
           f"ramdisk_image {bp.ramdisk_image:#x} size {bp.ramdisk_size:#x} == the initrd segment holding INITRD")
    else:
        ok(not inits and bp.ramdisk_image == 0 and bp.ramdisk_size == 0, "no initrd: ramdisk_image = ramdisk_size = 0")

    if a.normal:
        return
    # the ELF core header
    hs = d.by_role("elfcorehdr")
    ok(len(hs) == 1, "one elfcorehdr segment")
    if len(hs) != 1:
        return
    ch = sg.CoreHeader(hs[0].data)
    e = p["elfcorehdr"]
    ok([s.role for s in d.segs if s.data[:4] == b"\x7fELF"] == ["elfcorehdr"],
       "only the elfcorehdr segment starts with the ELF magic (the kernel's hotplug finds it so)")
    if d.flags & 0xc:
        ces = None
        for rel in ("sys/kernel/kexec/crash_elfcorehdr_size", "sys/kernel/crash_elfcorehdr_size"):
            if os.path.exists(os.path.join(root, rel)):
                ces = int(open(os.path.join(root, rel)).read().strip())
                break
        ok(ces is not None and hs[0].memsz >= ces + 64,
           f"hotplug flag {d.flags & 0xc:#x}: elfcorehdr memsz {hs[0].memsz:#x} >= crash_elfcorehdr_size {ces} + 64")
    ok(not ch.problems and ch.machine == 62, "elfcorehdr: ELF64 LE ET_CORE EM_X86_64" + "".join("; " + x for x in ch.problems))
    ok((ch.phnum, ch.capacity, ch.spare) == (e["phnum"], e["capacity"], e["spare"]) and ch.spare_nonzero == 0,
       f"elfcorehdr phnum {ch.phnum}, capacity {ch.capacity}, spare {ch.spare} (all zero) == the plan's")
    types = [ph["type"] for ph in ch.phdrs]
    nn = types.count(sg.PT_NOTE)
    ok(types == [sg.PT_NOTE] * nn + [sg.PT_LOAD] * (len(types) - nn), f"{nn} PT_NOTEs, then PT_LOADs only")
    notes = [(ph["paddr"], ph["filesz"]) for ph in ch.of_type(sg.PT_NOTE)]
    ok(notes == [(h(n["paddr"]), h(n["size"])) for n in e["notes"]], "PT_NOTEs == the plan's notes")
    ok(notes == machine_notes(root), "PT_NOTEs == ROOT's cpuN/crash_notes (+ size), then sys/kernel/vmcoreinfo")
    loads = [(ph["paddr"], ph["vaddr"], ph["memsz"]) for ph in ch.of_type(sg.PT_LOAD)]
    ok(loads == [(h(l["paddr"]), h(l["vaddr"]), h(l["size"])) for l in e["loads"]], f"{len(loads)} PT_LOADs == the plan's loads")
    ok(all(ph["offset"] == ph["paddr"] and ph["filesz"] == ph["memsz"] for ph in ch.phdrs),
       "p_offset == p_paddr (the kdump kernel reads there) and p_filesz == p_memsz")
    v = sg.cmdline_value(cl or "", "elfcorehdr")
    ok(v is not None and sg.parse_size(v) == hs[0].mem, f"elfcorehdr={v} is the elfcorehdr segment's address")


def finish(probs):
    if probs:
        print(f"{len(probs)} problem(s)")
        return 1
    return 0


sys.exit(main())
