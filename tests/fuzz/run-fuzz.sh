#!/bin/bash
# Build the libFuzzer targets with clang (ASan+UBSan) and run each for SECONDS, seeded with
# the real inputs in the tree (iomem fixtures, a synthesized kcore, the purgatory object).
# usage: run-fuzz.sh [SECONDS]     prints PASS:/FAIL:/SKIP: fuzz: <target> lines
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-20}
b=$top/build/fuzz
command -v clang >/dev/null || { echo "SKIP: fuzz: clang not installed"; exit 0; }
echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }' >/tmp/kx-fz.c
clang -fsanitize=fuzzer /tmp/kx-fz.c -o /tmp/kx-fz 2>/dev/null || { echo "SKIP: fuzz: clang has no libFuzzer (libclang-rt-14-dev)"; exit 0; }
mkdir -p "$b" && cd "$b"
if [ ! -f Makefile ]; then
	CC=clang CFLAGS="-g -O1 -fsanitize=fuzzer-no-link,address,undefined" \
		"$top/configure" >configure.log 2>&1 || { echo "FAIL: fuzz: configure"; exit 1; }
fi
make -j"$(nproc)" kexec/libkexec.a kdump-elf/libkdump-elf.a fdt/libkfdt.a >make.log 2>&1 || { echo "FAIL: fuzz: build"; tail -20 make.log; exit 1; }
FZ="clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -I$b -I$top -I$top/kexec -I$top/kexec/arch/x86_64 -I$top/kdump-elf -I$top/purgatory"
LIBS="$b/kexec/libkexec.a $b/kdump-elf/libkdump-elf.a $b/fdt/libkfdt.a -lfdt -lelf -lcrypto -lz"
$FZ "$top/tests/fuzz/fuzz-machine.c" $LIBS -o fuzz-machine 2>>make.log &&
$FZ "$top/tests/fuzz/fuzz-purgatory.c" $LIBS -o fuzz-purgatory 2>>make.log &&
$FZ "$top/tests/fuzz/fuzz-kdump-elf.c" $LIBS -o fuzz-kdump-elf 2>>make.log &&
$FZ -I"$top/fdt" "$top/tests/fuzz/fuzz-fdt.c" $LIBS -o fuzz-fdt 2>>make.log &&
$FZ "$top/tests/fuzz/fuzz-arm64-image.c" "$top"/kexec/arch/arm64/{image,zboot,unpack,vmlinux}.c $LIBS \
	$(grep -q 'define HAVE_ZSTD 1' config.h && echo -lzstd) $(grep -q 'define HAVE_LZMA 1' config.h && echo -llzma) \
	-o fuzz-arm64-image 2>>make.log || { echo "FAIL: fuzz: linking targets"; tail -20 make.log; exit 1; }

# seeds: real inputs, tagged with the fuzz-machine selector byte
rm -rf corpus && mkdir -p corpus/machine corpus/purgatory corpus/kdump-elf corpus/fdt corpus/arm64-image
i=0
for f in "$top"/tests/golden/fixtures/*.txt; do
	{ printf '\0'; grep -v '^#' "$f"; } >corpus/machine/iomem-$i; i=$((i + 1))
done
printf '\0010-3,8\n' >corpus/machine/cpus
python3 "$top/tests/tools/mkroot.py" "$top/tests/golden/fixtures/x86_64-qemu-i440fx-vm-crash-low.txt" root --force --quiet &&
	{ printf '\002'; cat root/proc/kcore; } >corpus/machine/kcore
python3 "$top/tests/tools/mkbzimage.py" bz --payload 0x1000 && { printf '\003'; cat bz; } >corpus/machine/bzimage
printf '\004ACPI20=0x7fb7e014\nACPI=0x7fb7e000\nSMBIOS=0x7f9a3000\n' >corpus/machine/systab
printf '\005none integrity [confidentiality]\n' >corpus/machine/lockdown
printf '\0109ba00000-ab9fffff\n140000000-14fffffff\n' >corpus/machine/cma-sysfs
printf '\0110x9ba00000-0xab9fffff,256M@0x140000000,1G@5G' >corpus/machine/cma-list
{ printf '\006'; head -c 3000 bz | gzip -c; head -c 2000 bz | gzip -c; } >corpus/machine/gzip
cp purgatory/purgatory-x86_64.ro corpus/purgatory/ 2>/dev/null || make purgatory/purgatory-x86_64.ro >/dev/null 2>&1 && cp purgatory/purgatory-x86_64.ro corpus/purgatory/
cp root/proc/kcore corpus/kdump-elf/ 2>/dev/null
# device trees: QEMU's arm64 virt board, and hand-written RPi4-like and kexec'd-kernel shapes
command -v qemu-system-aarch64 >/dev/null &&
	qemu-system-aarch64 -machine virt,dumpdtb=corpus/fdt/qemu-virt.dtb -cpu cortex-a57 -m 1G -nographic >/dev/null 2>&1
if command -v dtc >/dev/null; then
	dtc -q -I dts -O dtb -o corpus/fdt/rpi4.dtb - <<'DTS'
/dts-v1/;
/memreserve/ 0x0 0x1000;
/ { #address-cells = <2>; #size-cells = <1>; compatible = "raspberrypi,4-model-b";
	aliases { serial0 = "/soc/serial@7e201000"; };
	chosen { stdout-path = "serial0:115200n8"; bootargs = "console=ttyAMA0"; kaslr-seed = <0 0>; rng-seed = [00 01 02 03]; };
	soc { compatible = "simple-bus"; #address-cells = <1>; #size-cells = <1>;
		ranges = <0x7e000000 0x0 0xfe000000 0x01800000>; dma-ranges = <0xc0000000 0x0 0x0 0x40000000>;
		serial@7e201000 { compatible = "arm,pl011", "arm,primecell"; reg = <0x7e201000 0x200>; }; };
	scb { compatible = "simple-bus"; #address-cells = <2>; #size-cells = <1>;
		ranges = <0x0 0x7c000000 0x0 0xfc000000 0x03800000>; dma-ranges = <0x0 0x0 0x0 0x0 0xfc000000>;
		pcie@7d500000 { device_type = "pci"; #address-cells = <3>; #size-cells = <2>;
			dma-ranges = <0x02000000 0x0 0x0 0x0 0x0 0x0 0xc0000000>; }; };
};
DTS
	dtc -q -I dts -O dtb -o corpus/fdt/kexeced.dtb - <<'DTS'
/dts-v1/;
/memreserve/ 0x48000000 0x100000;
/memreserve/ 0x7f000000 0x10000;
/ { #address-cells = <1>; #size-cells = <1>;
	memory@40000000 { device_type = "memory"; reg = <0x40000000 0x40000000>; };
	chosen { bootargs = "console=ttyAMA0 crashkernel=256M"; linux,initrd-start = <0 0x48000000>; linux,initrd-end = <0 0x48100000>;
		linux,elfcorehdr = <0x7f000000 0x10000>; linux,usable-memory-range = <0x70000000 0x10000000 0x30000000 0x8000000>;
		linux,booted-from-kexec; linux,kho-fdt = <0 0x1000>; stdout-path = "/pl011@9000000"; };
	pl011@9000000 { compatible = "arm,pl011"; reg = <0x9000000 0x1000>; };
};
DTS
fi
# arm64: a small fake Image (header, banner), zboot files around it (gzip, xz with the ARM64 BCJ
# filter like the kernel's xzkern, legacy lzma, zstd when the zstd tool is there) and a vmlinux ELF
python3 - corpus/arm64-image <<'PY'
import gzip, lzma, os, struct, subprocess, sys
d = sys.argv[1]
size = 0x3000
img = bytearray(size)
img[0:2] = b"MZ"
struct.pack_into("<QQQ", img, 8, 0, size, 0xa)
struct.pack_into("<II", img, 0x38, 0x644d5241, 0)
banner = b"Linux version 6.12.9-arm64 (debian-kernel@lists.debian.org) #1 SMP"
img[0x100:0x100 + len(banner)] = banner
open(f"{d}/image", "wb").write(img)
def zboot(name, comp, payload):
    h = bytearray(0x40)
    h[0:2] = b"MZ"
    h[4:8] = b"zimg"
    struct.pack_into("<II", h, 8, 0x40, len(payload))
    h[0x18:0x18 + len(comp)] = comp
    open(f"{d}/zboot-{name}", "wb").write(bytes(h) + payload + struct.pack("<I", size))
zboot("gzip", b"gzip", gzip.compress(bytes(img)))
zboot("xz", b"xzkern", lzma.compress(bytes(img), check=lzma.CHECK_CRC32,
      filters=[{"id": lzma.FILTER_ARM64} if hasattr(lzma, "FILTER_ARM64") else {"id": lzma.FILTER_ARMTHUMB},
               {"id": lzma.FILTER_LZMA2}]))
zboot("lzma", b"lzma", lzma.compress(bytes(img), format=lzma.FORMAT_ALONE))
try:
    zboot("zstd", b"zstd22", subprocess.run(["zstd", "-19", "-c"], input=bytes(img), capture_output=True, check=True).stdout)
except (OSError, subprocess.CalledProcessError):
    pass
base, off1, data = 0xffff800080000000, 0x100, 0x200
eh = b"\x7fELF" + bytes([2, 1, 1]) + bytes(9) + struct.pack("<HHIQQQIHHHHHH", 2, 183, 1, base, 64, 0, 0, 64, 56, 2, 0, 0, 0)
ph = struct.pack("<IIQQQQQQ", 1, 5, off1, base, base, size, size, 0x10000)
ph += struct.pack("<IIQQQQQQ", 1, 6, off1 + size, base + size + 0x1000, base + size + 0x1000, data, data + 0x1000, 0x10000)
elf = eh + ph
open(f"{d}/vmlinux", "wb").write(elf + bytes(off1 - len(elf)) + bytes(img) + bytes(range(256)) * 2)
PY


for t in machine purgatory kdump-elf fdt arm64-image; do
	if ./fuzz-$t -max_total_time="$secs" -timeout=20 -max_len=65536 -print_final_stats=1 corpus/$t >fuzz-$t.log 2>&1; then
		echo "PASS: fuzz: $t ($(sed -n 's/^stat::number_of_executed_units: *//p' fuzz-$t.log) runs in ${secs}s)"
	else
		echo "FAIL: fuzz: $t: $(grep -m1 -E 'ERROR|SUMMARY' fuzz-$t.log) (log: $b/fuzz-$t.log)"
	fi
done
