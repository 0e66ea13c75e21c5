#!/usr/bin/env python3
"""root-extras.py ROOT [--lockdown none|integrity|confidentiality] [--efi [--rsdp-zero]]
                    [--fw-memmap [--mem-limit ADDR]] [--split-crash] [--hide-iomem] [--empty-kcore]
                    [--srat BASE:SIZE ...] [--cpus-present LIST] [--block-size HEX]

Adds what a root made by mkroot.py (or captured) lacks, to exercise one machine fact at a time.
Python 3 stdlib only. Every value written is described here:

--lockdown MODE   sys/kernel/security/lockdown: "none integrity confidentiality" with MODE in [].
--efi             an EFI boot: boot_params efi_info (0x1c0) gets the "EL64" signature, systab
                  0x7fb9e018, memdesc_size 48, version 1, memmap_size 0x1200 (what OVMF boots
                  show); sys/firmware/efi/systab "ACPI20=0x7fb7e014\\nACPI=0x7fb7e000\\n
                  SMBIOS=0x7f9a3000\\n"; fw_vendor 0x7fb9e200, runtime 0x7fb9e300, config_table
                  0x7fb9e400; runtime-map/0..2: runtime code/data/MMIO descriptors below 2 GiB
                  mapped at 0xfffffffe_xxxxxxxx (as the kernel's efi_map_region() does).
--rsdp-zero       boot_params.acpi_rsdp_addr (0x70) = 0, as after an EFI stub boot.
--fw-memmap       sys/firmware/memmap/N/{start,end,type} from the top-level proc/iomem lines of
                  e820 types (before --mem-limit cuts proc/iomem).
--mem-limit ADDR  cut proc/iomem System RAM at ADDR, as mem=ADDR does (the firmware map keeps it).
--split-crash     split the highest "Crash kernel" line into two touching resources (as
                  crashkernel=,high and ,low can land back to back on arm64).
--hide-iomem      every address in proc/iomem becomes 0, as a non-root reader sees it.
--empty-kcore     proc/kcore becomes an empty file (what a bind mount over it shows).
--srat BASE:SIZE  sys/firmware/acpi/tables/SRAT: an ACPI SRAT (revision 3, OEM "KXNG") with one
                  enabled memory affinity entry for the boot RAM below 4 GiB and one enabled,
                  hot-pluggable entry per --srat (what QEMU writes for -m X,slots=N,maxmem=Y);
                  the checksum byte makes the table sum to 0.
--cpus-present L  sys/devices/system/cpu/present = L (possible stays as mkroot wrote it).
--block-size HEX  sys/devices/system/memory/block_size_bytes = HEX (bare hex, as the kernel).
"""
import argparse, os, re, struct

IOMEM = re.compile(r"^( *)([0-9a-fA-F]+)-([0-9a-fA-F]+) : (.*)$")
E820_NAMES = ("System RAM", "Reserved", "ACPI Tables", "ACPI Non-volatile Storage", "Unusable memory",
              "Persistent Memory (legacy)", "Persistent Memory", "Soft Reserved")


def put(root, rel, data):
    p = os.path.join(root, rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "wb" if isinstance(data, bytes) else "w") as f:
        f.write(data)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("root")
    ap.add_argument("--lockdown", choices=["none", "integrity", "confidentiality"])
    ap.add_argument("--efi", action="store_true")
    ap.add_argument("--rsdp-zero", action="store_true")
    ap.add_argument("--fw-memmap", action="store_true")
    ap.add_argument("--mem-limit", type=lambda x: int(x, 0))
    ap.add_argument("--split-crash", action="store_true")
    ap.add_argument("--hide-iomem", action="store_true")
    ap.add_argument("--empty-kcore", action="store_true")
    ap.add_argument("--srat", action="append", default=[])
    ap.add_argument("--cpus-present")
    ap.add_argument("--block-size")
    a = ap.parse_args()
    r = a.root
    iomem_path = os.path.join(r, "proc/iomem")
    lines = open(iomem_path).read().splitlines()

    if a.lockdown:
        words = ["none", "integrity", "confidentiality"]
        put(r, "sys/kernel/security/lockdown", " ".join("[%s]" % w if w == a.lockdown else w for w in words) + "\n")
    if a.fw_memmap:
        n = 0
        for l in lines:
            m = IOMEM.match(l)
            if m and not m.group(1) and m.group(4) in E820_NAMES:
                d = "sys/firmware/memmap/%d/" % n
                put(r, d + "start", "0x%x\n" % int(m.group(2), 16))
                put(r, d + "end", "0x%x\n" % int(m.group(3), 16))
                put(r, d + "type", m.group(4) + "\n")
                n += 1
    if a.mem_limit is not None:
        out = []
        for l in lines:
            m = IOMEM.match(l)
            if m and m.group(4).startswith("System RAM") and not m.group(1):
                s, e = int(m.group(2), 16), int(m.group(3), 16)
                if s >= a.mem_limit:
                    continue
                if e >= a.mem_limit:
                    l = "%s%08x-%08x : %s" % (m.group(1), s, a.mem_limit - 1, m.group(4))
            out.append(l)
        lines = out
    if a.split_crash:
        idx = max(i for i, l in enumerate(lines) if l.endswith(": Crash kernel"))
        m = IOMEM.match(lines[idx])
        s, e = int(m.group(2), 16), int(m.group(3), 16) + 1
        mid = s + ((e - s) // 2 & ~0xfffff)
        lines[idx:idx + 1] = ["%s%08x-%08x : Crash kernel" % (m.group(1), s, mid - 1),
                              "%s%08x-%08x : Crash kernel" % (m.group(1), mid, e - 1)]
    if a.hide_iomem:
        lines = [re.sub(r"^( *)[0-9a-fA-F]+-[0-9a-fA-F]+", lambda m: m.group(1) + "00000000-00000000", l) for l in lines]
    if a.mem_limit is not None or a.split_crash or a.hide_iomem:
        put(r, "proc/iomem", "\n".join(lines) + "\n")
    if a.srat:
        def mem_affinity(base, size, flags):
            return struct.pack("<BBIHQQIIQ", 1, 40, 0, 0, base, size, 0, flags, 0)
        body = mem_affinity(0, 0x80000000, 1) + b"".join(
            mem_affinity(int(b, 0), int(z, 0), 3) for b, z in (x.split(":") for x in a.srat))
        tbl = bytearray(b"SRAT" + struct.pack("<I", 48 + len(body)) + bytes([3, 0]) + b"KXNG  " + b"KXNGSRAT" +
                        struct.pack("<I", 1) + b"KXNG" + struct.pack("<I", 1) + struct.pack("<I", 1) + bytes(8) + body)
        tbl[9] = (-sum(tbl)) & 0xff
        put(r, "sys/firmware/acpi/tables/SRAT", bytes(tbl))
    if a.cpus_present:
        put(r, "sys/devices/system/cpu/present", a.cpus_present + "\n")
    if a.block_size:
        put(r, "sys/devices/system/memory/block_size_bytes", a.block_size + "\n")
    if a.empty_kcore:
        put(r, "proc/kcore", b"")
    if a.efi or a.rsdp_zero:
        bpp = os.path.join(r, "sys/kernel/boot_params/data")
        bp = bytearray(open(bpp, "rb").read())
        if a.efi:
            struct.pack_into("<8I", bp, 0x1c0, 0x34364c45, 0x7fb9e018, 48, 1, 0x7e6f0018, 0x1200, 0, 0)
        if a.rsdp_zero:
            struct.pack_into("<Q", bp, 0x70, 0)
        put(r, "sys/kernel/boot_params/data", bytes(bp))
    if a.efi:
        put(r, "sys/firmware/efi/systab", "ACPI20=0x7fb7e014\nACPI=0x7fb7e000\nSMBIOS=0x7f9a3000\n")
        put(r, "sys/firmware/efi/fw_vendor", "0x7fb9e200\n")
        put(r, "sys/firmware/efi/runtime", "0x7fb9e300\n")
        put(r, "sys/firmware/efi/config_table", "0x7fb9e400\n")
        for i, (t, phys, pages, attr) in enumerate([(5, 0x7f800000, 0x100, 0x800000000000000f),
                                                    (6, 0x7f900000, 0x80, 0x800000000000000f),
                                                    (11, 0xffc00000, 0x400, 0x8000000000000001)]):
            d = "sys/firmware/efi/runtime-map/%d/" % i
            put(r, d + "type", "0x%x\n" % t)
            put(r, d + "phys_addr", "0x%x\n" % phys)
            put(r, d + "virt_addr", "0x%x\n" % (0xfffffffe00000000 + phys))
            put(r, d + "num_pages", "0x%x\n" % pages)
            put(r, d + "attribute", "0x%x\n" % attr)


main()
