#!/bin/bash
# Golden dry-runs for arm64: the arm64 kexec (a static cross build, run under qemu-aarch64 on
# other hosts) plans loads for machines built from the real arm64 /proc/iomem listings in
# fixtures/ (tools/mkroot.py --arch arm64: proc/kcore with VMCOREINFO, sys/firmware/fdt,
# proc/zoneinfo) and, when present, roots captured in the arm64 QEMU guests (captured/arm64-*).
# Each plan case decodes the bytes it would load (check-arm64.py: device tree, Image placement,
# initrd window, core header, DMA notes) and compares the masked plan with expected/<case>.json.
# usage: run-golden-arm64.sh KEXEC_ARM64      env: UPDATE_GOLDEN=1, QEMU_USER (default qemu-aarch64)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tools=$here/../tools
KEXEC_BIN=$(readlink -f "${1:?usage: run-golden-arm64.sh KEXEC_ARM64}")
QEMU_USER=${QEMU_USER:-qemu-aarch64}
w=$(mktemp -d); trap 'rm -rf "$w"' EXIT
SUITE=golden-arm64

if [ "$(uname -m)" = aarch64 ]; then kx() { "$KEXEC_BIN" "$@"; }
elif command -v "$QEMU_USER" >/dev/null; then kx() { "$QEMU_USER" "$KEXEC_BIN" "$@"; }
else echo "FAIL: golden-arm64: setup: $QEMU_USER not found (apt-get install qemu-user)"; exit 1; fi
. "$here/lib.sh"

python3 "$tools/mkimage-arm64.py" "$w/Image"
python3 "$tools/mkimage-arm64.py" "$w/Image.gz" --format gz
python3 "$tools/mkimage-arm64.py" "$w/vmlinux" --format vmlinux
python3 "$tools/mkimage-arm64.py" "$w/Image-old" --text-offset 0x80000 --image-size 0 --flags 0
python3 "$tools/mkimage-arm64.py" "$w/Image-7.3" --version 7.3.0-1-arm64
python3 "$tools/mkimage-arm64.py" "$w/Image-16k" --version 7.3.0-1-arm64-16k --flags 0xc
python3 "$tools/mkimage-arm64.py" "$w/Image-be" --flags 0xb
python3 "$tools/mkimage-arm64.py" "$w/Image-truncated" --truncate 40
python3 "$tools/mkimage-arm64.py" "$w/Image-badflags" --flags 0x1a
head -c 1048576 /dev/zero | tr '\0' 'i' > "$w/initrd"
KAPPEND="console=ttyAMA0 reset_devices nr_cpus=1 cma=0"

# plan CASE ROOT CHECKFLAGS KEXEC-ARGS...
plan() {
	local name=$1 root=$2 cflags=$3; shift 3
	local out=$w/$name.json err=$w/$name.err segs=$w/$name.segs
	plan_inputs "$@"
	if ! kx --root "$root" --dry-run --json --dump-segments "$segs" "$@" >"$out" 2>"$err"; then
		bad "$name" "kexec failed: $(head -1 "$err")"; return
	fi
	if ! python3 "$here/check-arm64.py" "$root" "$out" "$segs" $cflags --kernel "$PLAN_KERNEL" "${PLAN_INITRD[@]}" \
		>"$w/$name.check"; then
		bad "$name" "$(grep problem: "$w/$name.check" | head -3 | tr '\n' ' ')"; return
	fi
	mask "$out" >"$w/$name.masked"
	[ "${UPDATE_GOLDEN:-0}" = 1 ] && cp "$w/$name.masked" "$here/expected/arm64-$name.json"
	if ! diff -u "$here/expected/arm64-$name.json" "$w/$name.masked" >"$w/$name.diff" 2>&1; then
		bad "$name" "plan differs from expected/arm64-$name.json: $(head -12 "$w/$name.diff" | tail -6 | tr '\n' ' ')"; return
	fi
	if ! kx --root "$root" --dry-run "$@" >"$w/$name.txt" 2>&1 || ! grep -q "segments" "$w/$name.txt" ||
	   { [[ " $* " == *" -p "* ]] && ! grep -q "DMA limit" "$w/$name.txt"; }; then
		bad "$name" "text --dry-run failed or lacks the segments (or, for -p, the DMA limit)"; return
	fi
	ok "$name ($(grep -c '^ok:' "$w/$name.check") invariants)"
}


mkroot() { # NAME FIXTURE ARGS...: a variant beside mk-arm64-roots.sh's roots
	local n=$1 f=$2; shift 2
	python3 "$tools/mkroot.py" --arch arm64 "$here/fixtures/$f" "$w/root-$n" --force --quiet "$@" ||
		{ bad "$n" "mkroot failed"; return 1; }
}

mkdir -p "$here/expected"
"$here/mk-arm64-roots.sh" "$w/roots" >/dev/null || bad roots "mk-arm64-roots.sh failed"
R=$w/roots
RPI=arm64-raspberrypi4-8gb-no-crashkernel.txt
RPI_ZONES=(--zone DMA=0-0x3fffffff --zone DMA32=0x40000000-0xffffffff --zone Normal=0x100000000-0x1ffffffff)
mkroot rpi4-nozones "$RPI" --add-crash 0x60000000-0x6fffffff
mkroot rpi4-nofdt "$RPI" --add-crash 0x0ec00000-0x1ebfffff "${RPI_ZONES[@]}" --no-fdt

# --- the Ampere eMAG: ACPI, DMA zone from 0x90000000 to 4 GiB, one crash region just below it
plan emag-crash "$R/arm64-emag" "--dma-limit 0x100000000" -p "$w/Image" --initrd="$w/initrd" --append="$KAPPEND"
plan emag-crash-noinitrd "$R/arm64-emag" "" -p "$w/Image" --append="$KAPPEND"
plan emag-crash-gz "$R/arm64-emag" "" -p "$w/Image.gz" --initrd="$w/initrd" --append="$KAPPEND"
plan emag-crash-vmlinux "$R/arm64-emag" "" -p "$w/vmlinux" --initrd="$w/initrd" --append="$KAPPEND"
plan emag-crash-old-image "$R/arm64-emag" "" -p "$w/Image-old" --append="$KAPPEND"
plan emag-normal "$R/arm64-emag" --normal -l "$w/Image" --initrd="$w/initrd" --append="root=/dev/vda2"
# --- Raspberry Pi 4: ZONE_DMA is the first GiB (BCM2711 peripherals see only that)
plan rpi4-crash-low-packed "$R/arm64-rpi4-crash-low" "--dma-limit 0x40000000 --want-largest 0x0ec00000-0x1dc00000" \
	-p "$w/Image" --initrd="$w/initrd" --append="$KAPPEND"
plan rpi4-highlow "$R/arm64-rpi4-highlow" "--dma-limit 0x40000000 --want-largest 0x16c00000-0x1ec00000" \
	-p "$w/Image" --initrd="$w/initrd" --append="$KAPPEND"
plan rpi4-crash-low-notext "$R/arm64-rpi4-crash-low-notext" "--dma-limit 0x40000000" -p "$w/Image" --initrd="$w/initrd" --append="$KAPPEND"
plan emag-va52 "$R/arm64-emag-va52" "" -p "$w/Image" --initrd="$w/initrd" --append="$KAPPEND"
plan emag-va52-hw52 "$R/arm64-emag-va52-hw52" "" -p "$w/Image" --initrd="$w/initrd" --append="$KAPPEND"
expect_error rpi4-crash-above-dma-limit "$R/arm64-rpi4-crash-high" 255 "DMA limit 0x40000000|proc/zoneinfo zone DMA|crashkernel=256M,high crashkernel=128M,low" \
	-p "$w/Image" --initrd="$w/initrd" --append="$KAPPEND"
expect_note rpi4-crash-above-ignore "$R/arm64-rpi4-crash-high" "--ignore-dma-limit: the kdump kernel gets no memory below the DMA limit 0x40000000" \
	--ignore-dma-limit -p "$w/Image" --append="$KAPPEND"
expect_note rpi4-dma-limit-option "$R/arm64-rpi4-crash-high" "DMA limit 0x80000000 (--dma-limit)|below the DMA limit" \
	--dma-limit=0x80000000 -p "$w/Image" --append="$KAPPEND"
# without zoneinfo the DT's dma-ranges give the same 1 GiB
expect_error rpi4-dma-ranges "$w/root-rpi4-nozones" 255 "DMA limit 0x40000000|sys/firmware/fdt dma-ranges" \
	-p "$w/Image" --append="$KAPPEND"
expect_note rpi4-no-cma0-warning "$R/arm64-rpi4-crash-low" "no cma=" -p "$w/Image" --append="console=ttyAMA0 nr_cpus=1"
# bad input: named file and field, non-zero exit
expect_error image-truncated "$R/arm64-emag" 255 "Image-truncated" -p "$w/Image-truncated" --append=x
expect_error image-big-endian "$R/arm64-emag" 255 "Image-be|big-endian" -p "$w/Image-be" --append=x
expect_error image-reserved-flags "$R/arm64-emag" 255 "Image-badflags|flags" -p "$w/Image-badflags" --append=x
expect_error no-device-tree "$w/root-rpi4-nofdt" 255 "sys/firmware/fdt|--dtb" -c -p "$w/Image" --append=x
# -a: a kernel with kexec_file_load builds the DT itself, so the plan falls back to it (and says why)
expect_note no-device-tree-file-load "$w/root-rpi4-nofdt" "kexec_file_load|sys/firmware/fdt: missing" -p "$w/Image" --append=x
expect_error cmdline-too-long "$R/arm64-emag" 255 "2047" -p "$w/Image" --append="$(head -c 3000 /dev/zero | tr '\0' a)"

# --- roots captured in the arm64 QEMU guests (kexec --capture-root), if any
for root in "$here"/captured/arm64-*/; do
	[ -d "$root" ] || continue
	n=$(basename "$root")
	# a 16 KiB-page machine (the 7.3-16k flavour) gets a 16K Image (flags 0xc) as its kdump kernel
	img=$w/Image; grep -aq 'PAGESIZE=16384' "$root/proc/kcore" && img=$w/Image-16k
	plan "captured-$n" "$root" "" -p "$img" --initrd="$w/initrd" --append="$KAPPEND"
done

# --- crash CMA (issue 8): linux,usable-memory-range = main, the CMA ranges, low last; the ranges
# leave the core header; kdump kernels before 7.3 read only 2 entries (MAX_USABLE_RANGES)
RPI_HL=(--add-crash 0x1d0000000-0x1efffffff --add-crash 0x16c00000-0x1ebfffff)
EMAG=arm64-ampere-emag-server-crash-low.txt
EMAG_ZONES=(--zones "$here/fixtures/arm64-ampere-emag-server.zones.txt" --cpus 8)
mkroot rpi4-cma-new "$RPI" "${RPI_ZONES[@]}" "${RPI_HL[@]}" --crash-cma-ranges 100000000-10fffffff,40000000-4fffffff --cma-sysfs new
mkroot emag-cma-old "$EMAG" "${EMAG_ZONES[@]}" --crash-cma-ranges 880000000-88fffffff,900000000-90fffffff --cma-sysfs old
plan rpi4-cma-sysfs-new "$w/root-rpi4-cma-new" "--dma-limit 0x40000000 --want-cma 100000000-10fffffff,40000000-4fffffff" \
	-p "$w/Image-7.3" --initrd="$w/initrd" --append="$KAPPEND" --crash-cma
plan emag-cma-sysfs-old "$w/root-emag-cma-old" "--want-cma 880000000-88fffffff,900000000-90fffffff" \
	-p "$w/Image-7.3" --initrd="$w/initrd" --append="$KAPPEND" --crash-cma
plan rpi4-cma-explicit "$R/arm64-rpi4-highlow" "--dma-limit 0x40000000 --want-cma 40000000-4fffffff" \
	-p "$w/Image-7.3" --initrd="$w/initrd" --append="$KAPPEND" --crash-cma=256M@0x40000000
# a 6.1 kdump kernel (the default test Image): with a low region there is no room for CMA at all
plan rpi4-cma-6.1-dropped "$w/root-rpi4-cma-new" "--dma-limit 0x40000000" \
	-p "$w/Image" --initrd="$w/initrd" --append="$KAPPEND" --crash-cma
expect_note rpi4-cma-6.1-says-why "$w/root-rpi4-cma-new" "Linux 6.1.0-99-arm64) reads only 2 linux,usable-memory-range entries|left out crash CMA 0x100000000-0x10fffffff,0x40000000-0x4fffffff (512 MiB)" \
	-p "$w/Image" --append="$KAPPEND" --crash-cma
# without a low region one CMA range fits beside the main one
plan emag-cma-6.1-one "$w/root-emag-cma-old" "--want-cma 880000000-88fffffff" \
	-p "$w/Image" --initrd="$w/initrd" --append="$KAPPEND" --crash-cma
expect_note emag-cma-6.1-one-says-why "$w/root-emag-cma-old" "left out crash CMA 0x900000000-0x90fffffff (256 MiB)|kept the main region and the first crash CMA range" \
	-p "$w/Image" --append="$KAPPEND" --crash-cma
# roots captured in 7.3 guests that reserved crash CMA (e2e kdump-crash-cma): main region, then
# the kernel's ranges, for a 7.3 kdump kernel
for root in "$here"/captured/arm64-*/; do
	cf=$root/sys/kernel/kexec/crash_cma_ranges
	[ -s "$cf" ] || continue
	n=$(basename "$root")
	plan "captured-$n-crash-cma" "$root" "--want-cma $(paste -sd, "$cf")" \
		-c -p "$w/Image-7.3" --initrd="$w/initrd" --append="$KAPPEND" --crash-cma
done
expect_error arm64-cma-outside-ram "$R/arm64-rpi4-highlow" 255 "is not inside System RAM" -p "$w/Image-7.3" --append=x --crash-cma=0x3b400000-0x3bffffff

echo "golden-arm64: $pass passed, $fail failed"
[ "$fail" = 0 ]
