#!/usr/bin/env python3
"""check-arm64-root.py ROOT [--kdump-elf PATH] [--dtc PATH]

Checks that a root written by `mkroot.py --arch arm64` parses and agrees with itself
(MKROOT.json): proc/kcore through the project's own `kdump-elf check` and `kdump-elf show --json
--vmcoreinfo` (EM_AARCH64, phnum, the text PT_LOAD, every linear-map PT_LOAD obeying
vaddr = (paddr - PHYS_OFFSET) | PAGE_OFFSET, the arm64 VMCOREINFO numbers), proc/iomem (every
"Crash kernel" inside a System RAM line), proc/kallsyms, proc/zoneinfo (the zones it lists, with
spanned/present/start_pfn where populated) and sys/firmware/fdt (the header checked here; the
whole blob decompiled by `dtc -I dtb` when dtc is installed, and /chosen bootargs compared with
proc/cmdline). Prints "ok: ..." lines, "problem: ..." lines; exit 1 on any problem.
Python 3 stdlib only.
"""
import argparse
import json
import os
import re
import shutil
import struct
import subprocess
import sys

problems = []


def ok(msg):
    print("ok: " + msg)


def bad(msg):
    print("problem: " + msg)
    problems.append(msg)


def check(cond, msg):
    (ok if cond else bad)(msg)
    return cond


def rd(root, rel, mode="r"):
    with open(os.path.join(root, rel), mode) as f:
        return f.read()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("root")
    ap.add_argument("--kdump-elf", default=None)
    ap.add_argument("--dtc", default=shutil.which("dtc"))
    a = ap.parse_args()
    r = a.root
    info = json.loads(rd(r, "MKROOT.json"))
    H = lambda s: int(s, 16)
    U64 = (1 << 64) - 1
    page_offset, phys_offset = H(info["page_offset"]), H(info["phys_offset"])

    # proc/iomem
    lines = [l for l in rd(r, "proc/iomem").splitlines() if l.strip()]
    ents = []
    for l in lines:
        m = re.match(r"^( *)([0-9a-f]+)-([0-9a-f]+) :(?: (.*))?$", l)
        if not m:
            bad("proc/iomem line does not parse: %r" % l)
            continue
        ents.append((len(m.group(1)) // 2, int(m.group(2), 16), int(m.group(3), 16) + 1, m.group(4) or ""))
    check(len(ents) == len(lines), "proc/iomem: %d lines parse" % len(lines))
    ram = [(s, e) for d, s, e, n in ents if d == 0 and n == "System RAM"]
    crash = [(s, e) for d, s, e, n in ents if n == "Crash kernel"]
    check([["0x%x" % s, "0x%x" % e] for s, e in crash] == info["crash_regions"], "iomem Crash kernel lines = MKROOT.json")
    for s, e in crash:
        check(any(a0 <= s and e <= b0 for a0, b0 in ram), "crash region 0x%x-0x%x inside System RAM" % (s, e - 1))

    # proc/kcore via kdump-elf
    kcore = os.path.join(r, "proc/kcore")
    if a.kdump_elf and os.access(a.kdump_elf, os.X_OK):
        p = subprocess.run([a.kdump_elf, "check", kcore], capture_output=True, text=True)
        check(p.returncode == 0, "kdump-elf check proc/kcore: %s" % (p.stdout.strip() or p.stderr.strip()))
        p = subprocess.run([a.kdump_elf, "show", "--json", "--vmcoreinfo", kcore], capture_output=True, text=True)
        if check(p.returncode == 0, "kdump-elf show --json proc/kcore"):
            d = json.loads(p.stdout)
            check(d["machine"] == 183, "kcore e_machine EM_AARCH64 (%s)" % d["machine"])
            check(d["phnum"] == info["kcore_phnum"], "kcore phnum %d" % d["phnum"])
            loads = [ph for ph in d["phdrs"] if ph["type"] == "LOAD"]
            t = loads[0]
            check(H(t["vaddr"]) == H(info["text_vaddr"]) and H(t["paddr"]) == H(info["text_paddr"]) and
                  H(t["memsz"]) == H(info["kernel_size"]), "kcore text PT_LOAD %s@%s" % (t["vaddr"], t["paddr"]))
            lm = [ph for ph in loads[1:] if H(ph["paddr"]) != U64]
            check(len(lm) == sum(1 for k in info["kcore_loads"] if k[0] == "ram") and all(
                H(ph["vaddr"]) == ((H(ph["paddr"]) - phys_offset) | page_offset) & U64 for ph in lm),
                "kcore %d linear-map PT_LOADs: vaddr = (paddr - PHYS_OFFSET) | PAGE_OFFSET" % len(lm))
            check(all(H(ph["align"]) == info["page_size"] for ph in loads), "kcore PT_LOAD align = page size")
            v = d.get("vmcoreinfo", {})
            want = {"PAGESIZE": str(info["page_size"]), "NUMBER(VA_BITS)": str(info["va_bits"]),
                    "NUMBER(kimage_voffset)": info["kimage_voffset"], "NUMBER(PHYS_OFFSET)": info["phys_offset"],
                    "NUMBER(TCR_EL1_T1SZ)": "0x%x" % info["tcr_el1_t1sz"], "KERNELOFFSET": info["kerneloffset"][2:],
                    "OSRELEASE": info["osrelease"], "NUMBER(VMEMMAP_START)": info["vmemmap"][0],
                    "NUMBER(MODULES_VADDR)": info["modules"][0], "NUMBER(VMALLOC_START)": info["vmalloc"][0]}
            diff = {k: (v.get(k), w) for k, w in want.items() if v.get(k) != w}
            check(not diff, "kcore VMCOREINFO numbers%s" % (": %r" % diff if diff else ""))
    else:
        print("skip: kdump-elf not given or not built: proc/kcore not parsed")

    # proc/kallsyms
    syms = {l.split()[2]: int(l.split()[0], 16) for l in rd(r, "proc/kallsyms").splitlines()}
    check(("_text" in syms) == info["kallsyms_text"] and syms.get("_stext") == H(info["text_vaddr"]) +
          H(info["stext_offset"]), "proc/kallsyms _text %s, _stext" % ("listed" if "_text" in syms else "absent"))

    # proc/zoneinfo
    if info["zones"]:
        zi = rd(r, "proc/zoneinfo")
        blocks = re.split(r"(?m)^(?=Node \d+, zone)", zi)
        names = []
        for b in blocks:
            m = re.match(r"Node 0, zone +(\w+)", b)
            if not m:
                continue
            names.append(m.group(1))
            sp = int(re.search(r"\n        spanned  (\d+)", b).group(1))
            pr = int(re.search(r"\n        present  (\d+)", b).group(1))
            st = re.search(r"\n  start_pfn:           (\d+)", b)
            check((sp > 0) == bool(st) and pr <= sp, "zoneinfo %s: spanned %d present %d%s" % (
                m.group(1), sp, pr, " start_pfn %s" % st.group(1) if st else " (unpopulated)"))
        check(names == ["DMA", "DMA32", "Normal", "Movable"], "zoneinfo zones %s" % names)

    # sys/firmware/fdt
    fp = os.path.join(r, "sys/firmware/fdt")
    if os.path.exists(fp):
        blob = rd(r, "sys/firmware/fdt", "rb")
        magic, total, ostr, ostrings, orsv, ver, last = struct.unpack_from(">7I", blob)
        check(magic == 0xd00dfeed and total == len(blob) and ver == 17 and last == 16,
              "fdt header (magic, totalsize %d, version 17)" % total)
        if a.dtc and os.access(a.dtc, os.X_OK):
            p = subprocess.run([a.dtc, "-I", "dtb", "-O", "dts", "-q", fp], capture_output=True, text=True)
            if check(p.returncode == 0, "dtc -I dtb decompiles sys/firmware/fdt %s" % p.stderr.strip()):
                m = re.search(r'bootargs = "([^"]*)";', p.stdout)
                check(m and m.group(1) == rd(r, "proc/cmdline").rstrip("\n"), "fdt /chosen bootargs = proc/cmdline")
                if info["fdt"]["style"] == "rpi4":
                    m = re.search(r"memory@0 \{[^}]*reg = <([^>]*)>", p.stdout)
                    cells = [int(x, 16) for x in m.group(1).split()] if m else []
                    regs = [((cells[i] << 32) | cells[i + 1], cells[i + 2]) for i in range(0, len(cells), 3)]
                    covered = sum(n for _, n in regs)
                    check(covered == sum(e - s for s, e in ram), "fdt memory@0 reg covers System RAM (%d ranges)" % len(regs))
                    check("dma-ranges = <0x00 0xc0000000 0x00 0x00 0x40000000>" in p.stdout,
                          "fdt emmc2bus dma-ranges: 1 GiB at cpu 0")
                elif info["fdt"]["style"] == "uefi":
                    check("linux,uefi-system-table" in p.stdout and "memory@" not in p.stdout,
                          "fdt UEFI stub tree: uefi-system-table, no memory nodes")
        else:
            print("skip: dtc not installed: sys/firmware/fdt only header-checked")
    print("%s: %d problem(s)" % (r, len(problems)))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
