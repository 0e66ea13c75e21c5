#!/bin/bash
# Synthesize the arm64 machine roots from the arm64 /proc/iomem fixtures (tests/tools/mkroot.py
# --arch arm64; every derived value is described in tests/tools/mkroot_arm64.py). The golden
# tests build them at test time; run this by hand to look at them.
# usage: mk-arm64-roots.sh OUTDIR     -> OUTDIR/<name>/ for each root below, and OUTDIR/NAMES
#
#   arm64-emag              Ampere eMAG (ACPI/UEFI), the fixture's 272M Crash kernel just below
#                           4 GiB, zones from its boot log, UEFI stub FDT, 8 cpus
#   arm64-emag-va52         the same under a VA_BITS=52 build ("Debian 7.3" layout) on 48-bit
#                           hardware: PHYS_OFFSET negative, TCR_EL1_T1SZ 0x10
#   arm64-emag-va52-hw52    the same on 52-bit (LPA2) hardware: linear map at 0xfff0..., T1SZ 0xc
#                           (hypothetical: eMAG itself is ARMv8.0)
#   arm64-rpi4-crash-low    Raspberry Pi 4 8 GB (DT boot), 256M Crash kernel below the 1 GiB DMA
#                           limit (0x0ec00000-0x1ebfffff, under the CMA pool), bcm2711 FDT
#   arm64-rpi4-crash-low-notext  the same without _text in proc/kallsyms (Debian 6.1, no
#                           CONFIG_KALLSYMS_ALL)
#   arm64-rpi4-crash-high   256M at 0x60000000-0x6fffffff: above the DMA limit, no low region
#   arm64-rpi4-highlow      512M above 4 GiB (0x1d0000000-0x1efffffff) + 128M low region
#                           (0x16c00000-0x1ebfffff)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: mk-arm64-roots.sh OUTDIR}
mk="python3 $here/../tools/mkroot.py --arch arm64"
fx=$here/fixtures
emag=$fx/arm64-ampere-emag-server-crash-low.txt
rpi=$fx/arm64-raspberrypi4-8gb-no-crashkernel.txt
rpizones=(--zone DMA=0-0x3fffffff --zone DMA32=0x40000000-0xffffffff --zone Normal=0x100000000-0x1ffffffff)
mkdir -p "$out"
: >"$out/NAMES"
root() { # NAME ARGS...
	local n=$1; shift
	$mk "$@" "$out/$n" --force --quiet
	echo "$n" >>"$out/NAMES"
}
root arm64-emag "$emag" --zones "$fx/arm64-ampere-emag-server.zones.txt" --cpus 8
root arm64-emag-va52 "$emag" --zones "$fx/arm64-ampere-emag-server.zones.txt" --cpus 8 --va-bits 52
root arm64-emag-va52-hw52 "$emag" --zones "$fx/arm64-ampere-emag-server.zones.txt" --cpus 8 --va-bits 52 --hw-va-bits 52
root arm64-rpi4-crash-low "$rpi" "${rpizones[@]}" --add-crash 0x0ec00000-0x1ebfffff
root arm64-rpi4-crash-low-notext "$rpi" "${rpizones[@]}" --add-crash 0x0ec00000-0x1ebfffff --no-text-sym
root arm64-rpi4-crash-high "$rpi" "${rpizones[@]}" --add-crash 0x60000000-0x6fffffff
root arm64-rpi4-highlow "$rpi" "${rpizones[@]}" --add-crash 0x1d0000000-0x1efffffff --add-crash 0x16c00000-0x1ebfffff
