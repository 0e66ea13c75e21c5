#!/usr/bin/env python3
"""mkroot_arm64.py — the arm64 half of mkroot.py (`mkroot.py --arch arm64 FIXTURE OUTDIR ...`).

usage: mkroot.py --arch arm64 FIXTURE OUTDIR [--cpus N] [--add-crash START-END ...]
           [--va-bits 48|52] [--hw-va-bits 48|52] [--page-size 4096|16384|65536]
           [--kaslr-offset OFF] [--stext-offset OFF] [--no-text-sym]
           [--zones FILE | --zone NAME=START-END ...] [--fdt auto|rpi4|uefi | --dtb-file F | --no-fdt]
           [--cmdline S | --extra-cmdline S] [--osrelease S] [--new-sysfs] [--crash-hotplug]
           [--elfcorehdr-size N] [--vmcoreinfo-format kernel|bare] [--force] [--quiet]

Defaults: --cpus 4, --va-bits 48 on --hw-va-bits 48, --page-size 4096, --kaslr-offset 0,
--stext-offset 0x10000, --osrelease 6.1.0-56-arm64 (7.3.0-1-arm64 with --va-bits 52), --fdt auto.

Turns a real arm64 /proc/iomem listing (tests/golden/fixtures/arm64-*.txt) into a self-consistent
machine root for `kexec --root OUTDIR --dry-run`. Python 3 stdlib only. Every derived value is
listed in OUTDIR/MKROOT.json; how each is derived is written below.

Kernel facts this relies on (read from Linux sources, 6.1 unless said otherwise)
-------------------------------------------------------------------------------
* arch/arm64/kernel/vmlinux.lds.S: `_text` starts .head.text; `.text` is ALIGN(SEGMENT_ALIGN)
  with `_stext` at its start; SEGMENT_ALIGN = SZ_64K (asm/memory.h). The head text is the
  64-byte Image header plus a little code, so _stext = _text + 64 KiB.
* arch/arm64/kernel/setup.c: "Kernel code" = [__pa_symbol(_stext), __pa_symbol(__init_begin)-1],
  "Kernel data" = [__pa_symbol(_sdata), __pa_symbol(_end)-1]. Hence
  __pa_symbol(_text) = "Kernel code".start - 64 KiB and __pa_symbol(_end) = "Kernel data".end+1.
  (The RPi4 fixture comes from a 4.19 kernel, where "Kernel code" started at _text (0x80000 =
  the old TEXT_OFFSET); we model a 6.1 kernel at the same place, i.e. _text = 0x70000.
  --stext-offset 0 gives the 4.19 reading.)
* head.S (__primary_switch): the KASLR offset recorded in kimage_vaddr always includes the
  physical misalignment of _text modulo MIN_KIMG_ALIGN (2 MiB), randomized or not:
  kaslr_offset() = (__pa_symbol(_text) & (2M-1)) | random 2M-multiple (--kaslr-offset).
  KERNELOFFSET=%lx of that; _text = KIMAGE_VADDR + kaslr_offset(); kimage_voffset = _text -
  __pa_symbol(_text).
* asm/memory.h: PAGE_OFFSET = -(1 << VA_BITS) (a constant of the *build*: 0xffff000000000000 for
  VA_BITS=48, 0xfff0000000000000 for 52); __va(p) = (p - PHYS_OFFSET) | PAGE_OFFSET;
  PHYS_OFFSET = memstart_addr; vmemmap = VMEMMAP_START - (memstart_addr >> PAGE_SHIFT) pages of
  64 bytes; kc_vaddr_to_offset() is the generic (v - PAGE_OFFSET).
* arch/arm64/mm/init.c arm64_memblock_init(): memstart_addr = round_down(memblock start,
  ARM64_MEMSTART_ALIGN); then, for a VA_BITS=52 build running where vabits_actual is 48,
  memstart_addr -= _PAGE_OFFSET(48) - _PAGE_OFFSET(52) (= 0x000f000000000000): it goes
  negative (s64) so that __va() lands in the 48-bit half; NUMBER(PHYS_OFFSET) prints it with
  0x%llx, e.g. 0xfff1000000000000 for RAM at 0. The linear addresses are then the same as on a
  VA_BITS=48 kernel (0xffff000000000000 + p - memstart). On 52-bit hardware (LPA2 with 4K pages,
  --hw-va-bits 52) memstart_addr stays the RAM start and __va(p) = 0xfff0000000000000 + ...
  ARM64_MEMSTART_ALIGN (asm/kernel-pgtable.h): max(1 << SECTION_SIZE_BITS, 1 << shift) with
  shift PUD_SHIFT (4K: 30), CONT_PMD_SHIFT (16K: 30), PMD_SHIFT (64K: 29); SECTION_SIZE_BITS 27
  (4K/16K) or 29 (64K) => 1 GiB, 1 GiB, 512 MiB.
* arch/arm64/kernel/crash_core.c arch_crash_save_vmcoreinfo() (6.1): NUMBER(VA_BITS)=%d,
  NUMBER(MODULES_VADDR)=0x%lx, NUMBER(MODULES_END), NUMBER(VMALLOC_START), NUMBER(VMALLOC_END),
  NUMBER(VMEMMAP_START), NUMBER(VMEMMAP_END), NUMBER(kimage_voffset)=0x%llx,
  NUMBER(PHYS_OFFSET)=0x%llx, NUMBER(TCR_EL1_T1SZ)=0x%llx (T1SZ = 64 - vabits_actual: 0x10 on
  48-bit hardware whatever the build, 0xc on 52-bit), KERNELOFFSET=%lx,
  NUMBER(KERNELPACMASK)=0x%llx (0: the Cortex-A72 and eMAG have no pointer authentication).
  Newer kernels (vmcore_info.c, used for --va-bits 52 = "Debian 7.3") drop the arch
  VMALLOC_START line; the generic part prints NUMBER(VMALLOC_START) after SYMBOL(_stext)
  and SYMBOL(vmemmap).
* 6.1 layout (VA_BITS=48, --va-bits 48): MODULES_VADDR = _PAGE_END(48) = 0xffff800000000000,
  MODULES_VSIZE 128 MiB, KIMAGE_VADDR = VMALLOC_START = MODULES_END = 0xffff800008000000
  (Debian 6.1 arm64 kallsyms: _text ffff800008000000, _stext ffff800008010000);
  VMEMMAP_START = -(1 << (VA_BITS - (PAGE_SHIFT - 6))), VMEMMAP_SIZE = (_PAGE_END(48) -
  PAGE_OFFSET) >> (PAGE_SHIFT - 6), VMALLOC_END = VMEMMAP_START - 256 MiB.
  "new" layout (--va-bits 52, recent mainline): MODULES_VSIZE 2 GiB, so KIMAGE_VADDR =
  0xffff800080000000; VMEMMAP_END = -1 GiB, VMEMMAP_START = VMEMMAP_END - ((_PAGE_END(48) -
  PAGE_OFFSET) >> PAGE_SHIFT) * 64; VMALLOC_END = VMEMMAP_START - 256 MiB.
* arm64 selects ARCH_PROC_KCORE_TEXT, so fs/proc/kcore.c lists, in this order: the kernel text
  (KCORE_TEXT: vaddr _text, paddr __pa_symbol(_text), size _end - _text), vmalloc
  [VMALLOC_START, VMALLOC_END) (paddr -1), modules [MODULES_VADDR, MODULES_END) (paddr -1:
  they differ from the vmalloc bounds), then per top-level "System RAM" resource
  (walk_system_ram_range) a KCORE_RAM entry (vaddr __va(pfn-rounded inwards start), paddr set)
  followed by its KCORE_VMEMMAP entry (page-rounded struct page range, paddr -1); a vmemmap
  entry that would overlap an earlier one is cut to end where the earlier one starts, and
  dropped when that leaves nothing (get_sparsemem_vmemmap_info). p_offset = (vaddr -
  PAGE_OFFSET) + data offset; data offset = the end of the notes rounded up to PAGE_SIZE;
  p_align PAGE_SIZE; flags RWX. ELF: ELFCLASS64, little endian, ET_CORE, EM_AARCH64 (183).
  (Cross-checked against a real 5.15 arm64 /proc/kcore listing posted in makedumpfile issue #7:
  text ffff800010170000@26170000 — KASLR offset = the 2 MiB misalignment —, vmalloc up to
  fffffbfff0000000, modules, then RAM/vmemmap pairs with vmemmap page rounding as above.)
  The notes are CORE/NT_PRSTATUS (392 bytes: arm64 struct elf_prstatus, pr_reg = 34 u64),
  CORE/NT_PRPSINFO (136), CORE/NT_TASKSTRUCT (TASKSTRUCT_SIZE below, an arbitrary value: the
  real size depends on the config) and VMCOREINFO/0. The file ends right after the notes.
* crash_notes_size is sizeof(note_buf_t) = 2 * 12 (note headers) + 8 ("CORE\\0" padded) +
  392 (elf_prstatus) = 424 on arm64.

Files written (relative to OUTDIR)
----------------------------------
proc/iomem      the fixture minus '#' lines; each --add-crash START-END (inclusive hex) adds a
                "  %08x-%08x : Crash kernel" child under the top-level System RAM line holding
                it, sorted by start among that line's children (overlapping a "reserved" child
                is allowed, as real kernels nest both under System RAM).
proc/cmdline    "BOOT_IMAGE=/boot/vmlinuz-<osrelease> root=/dev/vda2 ro console=ttyAMA0,115200
                quiet <crashkernel>" (or --cmdline; --extra-cmdline appended). <crashkernel>:
                regions ending at or below the DMA limit (end of ZONE_DMA, else DMA32, else
                4 GiB) are "low", the rest "high": one low -> crashkernel=S; high + low ->
                crashkernel=H,high crashkernel=L,low; high only -> crashkernel=H,high
                crashkernel=0,low (6.1 would otherwise add a default 128M low region).
proc/kallsyms   "%016x %c %s": _text (T; not with --no-text-sym, as a Debian 6.1 arm64 kernel
                without CONFIG_KALLSYMS_ALL lists no _text), _stext (T) = _text + stext offset,
                _etext (T) = _stext + 5/8 of the "Kernel code" size rounded down to 64 KiB,
                _end (B).
proc/kcore      as described above.
proc/zoneinfo   mm/vmstat.c zoneinfo_show_print() format for node 0, zones DMA, DMA32, Normal,
                Movable in that order (Device is not configured here). A zone given by --zones /
                --zone is "populated": spanned = its pfn span clipped to the node's memory,
                present = pages of System RAM plus top-level "reserved" memory (memblock nomap)
                inside it, managed = System RAM pages outside "Crash kernel", "reserved"
                children and the kernel image, free = managed / 2, min/low/high made up from
                managed; the per-node stats block (7 of its items, zeros) is printed once, in
                the first populated zone; pagesets per cpu. The others print as unpopulated
                zones: spanned 0, present 0, managed 0, then the protection line and nothing else
                (a parser must skip them). The protection arrays are zeros.
                --zones FILE reads the dmesg "Zone ranges:" block ("  DMA      [mem 0x..-0x..]",
                "  DMA32    empty"); --zone NAME=START-END (inclusive hex) adds one.
sys/firmware/fdt  the tree the machine booted with (--fdt auto: rpi4 for a raspberrypi fixture,
                else uefi; --dtb-file copies a blob; --no-fdt writes none):
                rpi4: root #address-cells <2>, #size-cells <1> (bcm2711.dtsi), model
                "Raspberry Pi 4 Model B Rev 1.4", compatible "raspberrypi,4-model-b",
                "brcm,bcm2711"; /memreserve/ 0x0+0x1000 (the armstub spin table) and
                0x1ec00000+0x10000000 (the fixture's CMA pool line, as a second example);
                /chosen: bootargs (= proc/cmdline), stdout-path "serial1:115200n8",
                kaslr-seed <0 0>, rng-seed (32 bytes, fixed pattern); /aliases: serial0
                "/soc/serial@7e201000", serial1 "/soc/serial@7e215040"; /memory@0 device_type
                "memory", reg = the top-level System RAM ranges (address 2 cells, size 1 cell;
                ranges of 4 GiB or more split into 2 GiB pieces, as the firmware does);
                /soc (simple-bus, 1/1 cells) ranges <0x7e000000 0x0 0xfe000000 0x01800000>,
                <0x7c000000 0x0 0xfc000000 0x02000000>, <0x40000000 0x0 0xff800000 0x00800000>,
                dma-ranges <0xc0000000 0x0 0x00000000 0x40000000> (bus 0xc0000000 = cpu 0 for
                1 GiB: the BCM2711 1 GiB DMA limit) with serial@7e201000 (arm,pl011,
                arm,primecell; reg <0x7e201000 0x200>) and serial@7e215040 (brcm,bcm2835-aux-uart;
                reg <0x7e215040 0x40>); /emmc2bus (simple-bus, 2/1 cells) ranges
                <0x0 0x7e000000 0x0 0xfe000000 0x01800000>, dma-ranges <0x0 0xc0000000 0x0 0x0
                0x40000000> with emmc2@7e340000.
                uefi (what the EFI stub hands the kernel on an ACPI machine,
                drivers/firmware/efi/libstub/fdt.c): root #address-cells <2>, #size-cells <2>;
                /chosen: bootargs, linux,uefi-system-table (u64), linux,uefi-mmap-start (u64),
                linux,uefi-mmap-size, -desc-size (48), -desc-ver (1) (u32), kaslr-seed (u64 0);
                no memory nodes. The table and map addresses are made up (inside the highest
                top-level "reserved" range and the first System RAM range).
sys/kernel/vmcoreinfo, kexec_loaded, kexec_crash_loaded, kexec_crash_size,
sys/devices/system/cpu/{possible,present,online}, cpuK/crash_notes(_size), --new-sysfs,
--crash-hotplug, --elfcorehdr-size, --vmcoreinfo-format: as for x86_64 (see mkroot.py), with
                crash_notes_size 424 and these addresses: per-cpu area NOTES_BASE =
                round_down(end of the highest usable RAM range of >= 64 MiB, 2 MiB) - 0x1600000,
                crash_notes = NOTES_BASE + K*0x100000 + 0x3a400; vmcoreinfo note: the first
                page-aligned usable address 16 MiB above __pa_symbol(_end) (usable = System RAM
                minus Crash kernel, reserved children and the kernel image).
PROVENANCE, MKROOT.json as for x86_64.
"""
import argparse
import json
import os
import re
import shutil
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mkroot as X  # noqa: E402  (shared helpers: note, write, size_str, ...)
import mkfdt  # noqa: E402
from rangeset import minus  # noqa: E402

MiB, GiB = 1 << 20, 1 << 30
U64 = (1 << 64) - 1
EM_AARCH64 = 183
PRSTATUS_SIZE, PRPSINFO_SIZE, TASKSTRUCT_SIZE = 392, 136, 4480
CRASH_NOTES_SIZE = 24 + 8 + PRSTATUS_SIZE
ZONE_NAMES = ("DMA", "DMA32", "Normal", "Movable")

# The generic VMCOREINFO lines (kernel/crash_core.c). Structure sizes/offsets are the ones of
# Debian 6.1 amd64 (mkroot.py's capture): stand-ins, arm64's own values were not captured.
GENERIC_HEAD = """\
OSRELEASE={osrelease}
BUILD-ID=3c1f07d2b9a64e5f8d0c2a71e6b4f95d0a8c3e21
PAGESIZE={pagesize}
SYMBOL(init_uts_ns)={T+0x1c5e000}
OFFSET(uts_namespace.name)=0
SYMBOL(node_online_map)={T+0x1ca1f40}
SYMBOL(swapper_pg_dir)={T+0x1a6c000}
SYMBOL(_stext)={T+STEXT}
"""
GENERIC_NEW_EXTRA = """\
NUMBER(VMALLOC_START)=0x{vmalloc_start:x}
SYMBOL(vmemmap)={vmemmap:x}
"""
GENERIC_TAIL = """\
SYMBOL(vmap_area_list)={T+0x1bc0430}
SYMBOL(mem_section)={mem_section:x}
LENGTH(mem_section)={mem_section_len}
SIZE(mem_section)=32
OFFSET(mem_section.section_mem_map)=0
NUMBER(SECTION_SIZE_BITS)={section_size_bits}
NUMBER(MAX_PHYSMEM_BITS)={max_physmem_bits}
""" + X.VMCOREINFO_MM + """\
LENGTH(zone.free_area)={max_order}
SYMBOL(prb)={T+0x1ac03e0}
SYMBOL(printk_rb_static)={T+0x1ac0400}
SYMBOL(clear_seq)={T+0x2f06d20}
""" + X.VMCOREINFO_PRINTK + """\
SYMBOL(kallsyms_names)={T+0x121dac0}
SYMBOL(kallsyms_num_syms)={T+0x121dab8}
SYMBOL(kallsyms_token_table)={T+0x138ddd8}
SYMBOL(kallsyms_token_index)={T+0x138e170}
SYMBOL(kallsyms_offsets)={T+0x11c19c8}
SYMBOL(kallsyms_relative_base)={T+0x121dab0}
"""
ARCH_61 = """\
NUMBER(VA_BITS)={va_bits}
NUMBER(MODULES_VADDR)=0x{modules_vaddr:x}
NUMBER(MODULES_END)=0x{modules_end:x}
NUMBER(VMALLOC_START)=0x{vmalloc_start:x}
NUMBER(VMALLOC_END)=0x{vmalloc_end:x}
NUMBER(VMEMMAP_START)=0x{vmemmap_start:x}
NUMBER(VMEMMAP_END)=0x{vmemmap_end:x}
NUMBER(kimage_voffset)=0x{kimage_voffset:x}
NUMBER(PHYS_OFFSET)=0x{phys_offset:x}
NUMBER(TCR_EL1_T1SZ)=0x{t1sz:x}
KERNELOFFSET={kerneloffset:x}
NUMBER(KERNELPACMASK)=0x0
"""
ARCH_NEW = ARCH_61.replace("NUMBER(VMALLOC_START)=0x{vmalloc_start:x}\n", "")


def hexint(x):
    return int(x, 16) if not x.lower().startswith("0x") else int(x, 0)


def parse_range(s, what):
    m = re.match(r"^(?:0x)?([0-9a-fA-F]+)-(?:0x)?([0-9a-fA-F]+)$", s.strip())
    if not m:
        X.die("%s %r: want START-END (inclusive hex)" % (what, s))
    a, b = int(m.group(1), 16), int(m.group(2), 16)
    if b < a:
        X.die("%s %r: END below START" % (what, s))
    return a, b + 1


def add_crash_lines(body, entries, crash_ranges):
    """Insert '  START-END : Crash kernel' children under the System RAM line holding each."""
    lines = list(body)
    for s, e in crash_ranges:
        # index in lines of each entry (entries come from the non-empty lines in order)
        idx = [i for i, l in enumerate(lines) if l.strip()]
        ents = X.parse_iomem(lines)
        host = None
        for k, en in enumerate(ents):
            if en.depth == 0 and en.name == "System RAM" and en.start <= s and e <= en.end:
                host = k
        if host is None:
            X.die("--add-crash %x-%x: not inside one top-level System RAM line" % (s, e - 1))
        pos = idx[host] + 1
        k = host + 1
        while k < len(ents) and ents[k].depth > 0:
            if ents[k].depth == 1 and ents[k].start > s:
                break
            pos = idx[k] + 1
            k += 1
        lines.insert(pos, "  %08x-%08x : Crash kernel" % (s, e - 1))
    return lines


def parse_zones_file(path):
    zones = {}
    with open(path) as f:
        txt = f.read().splitlines()
    inside = False
    for l in txt:
        if l.startswith("#"):
            continue
        if "Zone ranges:" in l:
            inside = True
            continue
        if not inside:
            continue
        m = re.search(r"\]\s+(\w+)\s+(?:\[mem 0x([0-9a-f]+)-0x([0-9a-f]+)\]|(empty))\s*$", l)
        if not m or m.group(1) not in ZONE_NAMES:
            if zones:
                break
            continue
        if m.group(4):
            continue
        zones[m.group(1)] = (int(m.group(2), 16), int(m.group(3), 16) + 1)
    if not zones:
        X.die("%s: no 'Zone ranges:' block with DMA/DMA32/Normal lines" % path)
    return zones


def zoneinfo_text(zones, present_ranges, managed_ranges, page, cpus):
    def pages_in(ranges, s, e):
        n = 0
        for a, b in ranges:
            a2, b2 = max(a, s), min(b, e)
            if b2 > a2:
                n += (b2 // page) - ((a2 + page - 1) // page) if b2 // page > (a2 + page - 1) // page else 0
        return n
    node_s = min(a for a, b in present_ranges)
    node_e = max(b for a, b in present_ranges)
    out = []
    first = True
    for name in ZONE_NAMES:
        z = zones.get(name)
        hdr = "Node 0, zone %8s" % name
        if z:
            s, e = max(z[0], node_s), min(z[1], node_e)
            if e <= s:
                z = None
        if not z:
            out.append(hdr + "\n  pages free     0\n        boost    0\n        min      0"
                       "\n        low      0\n        high     0\n        spanned  0"
                       "\n        present  0\n        managed  0\n        cma      0"
                       "\n        protection: (0, 0, 0, 0)\n")
            continue
        spfn, epfn = s // page, (e + page - 1) // page
        present = pages_in(present_ranges, s, e)
        managed = pages_in(managed_ranges, s, e)
        t = hdr
        if first:
            t += "\n  per-node stats"
            for st in ("nr_inactive_anon", "nr_active_anon", "nr_inactive_file", "nr_active_file",
                       "nr_unevictable", "nr_slab_reclaimable", "nr_slab_unreclaimable"):
                t += "\n      %-12s %d" % (st, 0)
            first = False
        mn = managed // 256
        t += ("\n  pages free     %d\n        boost    0\n        min      %d\n        low      %d"
              "\n        high     %d\n        spanned  %d\n        present  %d\n        managed  %d"
              "\n        cma      0\n        protection: (0, 0, 0, 0)") % (
                  managed // 2, mn, mn * 5 // 4, mn * 3 // 2, epfn - spfn, present, managed)
        t += "\n      %-12s %d" % ("nr_free_pages", managed // 2)
        t += "\n  pagesets"
        for c in range(cpus):
            t += "\n    cpu: %d\n              count: 0\n              high:  0\n              batch: 63" % c
            t += "\n  vm stats threshold: 24"
        t += "\n  node_unreclaimable:  0\n  start_pfn:           %d\n" % spfn
        out.append(t)
    return "".join(out)


def rpi4_fdt(ram, cmdline):
    N, C = mkfdt.Node, mkfdt.Cells
    root = N("", [("#address-cells", C([2])), ("#size-cells", C([1])),
                  ("model", "Raspberry Pi 4 Model B Rev 1.4"),
                  ("compatible", ["raspberrypi,4-model-b", "brcm,bcm2711"]),
                  ("interrupt-parent", C([1]))])
    root.child(N("aliases", [("serial0", "/soc/serial@7e201000"), ("serial1", "/soc/serial@7e215040"),
                             ("emmc2bus", "/emmc2bus")]))
    root.child(N("chosen", [("bootargs", cmdline), ("stdout-path", "serial1:115200n8"),
                            ("kaslr-seed", C([0, 0])), ("rng-seed", bytes(range(0x40, 0x60)))]))
    reg = []
    for s, e in ram:
        while s < e:
            n = min(e - s, 2 * GiB) if e - s >= 4 * GiB or e - s > 0xffffffff else e - s
            reg += [s >> 32, s & 0xffffffff, n]
            s += n
    root.child(N("memory@0", [("device_type", "memory"), ("reg", C(reg))]))
    soc = root.child(N("soc", [("compatible", "simple-bus"), ("#address-cells", C([1])),
                               ("#size-cells", C([1])),
                               ("ranges", C([0x7e000000, 0x0, 0xfe000000, 0x01800000,
                                             0x7c000000, 0x0, 0xfc000000, 0x02000000,
                                             0x40000000, 0x0, 0xff800000, 0x00800000])),
                               ("dma-ranges", C([0xc0000000, 0x0, 0x00000000, 0x40000000]))]))
    soc.child(N("serial@7e201000", [("compatible", ["arm,pl011", "arm,primecell"]),
                                    ("reg", C([0x7e201000, 0x200])), ("status", "okay")]))
    soc.child(N("serial@7e215040", [("compatible", "brcm,bcm2835-aux-uart"),
                                    ("reg", C([0x7e215040, 0x40])), ("status", "okay")]))
    emmc = root.child(N("emmc2bus", [("compatible", "simple-bus"), ("#address-cells", C([2])),
                                     ("#size-cells", C([1])),
                                     ("ranges", C([0x0, 0x7e000000, 0x0, 0xfe000000, 0x01800000])),
                                     ("dma-ranges", C([0x0, 0xc0000000, 0x0, 0x0, 0x40000000]))]))
    emmc.child(N("emmc2@7e340000", [("compatible", "brcm,bcm2711-emmc2"),
                                    ("reg", C([0x0, 0x7e340000, 0x100])), ("status", "okay")]))
    return mkfdt.build(root, [(0x0, 0x1000), (0x1ec00000, 0x10000000)]), dict(
        style="rpi4", memreserve=[["0x0", "0x1000"], ["0x1ec00000", "0x10000000"]])


def uefi_fdt(entries, ram, cmdline):
    N, C, Q = mkfdt.Node, mkfdt.Cells, mkfdt.U64
    rsv = [e for e in entries if e.depth == 0 and e.name == "reserved" and e.end - e.start >= 0x10000]
    systab = (rsv[-1].start + 0x18) if rsv else ram[-1][1] - 0x100000 + 0x18
    mmap = X.align_up(ram[0][0] + 0x1000000, 0x1000)
    root = N("", [("#address-cells", C([2])), ("#size-cells", C([2]))])
    root.child(N("chosen", [("bootargs", cmdline), ("linux,uefi-system-table", Q(systab)),
                            ("linux,uefi-mmap-start", Q(mmap)), ("linux,uefi-mmap-size", C([0x1e00])),
                            ("linux,uefi-mmap-desc-size", C([48])), ("linux,uefi-mmap-desc-ver", C([1])),
                            ("kaslr-seed", Q(0))]))
    return mkfdt.build(root), dict(style="uefi", uefi_system_table="0x%x" % systab,
                                   uefi_mmap_start="0x%x" % mmap)


def main(argv):
    ap = argparse.ArgumentParser(prog="mkroot.py --arch arm64",
                                 description="synthesize an arm64 root (see mkroot_arm64.py's docstring)")
    ap.add_argument("--arch", choices=["arm64"], required=True)
    ap.add_argument("fixture")
    ap.add_argument("outdir")
    ap.add_argument("--cpus", type=int, default=4)
    ap.add_argument("--add-crash", action="append", default=[], metavar="START-END")
    ap.add_argument("--va-bits", type=int, choices=[48, 52], default=48)
    ap.add_argument("--hw-va-bits", type=int, choices=[48, 52], default=48)
    ap.add_argument("--page-size", type=int, choices=[4096, 16384, 65536], default=4096)
    ap.add_argument("--kaslr-offset", type=lambda x: int(x, 0), default=0, metavar="OFF",
                    help="random part of the KASLR offset (2 MiB multiple)")
    ap.add_argument("--stext-offset", type=lambda x: int(x, 0), default=0x10000)
    ap.add_argument("--no-text-sym", action="store_true")
    ap.add_argument("--zones", metavar="FILE")
    ap.add_argument("--zone", action="append", default=[], metavar="NAME=START-END")
    ap.add_argument("--fdt", choices=["auto", "rpi4", "uefi"], default="auto")
    ap.add_argument("--dtb-file")
    ap.add_argument("--no-fdt", action="store_true")
    ap.add_argument("--cmdline", default=None)
    ap.add_argument("--extra-cmdline", default="")
    ap.add_argument("--osrelease", default=None)
    ap.add_argument("--new-sysfs", action="store_true")
    ap.add_argument("--crash-hotplug", action="store_true")
    ap.add_argument("--elfcorehdr-size", type=int, default=None)
    ap.add_argument("--vmcoreinfo-format", choices=["kernel", "bare"], default="kernel")
    ap.add_argument("--crash-cma-ranges", default=None, metavar="START-END,...")
    ap.add_argument("--cma-sysfs", choices=["new", "old"], default="new")
    ap.add_argument("--force", action="store_true")
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args(argv)

    page = a.page_size
    pshift = page.bit_length() - 1
    if a.hw_va_bits > a.va_bits:
        X.die("--hw-va-bits 52 needs --va-bits 52")
    if not 1 <= a.cpus <= 4096:
        X.die("--cpus out of range")
    if a.kaslr_offset % (2 * MiB) or a.kaslr_offset < 0 or a.kaslr_offset >= 1 << 40:
        X.die("--kaslr-offset must be a 2 MiB multiple below 1 TiB")
    new = a.va_bits == 52
    osrelease = a.osrelease or ("7.3.0-1-arm64" if new else "6.1.0-56-arm64")

    with open(a.fixture) as f:
        raw = f.read().splitlines()
    prov = [l for l in raw if l.startswith("#")]
    body = [l for l in raw if not l.startswith("#")]
    base = os.path.basename(a.fixture)
    body = add_crash_lines(body, X.parse_iomem(body), [parse_range(s, "--add-crash") for s in a.add_crash])
    entries = X.parse_iomem(body)

    ram = sorted((e.start, e.end) for e in entries if e.depth == 0 and e.name == "System RAM")
    if not ram:
        X.die("no top-level System RAM in the fixture")
    crash = sorted((e.start, e.end) for e in entries if e.name == "Crash kernel")
    byname = {}
    for e in entries:
        byname.setdefault(e.name, e)
    code, data = byname.get("Kernel code"), byname.get("Kernel data")
    if not code or not data:
        X.die("fixture needs 'Kernel code' and 'Kernel data' lines")
    text_paddr = code.start - a.stext_offset
    end_paddr = X.align_up(data.end, page)
    if text_paddr % page or text_paddr < ram[0][0]:
        X.die("_text (Kernel code - stext offset = 0x%x) is not page aligned RAM" % text_paddr)
    kernel_size = end_paddr - text_paddr
    reserved_children = [(e.start, e.end) for e in entries if e.depth > 0 and e.name == "reserved"]
    usable = minus(ram, crash + reserved_children + [(text_paddr, end_paddr)])

    # --- memory layout
    va_min = 48
    page_offset = (-(1 << a.va_bits)) & U64
    page_end = (-(1 << (va_min - 1))) & U64
    modules_vaddr = page_end
    modules_end = modules_vaddr + (2 * GiB if new else 128 * MiB)
    kimage_vaddr_base = vmalloc_start = modules_end
    vmemmap_shift = pshift - 6
    if new:
        vmemmap_end = (-GiB) & U64
        vmemmap_start = vmemmap_end - (((page_end - page_offset) >> pshift) * 64)
    else:
        vmemmap_start = (-(1 << (a.va_bits - vmemmap_shift))) & U64
        vmemmap_end = vmemmap_start + ((page_end - page_offset) >> vmemmap_shift)
    vmalloc_end = vmemmap_start - 256 * MiB
    section_bits = 29 if page == 65536 else 27
    memstart_shift = {4096: 30, 16384: 30, 65536: 29}[page]
    memstart_align = 1 << max(section_bits, memstart_shift)
    memstart = ram[0][0] // memstart_align * memstart_align
    phys_offset = memstart
    if a.va_bits == 52 and a.hw_va_bits != 52:
        phys_offset = memstart - ((-(1 << 48)) - (-(1 << 52)))
    t1sz = 64 - a.hw_va_bits
    kaslr = (text_paddr % (2 * MiB)) + a.kaslr_offset
    text_vaddr = kimage_vaddr_base + kaslr
    kimage_voffset = (text_vaddr - text_paddr) & U64

    def va(p):
        return ((p - phys_offset) | page_offset) & U64

    def vmemmap_va(pfn):
        return (vmemmap_start + (pfn - (phys_offset >> pshift)) * 64) & U64

    # --- per-cpu notes, vmcoreinfo note, mem_section
    cands = [(s, e) for s, e in usable if e - s >= 64 * MiB]
    if not cands:
        X.die("no usable RAM range of >= 64 MiB for the per-cpu area")
    top_s, top_e = cands[-1]
    notes_base = X.align_down(top_e, 2 * MiB) - 0x1600000
    if notes_base < top_s or notes_base + a.cpus * 0x100000 > top_e:
        X.die("per-cpu area does not fit (too many --cpus for the fixture)")
    crash_notes = [notes_base + k * 0x100000 + 0x3a400 for k in range(a.cpus)]
    vmci_paddr = None
    for s, e in usable:
        c = max(X.align_up(s, page), end_paddr + 16 * MiB)
        if c + page <= e:
            vmci_paddr = c
            break
    if vmci_paddr is None:
        vmci_paddr = X.align_up(usable[0][0], page)
    mem_section = va(notes_base + 0x26e000)

    # --- zones (for zoneinfo and the DMA limit)
    zones = {}
    if a.zones:
        zones.update(parse_zones_file(a.zones))
    for z in a.zone:
        name, _, r = z.partition("=")
        if name not in ZONE_NAMES:
            X.die("--zone %r: NAME is one of %s" % (z, ", ".join(ZONE_NAMES)))
        zones[name] = parse_range(r, "--zone")
    dma_limit = (zones.get("DMA") or zones.get("DMA32") or (0, 4 * GiB))[1]

    # --- command line
    if a.cmdline is not None:
        cmdline = a.cmdline
    else:
        low = [c for c in crash if c[1] <= dma_limit]
        high = [c for c in crash if c[1] > dma_limit]
        ck = ""
        if high:
            ck = "crashkernel=%s,high crashkernel=%s,low" % (
                X.size_str(high[-1][1] - high[-1][0]), X.size_str(low[-1][1] - low[-1][0]) if low else "0")
        elif low:
            ck = "crashkernel=" + X.size_str(low[-1][1] - low[-1][0])
        cmdline = "BOOT_IMAGE=/boot/vmlinuz-%s root=/dev/vda2 ro console=ttyAMA0,115200 quiet%s" % (
            osrelease, " " + ck if ck else "")
    if a.extra_cmdline:
        cmdline += " " + a.extra_cmdline

    # --- VMCOREINFO
    max_physmem = 52 if new else 48
    roots_per = page // 32
    vals = dict(osrelease=osrelease, pagesize=page, mem_section=mem_section,
                mem_section_len=(1 << (max_physmem - section_bits)) // roots_per,
                section_size_bits=section_bits, max_physmem_bits=max_physmem,
                max_order={4096: 11, 16384: 12, 65536: 14}[page],
                va_bits=a.va_bits, modules_vaddr=modules_vaddr, modules_end=modules_end,
                vmalloc_start=vmalloc_start, vmalloc_end=vmalloc_end, vmemmap_start=vmemmap_start,
                vmemmap_end=vmemmap_end, kimage_voffset=kimage_voffset, phys_offset=phys_offset & U64,
                t1sz=t1sz, kerneloffset=kaslr, vmemmap=vmemmap_va(0))
    tmpl = GENERIC_HEAD + (GENERIC_NEW_EXTRA if new else "") + GENERIC_TAIL + (ARCH_NEW if new else ARCH_61)

    def subst(m):
        k = m.group(1)
        if k.startswith("T+"):
            off = a.stext_offset if k == "T+STEXT" else int(k[2:], 16)
            return "%x" % (text_vaddr + off)
        name, _, fmt = k.partition(":")
        return format(vals[name], fmt)
    vmcoreinfo = re.sub(r"\{([^}]+)\}", subst, tmpl)

    # --- kcore
    prpsinfo = bytearray(PRPSINFO_SIZE)
    prpsinfo[40:47] = b"vmlinux"
    ps = cmdline.encode()[:79]
    prpsinfo[56:56 + len(ps)] = ps
    notes = (X.note("CORE", 1, bytes(PRSTATUS_SIZE)) + X.note("CORE", 3, bytes(prpsinfo)) +
             X.note("CORE", 4, bytes(TASKSTRUCT_SIZE)) + X.note("VMCOREINFO", 0, vmcoreinfo.encode()))
    loads = [(text_vaddr, text_paddr, kernel_size, "text"),
             (vmalloc_start, U64, vmalloc_end - vmalloc_start, "vmalloc"),
             (modules_vaddr, U64, modules_end - modules_vaddr, "modules")]
    vmemmaps = []
    for s, e in ram:
        spfn, epfn = (s + page - 1) // page, e // page
        if epfn <= spfn:
            continue
        loads.append((va(spfn * page), spfn * page, (epfn - spfn) * page, "ram"))
        ms = X.align_down(vmemmap_va(spfn), page)
        me = X.align_up(vmemmap_va(epfn) - 1, page)
        for ts, te in vmemmaps:
            if ms < te and me > ts:
                me = ts
        if ms < me:
            vmemmaps.append((ms, me))
            loads.append((ms, U64, me - ms, "vmemmap"))
    phnum = 1 + len(loads)
    notes_off = 64 + 56 * phnum
    data_off = X.align_up(notes_off + len(notes), page)
    ehdr = (b"\x7fELF" + bytes([2, 1, 1, 0]) + bytes(8) +
            struct.pack("<HHIQQQIHHHHHH", 4, EM_AARCH64, 1, 0, 64, 0, 0, 64, 56, phnum, 64, 0, 0))
    ph = struct.pack("<IIQQQQQQ", 4, 0, notes_off, 0, 0, len(notes), 0, 0)
    for vaddr, paddr, size, _ in loads:
        off = (vaddr - page_offset + data_off) & U64
        ph += struct.pack("<IIQQQQQQ", 1, 7, off, vaddr, paddr, size, size, page)
    kcore = ehdr + ph + notes

    # --- zoneinfo
    zoneinfo = None
    if zones:
        top_rsv = [(e.start, e.end) for e in entries if e.depth == 0 and e.name == "reserved"
                   and any(e.start < b and e.end > s0 for s0, b in [(ram[0][0], ram[-1][1])])]
        zoneinfo = zoneinfo_text(zones, sorted(ram + top_rsv), usable, page, a.cpus)

    # --- fdt
    fdt_info = None
    fdt = None
    if a.dtb_file:
        with open(a.dtb_file, "rb") as f:
            fdt = f.read()
        fdt_info = dict(style="file", path=os.path.basename(a.dtb_file))
    elif not a.no_fdt:
        style = a.fdt
        if style == "auto":
            style = "rpi4" if "raspberrypi" in base else "uefi"
        fdt, fdt_info = rpi4_fdt(ram, cmdline) if style == "rpi4" else uefi_fdt(entries, ram, cmdline)

    # --- write
    out = a.outdir
    if os.path.exists(out):
        if not a.force and os.listdir(out):
            X.die("%s exists and is not empty (use --force)" % out)
        shutil.rmtree(out)
    os.makedirs(out)
    W = X.write
    W(out, "proc/iomem", "\n".join(body).rstrip("\n") + "\n")
    W(out, "proc/cmdline", cmdline + "\n")
    W(out, "proc/kcore", kcore, 0o400)
    etext = text_vaddr + a.stext_offset + X.align_down((code.end - code.start) * 5 // 8, 0x10000)
    ks = [] if a.no_text_sym else [(text_vaddr, "T", "_text")]
    ks += [(text_vaddr + a.stext_offset, "T", "_stext"), (etext, "T", "_etext"),
           (text_vaddr + kernel_size, "B", "_end")]
    W(out, "proc/kallsyms", "".join("%016x %s %s\n" % k for k in ks))
    if zoneinfo is not None:
        W(out, "proc/zoneinfo", zoneinfo)
    if fdt is not None:
        W(out, "sys/firmware/fdt", fdt, 0o400)
    if a.vmcoreinfo_format == "kernel":
        W(out, "sys/kernel/vmcoreinfo", "0x%016x %x\n" % (vmci_paddr, 0x1024))
    else:
        W(out, "sys/kernel/vmcoreinfo", "%x %x\n" % (vmci_paddr, 0x1024))
    W(out, "sys/kernel/kexec_loaded", "0\n")
    W(out, "sys/kernel/kexec_crash_loaded", "0\n")
    main_crash = crash[-1] if crash else (0, 0)
    if crash:
        hi = [c for c in crash if c[1] > dma_limit]
        main_crash = hi[-1] if hi else crash[-1]
    W(out, "sys/kernel/kexec_crash_size", "%d\n" % (main_crash[1] - main_crash[0]), 0o644)
    cpus = "0" if a.cpus == 1 else "0-%d" % (a.cpus - 1)
    for f in ("possible", "present", "online"):
        W(out, "sys/devices/system/cpu/" + f, cpus + "\n")
    for k, addr in enumerate(crash_notes):
        W(out, "sys/devices/system/cpu/cpu%d/crash_notes" % k, "%x\n" % addr, 0o400)
        W(out, "sys/devices/system/cpu/cpu%d/crash_notes_size" % k, "%d\n" % CRASH_NOTES_SIZE)
    ehs = a.elfcorehdr_size if a.elfcorehdr_size is not None else 64 + 56 * (a.cpus + 2 + 8192)
    if a.crash_hotplug:
        W(out, "sys/devices/system/memory/crash_hotplug", "1\n")
        W(out, "sys/devices/system/cpu/crash_hotplug", "1\n")
        W(out, "sys/kernel/crash_elfcorehdr_size", "%d\n" % ehs)
    if a.new_sysfs:
        W(out, "sys/kernel/kexec/loaded", "0\n")
        W(out, "sys/kernel/kexec/crash_loaded", "0\n")
        W(out, "sys/kernel/kexec/crash_size", "%d\n" % (main_crash[1] - main_crash[0]), 0o644)
        if a.crash_hotplug:
            W(out, "sys/kernel/kexec/crash_elfcorehdr_size", "%d\n" % ehs)
    X.write_crash_cma(out, a.crash_cma_ranges, a.cma_sysfs)

    h = lambda x: "0x%x" % (x & U64)
    info = dict(arch="arm64", fixture=base, cpus=a.cpus, va_bits=a.va_bits, hw_va_bits=a.hw_va_bits,
                page_size=page, layout="new" if new else "6.1", osrelease=osrelease,
                page_offset=h(page_offset), phys_offset=h(phys_offset), memstart_addr=h(memstart),
                tcr_el1_t1sz=t1sz, text_vaddr=h(text_vaddr), text_paddr=h(text_paddr),
                stext_offset=h(a.stext_offset), kernel_size=h(kernel_size), kerneloffset=h(kaslr),
                kimage_voffset=h(kimage_voffset), modules=[h(modules_vaddr), h(modules_end)],
                vmalloc=[h(vmalloc_start), h(vmalloc_end)], vmemmap=[h(vmemmap_start), h(vmemmap_end)],
                crash_regions=[[h(s), h(e)] for s, e in crash], dma_limit=h(dma_limit),
                system_ram=[[h(s), h(e)] for s, e in ram],
                crash_notes=[h(x) for x in crash_notes], crash_notes_size=CRASH_NOTES_SIZE,
                vmcoreinfo_paddr=h(vmci_paddr), vmcoreinfo_size="0x1024", cmdline=cmdline,
                kallsyms_text=not a.no_text_sym, kcore_phnum=phnum,
                kcore_loads=[[kind, h(v), h(p), h(s)] for v, p, s, kind in loads],
                zones={k: [h(s), h(e)] for k, (s, e) in sorted(zones.items())},
                fdt=fdt_info, elfcorehdr_size=ehs if a.crash_hotplug else None)
    W(out, "MKROOT.json", json.dumps(info, indent=1) + "\n", 0o644)
    opts = [x if " " not in x else repr(x) for x in argv
            if x not in (a.fixture, a.outdir, "--force", "--quiet")]
    W(out, "PROVENANCE", "\n".join(prov + [
        "# synthesized: tests/tools/mkroot.py from %s (%s)" % (base, " ".join(["mkroot.py", base, "OUTDIR"] + opts)),
        "# synthesized: arm64; proc/kcore, proc/kallsyms, proc/cmdline, proc/zoneinfo, sys/ are derived, "
        "not captured: text 0x%x@0x%x, VA_BITS %d on %d-bit hardware, PHYS_OFFSET 0x%x, %d cpus "
        "(see MKROOT.json)" % (text_vaddr, text_paddr, a.va_bits, a.hw_va_bits, phys_offset & U64, a.cpus)]) + "\n",
        0o644)
    if not a.quiet:
        print("mkroot: %s -> %s: arm64, %d RAM ranges, %d crash regions, text 0x%x@0x%x, PHYS_OFFSET 0x%x, "
              "VA_BITS %d/%d, %d cpus" % (base, out, len(ram), len(crash), text_vaddr, text_paddr,
                                         phys_offset & U64, a.va_bits, a.hw_va_bits, a.cpus))


if __name__ == "__main__":
    main(sys.argv[1:])
