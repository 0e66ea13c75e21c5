#!/usr/bin/env python3
"""mkroot.py — synthesize a machine root (fake /proc + /sys) from a /proc/iomem fixture.

usage: mkroot.py --arch arm64 FIXTURE OUTDIR ...   (arm64: see mkroot_arm64.py's docstring)
       mkroot.py FIXTURE OUTDIR [--cpus N] [--kaslr-text VADDR] [--page-offset VADDR] [--l5]
                 [--cmdline S | --extra-cmdline S] [--osrelease S] [--no-boot-params]
                 [--new-sysfs] [--crash-hotplug] [--elfcorehdr-size N]
                 [--vmcoreinfo-format kernel|bare] [--force] [--quiet]

kexec-ng reads the machine only through a root directory (`kexec --root OUTDIR ...`), and the
differential tests run Debian's kexec-tools 2.0.25 on the same tree (tests/diff/run-peer.sh).
This tool turns one real /proc/iomem listing (e.g. tests/golden/fixtures/x86_64-*.txt; lines
starting with '#' are provenance and are copied to OUTDIR/PROVENANCE) into a
complete, self-consistent x86_64 root (arm64 with --arch arm64: tests/tools/mkroot_arm64.py).
Python 3 stdlib only.

Files written (relative to OUTDIR) and how every value is derived
-----------------------------------------------------------------
proc/iomem      the fixture minus its '#' lines, byte for byte.
proc/cmdline    "BOOT_IMAGE=/boot/vmlinuz-<osrelease> root=/dev/sda1 ro quiet <crashkernel>"
                (or --cmdline; --extra-cmdline is appended). <crashkernel> follows the
                "Crash kernel" lines: one region of S bytes -> "crashkernel=S"; a region below
                and one above 4 GiB -> "crashkernel=H,high crashkernel=L,low"; none -> nothing.
                Sizes are written as NM (or NK when not a whole MiB).
proc/kallsyms   "%016x %c %s" lines: two absolute per-cpu symbols at 0 (as real kallsyms starts),
                then startup_64, _stext, _text = TEXT_VADDR, _etext, phys_base, _end (offsets
                from _text as in Debian's 6.1.0-56-amd64: +0xe01d32, +0x1a1a010, +KERNEL_SIZE).
proc/kcore      ELF64 ET_CORE, EM_X86_64, shaped like Linux 6.1's fs/proc/kcore.c output:
                  PT_NOTE  (offset 64+56*phnum, filesz = notes, memsz 0) holding the notes
                           CORE/NT_PRSTATUS (336 zero bytes), CORE/NT_PRPSINFO (136 bytes,
                           fname "vmlinux", psargs = cmdline[:80]), CORE/NT_TASKSTRUCT (8392 zero
                           bytes) and VMCOREINFO/0 (the text below);
                  PT_LOAD  kernel text: vaddr TEXT_VADDR, paddr TEXT_PADDR, size KERNEL_SIZE;
                  PT_LOAD  vmalloc area (paddr -1) and module area (paddr -1);
                  then per System RAM range: PT_LOAD direct map (vaddr PAGE_OFFSET + paddr,
                  pfn-rounded inwards like walk_system_ram_range) followed by its vmemmap
                  PT_LOAD (vaddr VMEMMAP_BASE + pfn*64, page-rounded outwards, paddr -1).
                p_offset = vaddr - KCORE_BASE + DATA_OFFSET (mod 2^64), as the kernel does, with
                KCORE_BASE 0xffff800000000000 (4-level) / 0xff00000000000000 (5-level) and
                DATA_OFFSET the page-aligned end of the notes. All PT_LOAD: flags RWX, align 4096.
                The file ENDS right after the notes: only the headers and notes are ever read.
sys/kernel/vmcoreinfo  "0x%016x %x\\n" % (VMCOREINFO_PADDR, 0x1024) — the kernel prints the
                address with %pa (0x + 16 digits) and VMCOREINFO_NOTE_SIZE (0x1024) in hex.
                --vmcoreinfo-format bare writes "%x %x\\n" instead (no 0x).
sys/kernel/kexec_loaded, kexec_crash_loaded  "0\\n";  kexec_crash_size: size of the main
                (highest) "Crash kernel" region in decimal, like crashk_res.
sys/devices/system/cpu/{possible,present,online}  "0-(N-1)" ("0" for one cpu), N = --cpus (2).
sys/devices/system/cpu/cpuK/crash_notes  "%x\\n" (no 0x) = NOTES_BASE + K*0x100000 + 0x3a400;
                crash_notes_size "368\\n" (what Debian 6.1 reports).
sys/kernel/boot_params/{data,version}  (unless --no-boot-params) 4096-byte struct boot_params:
                e820_entries (0x1e8) and e820_table (0x2d0, 20-byte entries) from the top-level
                iomem lines of known types (System RAM 1, Reserved 2, ACPI Tables 3,
                ACPI Non-volatile Storage 4, Unusable memory 5, Persistent Memory 7,
                Persistent Memory (legacy) 12, Soft Reserved 0xefffffff) — an approximation of the
                firmware map; setup header: boot_flag 0xaa55, "HdrS", version 0x020f,
                loadflags 0x81, kernel_alignment 2M, relocatable 1, xloadflags 0x7f,
                cmdline_size 2047, pref_address 0x1000000. version file "0x020f\\n".
--new-sysfs     also sys/kernel/kexec/{loaded,crash_loaded,crash_size,crash_elfcorehdr_size}.
--crash-hotplug sys/devices/system/memory/crash_hotplug and sys/devices/system/cpu/crash_hotplug
                "1\\n", sys/kernel/crash_elfcorehdr_size (and the kexec/ copy with --new-sysfs):
                --elfcorehdr-size or 64 + 56*(N + 2 + 8192) (Ehdr + one phdr per cpu note,
                VMCOREINFO, kernel text and CONFIG_CRASH_MAX_MEMORY_RANGES=8192 ranges).
PROVENANCE      the fixture's '#' lines, then "# synthesized: ..." lines (this command, values).
MKROOT.json     every derived value below, for tests.

Derived values
--------------
TEXT_PADDR      start of the "Kernel code" iomem line rounded down to 2 MiB (the kernel is loaded
                2 MiB aligned and "Kernel code" starts at _text).
TEXT_VADDR      --kaslr-text, default 0xffffffff81000000 (no virtual KASLR); 2 MiB aligned.
KERNEL_SIZE     _end - _text: end of "Kernel bss" (else data, else code) + 1 - TEXT_PADDR, page
                aligned; 0x3430000 (Debian 6.1's) when the fixture has no such lines after code.
PHYS_BASE       TEXT_PADDR - (TEXT_VADDR - 0xffffffff80000000), so that the x86_64 rule
                __pa(kernel-text va) = va - 0xffffffff80000000 + phys_base holds; VMCOREINFO
                NUMBER(phys_base) is its signed decimal (negative when TEXT_VADDR is
                randomized above the physical load address, as on real KASLR machines).
KERNELOFFSET    TEXT_VADDR - 0xffffffff81000000, "%x" (kaslr_offset()).
PAGE_OFFSET     --page-offset, default 0xffff888000000000 (4-level) / 0xff11000000000000 (--l5),
                e.g. a KASLR'd 0xffff9d2a80000000; must be 1 GiB aligned.
VMALLOC/VMEMMAP the non-KASLR bases: 4-level 0xffffc90000000000 (size 32 TiB - 1) /
                0xffffea0000000000; 5-level 0xffa0000000000000 (12800 TiB - 1) /
                0xffd4000000000000. Modules: 0xffffffffc0000000, 0x3f000000 bytes.
USABLE          System RAM minus "Crash kernel" regions minus [TEXT_PADDR, +KERNEL_SIZE).
NOTES_BASE      per-cpu area near the top of the highest USABLE range below 4 GiB that has room
                (>= 64 MiB): round_down(end, 2 MiB) - 0x1600000, so every crash_notes address
                is in RAM and outside the crash regions (Debian 6.1 on 1 GiB: 0x3ea3a400).
MEM_SECTION     NOTES_BASE + 0x26e000 (direct-map address in VMCOREINFO SYMBOL(mem_section)).
VMCOREINFO_PADDR  first 64 KiB-aligned address >= 0x11f0000 inside a USABLE range that leaves
                a page (Debian 6.1 on QEMU: 0x11f0000), else the first page of USABLE RAM.
VMCOREINFO text the 109 lines that Debian's 6.1.0-56-amd64 kernel exports (captured from a QEMU
                guest's /proc/kcore), with kernel symbols relocated to TEXT_VADDR, and OSRELEASE,
                NUMBER(phys_base), KERNELOFFSET, NUMBER(pgtable_l5_enabled),
                NUMBER(MAX_PHYSMEM_BITS) (46/52) and LENGTH(mem_section) (4096/262144) set as
                above. One "KEY=value\\n" per line, as the kernel writes them (no CRASHTIME: that is
                only added at panic).
"""
import argparse
import json
import os
import re
import shutil
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rangeset import iomem_lines, minus  # noqa: E402

PAGE = 4096
MiB = 1 << 20
GiB = 1 << 30
U64 = (1 << 64) - 1
START_KERNEL_MAP = 0xffffffff80000000
DEFAULT_TEXT_VADDR = 0xffffffff81000000
MODULES_VADDR, MODULES_SIZE = 0xffffffffc0000000, 0x3f000000
PAGING = {  # 4-level / 5-level constants of Linux 6.1 x86_64 (non-KASLR bases)
    4: dict(page_offset=0xffff888000000000, kcore_base=0xffff800000000000,
            vmalloc=0xffffc90000000000, vmalloc_size=(32 << 40) - 1,
            vmemmap=0xffffea0000000000, max_physmem_bits=46, mem_section_len=4096),
    5: dict(page_offset=0xff11000000000000, kcore_base=0xff00000000000000,
            vmalloc=0xffa0000000000000, vmalloc_size=(12800 << 40) - 1,
            vmemmap=0xffd4000000000000, max_physmem_bits=52, mem_section_len=262144),
}
DEFAULT_KERNEL_SIZE = 0x3430000
CRASH_NOTES_SIZE = 368
PRSTATUS_SIZE, PRPSINFO_SIZE, TASKSTRUCT_SIZE = 336, 136, 8392
E820_TYPES = {
    "System RAM": 1, "Reserved": 2, "ACPI Tables": 3, "ACPI Non-volatile Storage": 4,
    "Unusable memory": 5, "Persistent Memory": 7, "Persistent Memory (legacy)": 12,
    "Soft Reserved": 0xefffffff,
}

# VMCOREINFO of Debian's linux-image-6.1.0-56-amd64 (6.1.192-2) read from /proc/kcore in a QEMU
# guest (tests/e2e, DEBUG=1, 4-level). {T+off} = _text + off; {name} = a derived value.
# The struct page / pglist_data / zone layout lines of VMCOREINFO (Debian 6.1's, stand-ins on
# arm64 too: mkroot_arm64.py uses them)
VMCOREINFO_MM = """\
SIZE(page)=64
SIZE(pglist_data)=174208
SIZE(zone)=1536
SIZE(free_area)=88
SIZE(list_head)=16
SIZE(nodemask_t)=128
OFFSET(page.flags)=0
OFFSET(page._refcount)=52
OFFSET(page.mapping)=24
OFFSET(page.lru)=8
OFFSET(page._mapcount)=48
OFFSET(page.private)=40
OFFSET(page.compound_dtor)=16
OFFSET(page.compound_order)=17
OFFSET(page.compound_head)=8
OFFSET(pglist_data.node_zones)=0
OFFSET(pglist_data.nr_zones)=171552
OFFSET(pglist_data.node_start_pfn)=171560
OFFSET(pglist_data.node_spanned_pages)=171576
OFFSET(pglist_data.node_id)=171584
OFFSET(zone.free_area)=256
OFFSET(zone.vm_stat)=1344
OFFSET(zone.spanned_pages)=144
OFFSET(free_area.free_list)=0
OFFSET(list_head.next)=0
OFFSET(list_head.prev)=8
OFFSET(vmap_area.va_start)=0
OFFSET(vmap_area.list)=40
"""
# The printk ring buffer layout and page flag numbers of VMCOREINFO (kernel/printk, mm), the
# same lines on every arch (mkroot_arm64.py uses them too)
VMCOREINFO_PRINTK = """\
SIZE(printk_ringbuffer)=88
OFFSET(printk_ringbuffer.desc_ring)=0
OFFSET(printk_ringbuffer.text_data_ring)=48
OFFSET(printk_ringbuffer.fail)=80
SIZE(prb_desc_ring)=48
OFFSET(prb_desc_ring.count_bits)=0
OFFSET(prb_desc_ring.descs)=8
OFFSET(prb_desc_ring.infos)=16
OFFSET(prb_desc_ring.head_id)=24
OFFSET(prb_desc_ring.tail_id)=32
SIZE(prb_desc)=24
OFFSET(prb_desc.state_var)=0
OFFSET(prb_desc.text_blk_lpos)=8
SIZE(prb_data_blk_lpos)=16
OFFSET(prb_data_blk_lpos.begin)=0
OFFSET(prb_data_blk_lpos.next)=8
SIZE(printk_info)=88
OFFSET(printk_info.seq)=0
OFFSET(printk_info.ts_nsec)=8
OFFSET(printk_info.text_len)=16
OFFSET(printk_info.caller_id)=20
OFFSET(printk_info.dev_info)=24
SIZE(dev_printk_info)=64
OFFSET(dev_printk_info.subsystem)=0
LENGTH(printk_info_subsystem)=16
OFFSET(dev_printk_info.device)=16
LENGTH(printk_info_device)=48
SIZE(prb_data_ring)=32
OFFSET(prb_data_ring.size_bits)=0
OFFSET(prb_data_ring.data)=8
OFFSET(prb_data_ring.head_lpos)=16
OFFSET(prb_data_ring.tail_lpos)=24
SIZE(atomic_long_t)=8
OFFSET(atomic_long_t.counter)=0
SIZE(latched_seq)=24
OFFSET(latched_seq.val)=8
LENGTH(free_area.free_list)=5
NUMBER(NR_FREE_PAGES)=0
NUMBER(PG_lru)=4
NUMBER(PG_private)=13
NUMBER(PG_swapcache)=10
NUMBER(PG_swapbacked)=19
NUMBER(PG_slab)=9
NUMBER(PG_hwpoison)=23
NUMBER(PG_head_mask)=65536
NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE)=-129
NUMBER(HUGETLB_PAGE_DTOR)=2
NUMBER(PAGE_OFFLINE_MAPCOUNT_VALUE)=-257
"""

VMCOREINFO_TEMPLATE = """\
OSRELEASE={osrelease}
BUILD-ID=eb4fbcd037e7253717950bf2b93bd5566f47c56f
PAGESIZE=4096
SYMBOL(init_uts_ns)={T+0x1bfb000}
OFFSET(uts_namespace.name)=0
SYMBOL(node_online_map)={T+0x1c3df40}
SYMBOL(swapper_pg_dir)={T+0x1a10000}
SYMBOL(_stext)={T+0x0}
SYMBOL(vmap_area_list)={T+0x1b5c430}
SYMBOL(mem_section)={mem_section}
LENGTH(mem_section)={mem_section_len}
SIZE(mem_section)=32
OFFSET(mem_section.section_mem_map)=0
NUMBER(SECTION_SIZE_BITS)=27
NUMBER(MAX_PHYSMEM_BITS)={max_physmem_bits}
""" + VMCOREINFO_MM + """\
LENGTH(zone.free_area)=11
SYMBOL(prb)={T+0x1a643e0}
SYMBOL(printk_rb_static)={T+0x1a64400}
SYMBOL(clear_seq)={T+0x2faad20}
""" + VMCOREINFO_PRINTK + """\
SYMBOL(kallsyms_names)={T+0x11bdac0}
SYMBOL(kallsyms_num_syms)={T+0x11bdab8}
SYMBOL(kallsyms_token_table)={T+0x132ddd8}
SYMBOL(kallsyms_token_index)={T+0x132e170}
SYMBOL(kallsyms_offsets)={T+0x11619c8}
SYMBOL(kallsyms_relative_base)={T+0x11bdab0}
NUMBER(phys_base)={phys_base}
SYMBOL(init_top_pgt)={T+0x1a10000}
NUMBER(pgtable_l5_enabled)={l5}
SYMBOL(node_data)={T+0x1c393a0}
LENGTH(node_data)=1024
KERNELOFFSET={kerneloffset}
NUMBER(KERNEL_IMAGE_SIZE)=1073741824
NUMBER(sme_mask)=0
"""



class Entry:
    def __init__(self, depth, start, end, name):
        self.depth, self.start, self.end, self.name = depth, start, end, name  # end exclusive

    def __repr__(self):
        return "%x-%x %s" % (self.start, self.end, self.name)


def die(msg):
    print("mkroot: error: " + msg, file=sys.stderr)
    sys.exit(2)


def parse_iomem(lines):
    """Entry per /proc/iomem line (tests/tools/rangeset.py reads them; a line may have an empty
    name, '  7e810000-7e810fff :' in the eMAG fixture)."""
    try:
        return [Entry(d, s, e, name) for d, s, e, name in iomem_lines(lines)]
    except ValueError as e:
        die(str(e))


def size_str(n):
    return "%dM" % (n // MiB) if n % MiB == 0 else "%dK" % (n // 1024)


def align_down(x, a):
    return x // a * a


def align_up(x, a):
    return (x + a - 1) // a * a


def note(name, ntype, desc):
    nb = name.encode() + b"\0"
    pad = lambda b: b + b"\0" * (-len(b) % 4)
    return struct.pack("<III", len(nb), len(desc), ntype) + pad(nb) + pad(desc)


def build_kcore(v, ram, cmdline):
    prpsinfo = bytearray(PRPSINFO_SIZE)
    prpsinfo[40:40 + 7] = b"vmlinux"                 # pr_fname[16] at 40
    ps = cmdline.encode()[:79]
    prpsinfo[56:56 + len(ps)] = ps                   # pr_psargs[80] at 56
    notes = (note("CORE", 1, bytes(PRSTATUS_SIZE)) + note("CORE", 3, bytes(prpsinfo)) +
             note("CORE", 4, bytes(TASKSTRUCT_SIZE)) + note("VMCOREINFO", 0, v["vmcoreinfo"].encode()))
    p = PAGING[v["levels"]]
    loads = [(v["text_vaddr"], v["text_paddr"], v["kernel_size"]),
             (p["vmalloc"], U64, p["vmalloc_size"]),
             (MODULES_VADDR, U64, MODULES_SIZE)]
    for s, e in ram:
        spfn, epfn = (s + PAGE - 1) // PAGE, e // PAGE
        if epfn <= spfn:
            continue
        loads.append((v["page_offset"] + spfn * PAGE, spfn * PAGE, (epfn - spfn) * PAGE))
        ms, me = align_down(p["vmemmap"] + spfn * 64, PAGE), align_up(p["vmemmap"] + epfn * 64, PAGE)
        loads.append((ms, U64, me - ms))
    phnum = 1 + len(loads)
    notes_off = 64 + 56 * phnum
    data_off = align_up(notes_off + len(notes), PAGE)
    ehdr = (b"\x7fELF" + bytes([2, 1, 1, 0]) + bytes(8) +
            struct.pack("<HHIQQQIHHHHHH", 4, 62, 1, 0, 64, 0, 0, 64, 56, phnum, 64, 0, 0))
    ph = struct.pack("<IIQQQQQQ", 4, 0, notes_off, 0, 0, len(notes), 0, 0)
    for vaddr, paddr, size in loads:
        off = (vaddr - p["kcore_base"] + data_off) & U64
        ph += struct.pack("<IIQQQQQQ", 1, 7, off, vaddr, paddr, size, size, PAGE)
    return ehdr + ph + notes, loads


def build_boot_params(entries):
    bp = bytearray(4096)
    e820 = [(e.start, e.end - e.start, E820_TYPES[e.name]) for e in entries
            if e.depth == 0 and e.name in E820_TYPES][:128]
    bp[0x1e8] = len(e820)
    for i, (a, s, t) in enumerate(e820):
        struct.pack_into("<QQI", bp, 0x2d0 + 20 * i, a, s, t)
    struct.pack_into("<H", bp, 0x1fe, 0xaa55)        # boot_flag
    bp[0x202:0x206] = b"HdrS"
    struct.pack_into("<H", bp, 0x206, 0x020f)        # version
    bp[0x211] = 0x81                                 # loadflags: LOADED_HIGH | CAN_USE_HEAP
    struct.pack_into("<I", bp, 0x230, 2 * MiB)       # kernel_alignment
    bp[0x234] = 1                                    # relocatable_kernel
    struct.pack_into("<H", bp, 0x236, 0x7f)          # xloadflags
    struct.pack_into("<I", bp, 0x238, 2047)          # cmdline_size
    struct.pack_into("<Q", bp, 0x258, 0x1000000)     # pref_address
    return bytes(bp), e820


def write(root, rel, data, mode=0o444):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data.encode() if isinstance(data, str) else data)
    os.chmod(path, mode)


def write_crash_cma(out, spec, where):
    """--crash-cma-ranges "START-END,..." (inclusive hex): the kernel's crash CMA export, one
    "%08x-%08x" line per range in the order given (reservation order), under the new name
    (sys/kernel/kexec/crash_cma_ranges) or only the old one (sys/kernel/kexec_crash_cma_ranges).
    An empty spec writes an empty file (CMA support, nothing reserved)."""
    if spec is None:
        return
    lines = ""
    for item in filter(None, spec.split(",")):
        lo, hi = (int(x, 16) for x in item.split("-"))
        lines += "%08x-%08x\n" % (lo, hi)
    write(out, "sys/kernel/kexec/crash_cma_ranges" if where == "new" else "sys/kernel/kexec_crash_cma_ranges", lines)


def main():
    argv = sys.argv[1:]
    if "--arch=arm64" in argv or any(x == "--arch" and y == "arm64" for x, y in zip(argv, argv[1:])):
        import mkroot_arm64                          # the arm64 machine (see its docstring)
        mkroot_arm64.main([x for x in argv if x != "--arch=arm64"] +
                          (["--arch", "arm64"] if "--arch=arm64" in argv else []))
        return
    ap = argparse.ArgumentParser(description="synthesize a fake /proc+/sys root from an iomem fixture "
                                 "(see the module docstring for every derived value)")
    ap.add_argument("--arch", choices=["x86_64"], default="x86_64", help="arm64: see mkroot_arm64.py")
    ap.add_argument("fixture")
    ap.add_argument("outdir")
    ap.add_argument("--cpus", type=int, default=2)
    ap.add_argument("--kaslr-text", type=lambda x: int(x, 0), default=DEFAULT_TEXT_VADDR,
                    metavar="VADDR", help="virtual address of _text (default 0xffffffff81000000)")
    ap.add_argument("--page-offset", type=lambda x: int(x, 0), default=None, metavar="VADDR")
    ap.add_argument("--l5", action="store_true", help="5-level paging constants")
    ap.add_argument("--cmdline", default=None)
    ap.add_argument("--extra-cmdline", default="")
    ap.add_argument("--osrelease", default="6.1.0-56-amd64")
    ap.add_argument("--no-boot-params", action="store_true")
    ap.add_argument("--new-sysfs", action="store_true")
    ap.add_argument("--crash-hotplug", action="store_true")
    ap.add_argument("--elfcorehdr-size", type=int, default=None)
    ap.add_argument("--vmcoreinfo-format", choices=["kernel", "bare"], default="kernel")
    ap.add_argument("--crash-cma-ranges", default=None, metavar="START-END,...",
                    help="crashkernel=,cma ranges the kernel exports (inclusive hex, reservation order)")
    ap.add_argument("--cma-sysfs", choices=["new", "old"], default="new",
                    help="export them as sys/kernel/kexec/crash_cma_ranges (new) or sys/kernel/kexec_crash_cma_ranges (old)")
    ap.add_argument("--force", action="store_true", help="replace OUTDIR if it exists")
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args()

    with open(a.fixture) as f:
        raw = f.read().splitlines()
    prov = [l for l in raw if l.startswith("#")]
    body = [l for l in raw if not l.startswith("#")]
    base = os.path.basename(a.fixture)
    if base.startswith("arm64") or any("arm64" in l for l in prov if l.startswith("# machine")):
        die("%s: an arm64 fixture: use --arch arm64" % base)
    entries = parse_iomem(body)
    if not 1 <= a.cpus <= 8192:
        die("--cpus out of range")

    levels = 5 if a.l5 else 4
    P = PAGING[levels]
    page_offset = P["page_offset"] if a.page_offset is None else a.page_offset
    if page_offset % GiB:
        die("--page-offset must be 1 GiB aligned")
    text_vaddr = a.kaslr_text
    if text_vaddr % (2 * MiB) or not START_KERNEL_MAP + 16 * MiB <= text_vaddr < MODULES_VADDR:
        die("--kaslr-text must be 2 MiB aligned in [0xffffffff81000000, 0xffffffffc0000000)")

    ram = sorted((e.start, e.end) for e in entries if e.name == "System RAM" or e.name.startswith("System RAM ("))
    merged = []
    for s, e in ram:                                  # merge overlaps (nested duplicates), keep adjacent apart
        if merged and s < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    ram = merged
    if not ram:
        die("no System RAM in the fixture")
    crash = sorted((e.start, e.end) for e in entries if e.name == "Crash kernel")
    byname = {}
    for e in entries:
        byname.setdefault(e.name, e)
    code = byname.get("Kernel code")
    if not code:
        die("fixture has no 'Kernel code' line (needed for the kernel-text PT_LOAD)")
    text_paddr = align_down(code.start, 2 * MiB)
    kend = None
    for n in ("Kernel bss", "Kernel data", "Kernel rodata"):
        if n in byname and byname[n].end > code.end:
            kend = byname[n].end
            break
    kernel_size = align_up(kend - text_paddr, PAGE) if kend else DEFAULT_KERNEL_SIZE
    phys_base = text_paddr - (text_vaddr - START_KERNEL_MAP)
    kerneloffset = text_vaddr - DEFAULT_TEXT_VADDR
    usable = minus(ram, crash + [(text_paddr, text_paddr + kernel_size)])

    cands = [(s, e) for s, e in usable if e <= 4 * GiB and e - s >= 64 * MiB] or \
            [(s, e) for s, e in usable if e - s >= 64 * MiB]
    if not cands:
        die("no usable RAM range of >= 64 MiB for the per-cpu area")
    top_s, top_e = cands[-1]
    notes_base = align_down(top_e, 2 * MiB) - 0x1600000
    if notes_base + a.cpus * 0x100000 > top_e or notes_base < top_s:
        die("per-cpu area does not fit (too many --cpus for the fixture)")
    crash_notes = [notes_base + k * 0x100000 + 0x3a400 for k in range(a.cpus)]
    mem_section_paddr = notes_base + 0x26e000
    vmci_paddr = None
    for s, e in usable:
        c = max(align_up(s, 0x10000), 0x11f0000)
        if c + PAGE <= e:
            vmci_paddr = c
            break
    if vmci_paddr is None:
        vmci_paddr = align_up(usable[0][0], PAGE)

    if a.cmdline is not None:
        cmdline = a.cmdline
    else:
        ck = ""
        if len(crash) == 1:
            ck = "crashkernel=" + size_str(crash[0][1] - crash[0][0])
        elif len(crash) >= 2:
            low = [c for c in crash if c[1] <= 4 * GiB]
            high = [c for c in crash if c[1] > 4 * GiB]
            if low and high:
                ck = "crashkernel=%s,high crashkernel=%s,low" % (
                    size_str(high[0][1] - high[0][0]), size_str(low[0][1] - low[0][0]))
            else:
                ck = "crashkernel=" + size_str(crash[-1][1] - crash[-1][0])
        cmdline = "BOOT_IMAGE=/boot/vmlinuz-%s root=/dev/sda1 ro quiet%s" % (a.osrelease, " " + ck if ck else "")
    if a.extra_cmdline:
        cmdline += " " + a.extra_cmdline

    vals = dict(osrelease=a.osrelease, l5=1 if levels == 5 else 0,
                max_physmem_bits=P["max_physmem_bits"], mem_section_len=P["mem_section_len"],
                phys_base=phys_base, kerneloffset="%x" % (kerneloffset & U64),
                mem_section="%x" % (page_offset + mem_section_paddr))

    def subst(m):
        k = m.group(1)
        if k.startswith("T+"):
            return "%x" % (text_vaddr + int(k[2:], 16))
        return str(vals[k])
    vmcoreinfo = re.sub(r"\{([^}]+)\}", subst, VMCOREINFO_TEMPLATE)

    v = dict(levels=levels, text_vaddr=text_vaddr, text_paddr=text_paddr, kernel_size=kernel_size,
             page_offset=page_offset, vmcoreinfo=vmcoreinfo)
    kcore, loads = build_kcore(v, ram, cmdline)

    out = a.outdir
    if os.path.exists(out):
        if not a.force and os.listdir(out):
            die("%s exists and is not empty (use --force)" % out)
        shutil.rmtree(out)
    os.makedirs(out)
    write(out, "proc/iomem", "\n".join(body).rstrip("\n") + "\n")
    write(out, "proc/cmdline", cmdline + "\n")
    write(out, "proc/kcore", kcore, 0o400)
    ks = [(0, "A", "fixed_percpu_data"), (0, "A", "__per_cpu_start"),
          (text_vaddr, "T", "startup_64"), (text_vaddr, "T", "_stext"), (text_vaddr, "T", "_text"),
          (text_vaddr + 0xe01d32, "T", "_etext"), (text_vaddr + 0x1a1a010, "D", "phys_base"),
          (text_vaddr + kernel_size, "B", "_end")]
    write(out, "proc/kallsyms", "".join("%016x %s %s\n" % k for k in ks))
    if a.vmcoreinfo_format == "kernel":
        write(out, "sys/kernel/vmcoreinfo", "0x%016x %x\n" % (vmci_paddr, 0x1024))
    else:
        write(out, "sys/kernel/vmcoreinfo", "%x %x\n" % (vmci_paddr, 0x1024))
    write(out, "sys/kernel/kexec_loaded", "0\n")
    write(out, "sys/kernel/kexec_crash_loaded", "0\n")
    main_crash = crash[-1] if crash else (0, 0)
    write(out, "sys/kernel/kexec_crash_size", "%d\n" % (main_crash[1] - main_crash[0]), 0o644)
    cpus = "0" if a.cpus == 1 else "0-%d" % (a.cpus - 1)
    for f in ("possible", "present", "online"):
        write(out, "sys/devices/system/cpu/" + f, cpus + "\n")
    for k, addr in enumerate(crash_notes):
        write(out, "sys/devices/system/cpu/cpu%d/crash_notes" % k, "%x\n" % addr, 0o400)
        write(out, "sys/devices/system/cpu/cpu%d/crash_notes_size" % k, "%d\n" % CRASH_NOTES_SIZE)
    e820 = []
    if not a.no_boot_params:
        bp, e820 = build_boot_params(entries)
        write(out, "sys/kernel/boot_params/data", bp)
        write(out, "sys/kernel/boot_params/version", "0x020f\n")
    ehs = a.elfcorehdr_size if a.elfcorehdr_size is not None else 64 + 56 * (a.cpus + 2 + 8192)
    if a.crash_hotplug:
        write(out, "sys/devices/system/memory/crash_hotplug", "1\n")
        write(out, "sys/devices/system/cpu/crash_hotplug", "1\n")
        write(out, "sys/kernel/crash_elfcorehdr_size", "%d\n" % ehs)
    if a.new_sysfs:
        write(out, "sys/kernel/kexec/loaded", "0\n")
        write(out, "sys/kernel/kexec/crash_loaded", "0\n")
        write(out, "sys/kernel/kexec/crash_size", "%d\n" % (main_crash[1] - main_crash[0]), 0o644)
        if a.crash_hotplug:
            write(out, "sys/kernel/kexec/crash_elfcorehdr_size", "%d\n" % ehs)
    write_crash_cma(out, a.crash_cma_ranges, a.cma_sysfs)

    info = dict(fixture=base, cpus=a.cpus, levels=levels, page_offset="0x%x" % page_offset,
                text_vaddr="0x%x" % text_vaddr, text_paddr="0x%x" % text_paddr,
                kernel_size="0x%x" % kernel_size, phys_base=phys_base,
                kerneloffset="0x%x" % (kerneloffset & U64),
                crash_regions=[["0x%x" % s, "0x%x" % e] for s, e in crash],
                system_ram=[["0x%x" % s, "0x%x" % e] for s, e in ram],
                crash_notes=["0x%x" % x for x in crash_notes], crash_notes_size=CRASH_NOTES_SIZE,
                vmcoreinfo_paddr="0x%x" % vmci_paddr, vmcoreinfo_size="0x1024",
                cmdline=cmdline, kcore_phnum=1 + len(loads),
                e820=[["0x%x" % s, "0x%x" % (s + n), t] for s, n, t in e820],
                elfcorehdr_size=ehs if a.crash_hotplug else None)
    write(out, "MKROOT.json", json.dumps(info, indent=1) + "\n", 0o644)
    opts = [x if " " not in x else repr(x) for x in sys.argv[1:] if x not in (a.fixture, a.outdir, "--force", "--quiet")]
    argv = " ".join(["mkroot.py", base, "OUTDIR"] + opts)
    write(out, "PROVENANCE", "\n".join(prov + [
        "# synthesized: tests/tools/mkroot.py from %s (%s)" % (base, argv),
        "# synthesized: proc/kcore, proc/kallsyms, proc/cmdline and sys/ are derived, not captured: "
        "text 0x%x@0x%x phys_base %d page_offset 0x%x, %d cpus (see MKROOT.json)" % (
            text_vaddr, text_paddr, phys_base, page_offset, a.cpus)]) + "\n", 0o644)
    if not a.quiet:
        print("mkroot: %s -> %s: %d RAM ranges, %d crash regions, text 0x%x@0x%x, phys_base %d, "
              "page_offset 0x%x, %d cpus" % (base, out, len(ram), len(crash), text_vaddr, text_paddr,
                                              phys_base, page_offset, a.cpus))


if __name__ == "__main__":
    main()
