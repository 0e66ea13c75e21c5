#!/bin/bash
# tests/e2e/run-e2e.sh — the QEMU end-to-end suite: Debian's kernels under TCG, loaded by LOADER.
#
# usage: tests/e2e/run-e2e.sh LOADER_X86_64 [LOADER_ARM64]
#        (ours: a static build's kexec/kexec; any loader with kexec-tools' CLI works, e.g.
#        /usr/sbin/kexec; LOADER_ARM64 an arm64 binary, static or with its libs in the arm64 sysroot)
# env:   E2E_ARCH="x86_64 arm64"  the guest architectures (default: x86_64, plus arm64 when an
#                                arm64 loader is given); E2E_ARCH=arm64 needs no x86_64 loader
#                                (pass "" as the first argument)
#        E2E_LOADER_ARM64=path   the arm64 loader when the second argument is absent
#        E2E_HPRELOAD=full       HARNESS CHECK ONLY: the hot-add scenarios unload + load again
#                                instead of --reload-elfcorehdr (for Debian's kexec-tools, which
#                                has no such option); E2E_EXTRA=e2e_kallsyms_fix=1 is the other
#                                one for Debian's arm64 kexec-tools 2.0.25 (init.sh)
#        E2E_KERNELS="6.1 7.3 7.3-16k"  the guest kernels, each scenario runs on each (default:
#                                all three; 7.3-16k, the 16 KiB-page flavour, on arm64 only)
#        KERNEL=6.1|7.3|7.3-16k  just this one (overrides E2E_KERNELS)
#        E2E_ONLY=name1,name2    run a subset (names below; "7.3/name" selects one kernel's run;
#                                "arm64/name", "arm64/7.3/name" one arch's; a plain name runs on
#                                every selected arch that has it)
#        E2E_REQUIRE_CAPTURE=1   a missing --capture-root capture fails its scenario
#        E2E_NO_RETRY=1          never retry a boot (see below)
#        TIMING_N=3              loads per loader in the timing step
#        E2E_CACHE, E2E_WORK, ACCEL, TIMEOUT, IDLE   (see run-scenario.sh)
# Kernels: 6.1 is Debian 12's linux-image-6.1.0-NN-amd64, 7.3 Debian's trixie-backports kernel
# (setup.sh). The kdump / kexec'd kernel is always the first kernel itself (/boot/vmlinuz).
# Runs tests/e2e/setup.sh first unless the cache is complete (needs root then), builds the
# initramfs with LOADER for each kernel (build-initrd.sh), then one QEMU boot per scenario and
# kernel, serially:
#   kdump-load-5lvl  -c -p (kexec_load), -cpu max (5-level paging); vmcore + marker check;
#                    capture x86_64-qemu-tcg[-linux7.3]-1g-5level
#   kdump-load-4lvl  the same with -cpu max,la57=off (4-level); first times Debian's kexec-tools
#                    (/sbin/kexec-peer -c -p) and LOADER -c -p, N loads each (TIMING line);
#                    capture x86_64-qemu-tcg[-linux7.3]-1g-4level
#   kdump-load-nokaslr  -c -p with nokaslr: the partner of kdump-file's differential
#   kdump-file       -s -p (kexec_file_load), nokaslr; then the differential (DIFFWITH, below)
#                    against kdump-load-nokaslr
#   kdump-highlow    -c -p with crashkernel=256M,high crashkernel=128M,low and 5 GiB of RAM;
#                    capture x86_64-qemu-tcg[-linux7.3]-5g-highlow
#   kexec-reboot     LOADER -l the same kernel, LOADER -e; the new kernel must reach its /init
#   bad-input        no crashkernel=; truncated bzImage, non-kernel file, too long command line
#                    (all -l) and -p without a crash region must fail cleanly (see init.sh)
#   kdump-efi        -c -p with the first kernel booted through OVMF (UEFI); the kdump kernel
#                    must also find the ACPI tables and EFI (what kexec-tools gives it)
#   kexec-reboot-efi -l / -e (default syscall) under OVMF; the new kernel must find ACPI and EFI
#   initrd-gzip      -p (default syscall) with a kdump initramfs of two concatenated gzip
#                    members, the second holding /bin/vmcore-check: both must reach the kdump kernel
#   initrd-concat    -p with an uncompressed early cpio followed by a zstd-compressed main cpio
#                    (the dracut / initramfs-tools layout); both parts must reach the kdump kernel
#   kcore-hidden     an empty file is bind-mounted over /proc/kcore; LOADER -d -s -p must load
#                    (then -p -u), then LOADER -d -p (default -a) must load, and the kdump passes
#   lockdown         the first kernel boots with lockdown=confidentiality: LOADER -p must fail,
#                    load nothing, and name lockdown and the signature check (not /proc/kcore);
#                    Debian's kexec-tools is run the same way and its result printed (INFO)
#   Memory hot-add (run-scenario.sh HOTPLUG=1: -m 1G,slots=4,maxmem=4G, a 1 GiB pc-dimm added
#   over QMP after the crash load, a second marker inside it; the vmcore must cover it and hold
#   that marker at its paddr, and the kdump kernel's MemTotal must fit its crash region):
#   hotplug-kernel   7.3 only (CONFIG_CRASH_HOTPLUG): -c -p with the kernel hotplug flag, NO
#                    userspace reload: the kernel rewrites our header, our purgatory still boots
#   hotplug-kernel-off  7.3 only: the same with --no-hotplug: the vmcore must NOT cover the DIMM
#   hotplug-reload   -c -p (7.3: --no-hotplug), hot-add, kexec --reload-elfcorehdr (rc 0);
#                    captures x86_64-qemu-tcg-hotplug-{before,after}-KERNEL
#   hotplug-relink   -c -p --elfcorehdr-slots=<today's phnum> (7.3: --no-hotplug), hot-add,
#                    kexec --reload-elfcorehdr must report the relink fallback
#   Crash CMA (run-scenario.sh CMA=…, init.sh e2e_cma; KONLY=K: the other kernel SKIPs with why):
#   kdump-crash-cma  7.3 only: 2 GiB, crashkernel=256M crashkernel=512M,cma, -c --crash-cma -p; the
#                    kdump kernel checks the ranges are its RAM (iomem, MemTotal >= region + CMA -
#                    slack), no PT_LOAD overlaps them (vmcore-check -c), the marker (kept out of them);
#                    nokaslr (the crash region and CMA ranges move with the kernel's physical KASLR
#                    slot, the differential needs the same ones twice); capture
#                    x86_64-qemu-tcg-linux7.3-2g-crash-cma (arm64: arm64-qemu-tcg-linux7.3-2g-crash-cma)
#   kdump-crash-cma-file  7.3 only: the same boot loaded with -s -p --crash-cma (the kernel builds
#                    the kdump memory map and header itself); the same three checks, then the
#                    differential against kdump-crash-cma
#   Differential (DIFFWITH=PARTNER): after the scenario passed, kdump-diff.py compares what its
#   kdump kernel got (kexec_file_load: the kernel's own plan) with what PARTNER's got (ours, run
#   earlier in the same invocation; selecting the scenario selects PARTNER too): /proc/iomem
#   System RAM, the e820 map by type (/sys/firmware/memmap), the vmcore PT_LOADs, MemTotal and
#   the command line, apart from the differences kdump-diff.py lists ("DIFF-OK" lines)
#   kdump-crash-cma-split  7.3 only: more CMA than one range holds (x86 6 GiB + 4G,cma; arm64 4 GiB
#                    + 2560M,cma): the ranges the kernel made are printed, the same checks
#   kdump-crash-cma-explicit  6.1 only: --crash-cma=START-END, 256 MiB of free System RAM the guest
#                    picks (userspace half only: the 6.1 first kernel keeps using it); same checks

# ids arm64/KERNEL/NAME; logs in work/logs/arm64/KERNEL/):
#   kdump-load       -p (default syscall: kexec_load, the kernels have no KEXEC_FILE), 1 GiB;
#                    capture arm64-qemu-tcg[-linux7.3]-1g
#   kdump-highlow    -c -p, crashkernel=256M,high crashkernel=128M,low, 5 GiB; capture
#                    arm64-qemu-tcg[-linux7.3]-5g-highlow
#   kdump-efi        -c -p, first kernel booted through QEMU_EFI.fd; the kdump kernel must find
#                    ACPI and EFI
#   kdump-file-enosys  -s -p must fail (rc != 0), load nothing, and name kexec_file_load or
#                    ENOSYS on stderr (SKIP on a kernel with CONFIG_KEXEC_FILE=y)
#   kexec-reboot     -l / -e, the new kernel reaches its /init
#   kdump-el2, kexec-reboot-el2  the same with -M virt,virtualization=on (run-scenario.sh EL2=1):
#                    the kernels run at EL2 (VHE), so our purgatory is entered and leaves at EL2;
#                    both kernels must log "All CPU(s) started at EL2"
#   hotplug-reload-virtio-mem  virtio-mem (HOTPLUG=1 HPDEV=virtio-mem: virtio modules insmod'ed),
#                    -c -p, 512 MiB plugged over QMP (qom-set requested-size), kexec
#                    --reload-elfcorehdr (-d, fast path), crash: the vmcore covers the
#                    "System RAM (virtio_mem)" range and holds the second marker at its paddr;
#                    captures arm64-qemu-tcg-virtio-mem-{before,after}-KERNEL
#   hotplug-relink-virtio-mem  the same with -c -p --elfcorehdr-slots=<today's phnum> and 1.5 GiB of
#                    RAM (so the plugged memory, in the device region at the next 1 GiB boundary,
#                    is a new range and not an extension of the last one, which needs no new
#                    slot): the reload must take the relink fallback (a new header segment,
#                    linux,elfcorehdr rewritten in the DT, a new digest) and the vmcore still
#                    covers the memory
#   kdump-crash-cma, kdump-crash-cma-split, kdump-crash-cma-explicit  as on x86_64
#   kdump-crash-cma-explicit-highlow  6.1 only, 5 GiB, crashkernel=256M,high + 128M,low: the 6.1
#                    kdump kernel reads 2 usable-memory-range entries (main, low), so the loader
#                    must leave the range out and warn; it is then not kdump RAM and is in the dump

#   command line is the x86 one with console=ttyAMA0 and cma=0.
# Prints per scenario and kernel "PASS: e2e: KERNEL/NAME", "FAIL: e2e: KERNEL/NAME: reason" or
# "SKIP: e2e: KERNEL/NAME: why" (what tests/run-all.sh counts), its wall time, "INFO: e2e: …",
# "CAPTURE: e2e: …" and "TIMING: e2e: …" lines.
# Retry rule: a boot that fails BEFORE the guest ran any loader (no "E2E: LOADER-RUNS" line,
# e.g. the TCG "Oops: int3 in sched_clock_cpu" seen on 7.3 in ~2 of 24 boots) is retried once,
# with "RETRY: e2e: KERNEL/NAME: emulator fault before the loader ran: <first oops line>". A
# failure after the loader ran is never retried. Logs: tests/e2e/work/logs/KERNEL/NAME.{log,out}
# (a retried boot's first try: NAME.try1.{log,out}); captures: tests/e2e/work/captures/.
# Exit 1 if any failed.
set -uo pipefail
E2E=$(cd "$(dirname "$0")" && pwd)
export E2E_CACHE=${E2E_CACHE:-$E2E/cache}
export E2E_WORK=${E2E_WORK:-$E2E/work}
LOADER_X86=${1:-}
LOADER_ARM64=${2:-${E2E_LOADER_ARM64:-}}
if [ -n "${E2E_ARCH:-}" ]; then ARCHES=$E2E_ARCH
elif [ -n "$LOADER_ARM64" ]; then ARCHES="x86_64 arm64"
else ARCHES=x86_64; fi
TIMING_N=${TIMING_N:-3}
KERNELS=${KERNEL:-${E2E_KERNELS:-6.1 7.3 7.3-16k}}
# the kernels of one arch: 7.3-16k is an arm64 flavour
arch_kernels() { local k; for k in $KERNELS; do [ "$k" = 7.3-16k ] && [ "$1" != arm64 ] && continue; echo "$k"; done; }

# name | env for run-scenario.sh (REQ=CONFIG_X: skipped when the kernel's config lacks X=y;
# @K:KEY=VALUE: only on kernel K; '_' in CRASHKERNEL and KFLAGS stands for a space; @K in a
# CAPTURE name is the kernel, otherwise 7.3 captures are named …-tcg-linux7.3-…)
SCENARIOS=(
	"kdump-load-5lvl|MODE=kdump KFLAGS=-c CPU=max CAPTURE=x86_64-qemu-tcg-1g-5level"
	"kdump-load-4lvl|MODE=kdump KFLAGS=-c CPU=max,la57=off TIMING=$TIMING_N CAPTURE=x86_64-qemu-tcg-1g-4level"
	"kdump-load-nokaslr|MODE=kdump KFLAGS=-c CPU=max EXTRA=nokaslr"
	"kdump-file|MODE=kdump KFLAGS=-s CPU=max EXTRA=nokaslr DIFFWITH=kdump-load-nokaslr"
	"kdump-highlow|MODE=kdump KFLAGS=-c CPU=max MEM=5G CRASHKERNEL=256M,high_crashkernel=128M,low CAPTURE=x86_64-qemu-tcg-5g-highlow"
	"kexec-reboot|MODE=normal CPU=max"
	"bad-input|MODE=badinput CPU=max CRASHKERNEL="
	"kdump-efi|MODE=kdump KFLAGS=-c CPU=max FW=efi NEED2=acpi,efi KEXTRA=earlyprintk=ttyS0 REQ=CONFIG_EFI_STUB"
	"kexec-reboot-efi|MODE=normal CPU=max FW=efi NEED2=acpi,efi KEXTRA=earlyprintk=ttyS0 REQ=CONFIG_EFI_STUB"
	"initrd-gzip|MODE=kdump CPU=max KINITRD=gzip2 REQ=CONFIG_RD_GZIP"
	"initrd-concat|MODE=kdump CPU=max KINITRD=concat REQ=CONFIG_RD_ZSTD"
	"kcore-hidden|MODE=kdump CPU=max HIDEKCORE=1 PRELOAD=-s LDEBUG=1 REQ=CONFIG_KEXEC_FILE"
	"lockdown|MODE=lockdown CPU=max EXTRA=lockdown=confidentiality REQ=CONFIG_SECURITY_LOCKDOWN_LSM"
	"hotplug-kernel|MODE=kdump HOTPLUG=1 KFLAGS=-c CPU=max RELOAD=none HPKERNEL=on LDEBUG=1 REQ=CONFIG_CRASH_HOTPLUG"
	"hotplug-kernel-off|MODE=kdump HOTPLUG=1 KFLAGS=-c_--no-hotplug CPU=max RELOAD=none HPEXPECT=absent LDEBUG=1 REQ=CONFIG_CRASH_HOTPLUG"
	"hotplug-reload|MODE=kdump HOTPLUG=1 KFLAGS=-c @7.3:KFLAGS=-c_--no-hotplug CPU=max RELOAD=reload LDEBUG=1 CAPTURE=x86_64-qemu-tcg-hotplug-before-@K CAPTURE2=x86_64-qemu-tcg-hotplug-after-@K REQ=CONFIG_MEMORY_HOTPLUG"
	"hotplug-relink|MODE=kdump HOTPLUG=1 KFLAGS=-c @7.3:KFLAGS=-c_--no-hotplug CPU=max RELOAD=relink SLOTS=used LDEBUG=1 REQ=CONFIG_MEMORY_HOTPLUG"
	"kdump-crash-cma|MODE=kdump KFLAGS=-c CPU=max MEM=2G CRASHKERNEL=256M_crashkernel=512M,cma CMA=sysfs EXTRA=nokaslr KONLY=7.3 REQ=CONFIG_CMA CAPTURE=x86_64-qemu-tcg-2g-crash-cma"
	"kdump-crash-cma-file|MODE=kdump KFLAGS=-s CPU=max MEM=2G CRASHKERNEL=256M_crashkernel=512M,cma CMA=sysfs EXTRA=nokaslr DIFFWITH=kdump-crash-cma KONLY=7.3 REQ=CONFIG_CMA"
	"kdump-crash-cma-split|MODE=kdump KFLAGS=-c CPU=max MEM=6G CRASHKERNEL=256M_crashkernel=4G,cma CMA=sysfs KONLY=7.3 REQ=CONFIG_CMA"
	"kdump-crash-cma-explicit|MODE=kdump KFLAGS=-c CPU=max MEM=2G CMA=explicit CMASIZE=256 KONLY=6.1"
)

# arm64 (qemu-system-aarch64 -M virt, -cpu max,pauth-impdef=on, console ttyAMA0; Debian's arm64
# kernels have no KEXEC_FILE and no CONFIG_CRASH_HOTPLUG, so only kexec_load works; the kdump
# command line also gets cma=0, see build-initrd.sh). REQNOT=CONFIG_X: skipped when the kernel
# HAS X=y. FW=efi is QEMU_EFI.fd (-bios), anything else a direct DT boot.
SCENARIOS_ARM64=(
	"kdump-load|MODE=kdump CAPTURE=arm64-qemu-tcg-1g"
	"kdump-highlow|MODE=kdump KFLAGS=-c MEM=5G CRASHKERNEL=256M,high_crashkernel=128M,low CAPTURE=arm64-qemu-tcg-5g-highlow"
	"kdump-efi|MODE=kdump KFLAGS=-c FW=efi NEED2=acpi,efi REQ=CONFIG_EFI_STUB"
	"kdump-file-enosys|MODE=nofile KFLAGS=-s REQNOT=CONFIG_KEXEC_FILE"
	"kexec-reboot|MODE=normal"
	"kdump-el2|MODE=kdump KFLAGS=-c EL2=1"
	"kexec-reboot-el2|MODE=normal EL2=1"
	"hotplug-reload-virtio-mem|MODE=kdump HOTPLUG=1 HPDEV=virtio-mem KFLAGS=-c RELOAD=reload LDEBUG=1 CAPTURE=arm64-qemu-tcg-virtio-mem-before-@K CAPTURE2=arm64-qemu-tcg-virtio-mem-after-@K REQ=CONFIG_VIRTIO_MEM"
	"hotplug-relink-virtio-mem|MODE=kdump HOTPLUG=1 HPDEV=virtio-mem MEM=1536M KFLAGS=-c RELOAD=relink SLOTS=used LDEBUG=1 REQ=CONFIG_VIRTIO_MEM"
	"kdump-crash-cma|MODE=kdump KFLAGS=-c MEM=2G CRASHKERNEL=256M_crashkernel=512M,cma CMA=sysfs KONLY=7.3 REQ=CONFIG_CMA CAPTURE=arm64-qemu-tcg-2g-crash-cma"
	"kdump-crash-cma-split|MODE=kdump KFLAGS=-c MEM=4G CRASHKERNEL=256M_crashkernel=2560M,cma CMA=sysfs KONLY=7.3 REQ=CONFIG_CMA"
	"kdump-crash-cma-explicit|MODE=kdump KFLAGS=-c MEM=2G CMA=explicit CMASIZE=256 KONLY=6.1"
	"kdump-crash-cma-explicit-highlow|MODE=kdump KFLAGS=-c MEM=5G CRASHKERNEL=256M,high_crashkernel=128M,low CMA=explicit CMASIZE=256 CMAEXP=dumped KONLY=6.1"
)
scen_names() { # ARCH
	local s; if [ "$1" = arm64 ]; then for s in "${SCENARIOS_ARM64[@]}"; do echo "${s%%|*}"; done
	else for s in "${SCENARIOS[@]}"; do echo "${s%%|*}"; done; fi
}
# run-all.sh counts the PASS:/FAIL: lines; x86_64's ids stay KERNEL/NAME, arm64's are arm64/KERNEL/NAME
idpre() { [ "$1" = x86_64 ] || echo "$1/"; }
for a in $ARCHES; do case $a in x86_64|arm64) ;; *) echo "FAIL: e2e: unknown arch '$a' in E2E_ARCH (x86_64|arm64)"; exit 1 ;; esac; done
for k in $KERNELS; do case $k in 6.1|7.3|7.3-16k) ;; *) echo "FAIL: e2e: unknown kernel '$k' (6.1|7.3|7.3-16k)"; exit 1 ;; esac; done
# SEL: "arch/kernel/name" lines. E2E_ONLY words: NAME, K/NAME, arm64/NAME, arm64/K/NAME (a plain
# NAME or K/NAME selects it on every arch that has it)
SEL=""
if [ -n "${E2E_ONLY:-}" ]; then
	for n in $(echo "$E2E_ONLY" | tr ', ' '\n\n' | sed '/^$/d'); do
		as=$ARCHES
		case $n in x86_64/*|arm64/*) as=${n%%/*}; n=${n#*/} ;; esac
		case $n in */*) ks=${n%%/*}; b=${n#*/} ;; *) ks=""; b=$n ;; esac
		found=0
		for a in $as; do
			case " $ARCHES " in *" $a "*) ;; *) continue ;; esac
			scen_names "$a" | grep -qx "$b" || continue
			found=1
			for k in ${ks:-$(arch_kernels "$a")}; do SEL="$SEL$a/$k/$b"$'\n'; done
		done
		[ $found = 1 ] || { echo "FAIL: e2e: E2E_ONLY: unknown scenario '$n' for arch(es) $ARCHES (x86_64: $(echo $(scen_names x86_64)); arm64: $(echo $(scen_names arm64)))"; exit 1; }
	done
else
	for a in $ARCHES; do for k in $(arch_kernels "$a"); do for n in $(scen_names "$a"); do SEL="$SEL$a/$k/$n"$'\n'; done; done; done
fi
# a differential scenario (DIFFWITH=PARTNER) needs PARTNER's run on the same arch and kernel
scen_env() { # ARCH NAME -> its env words
	local s; if [ "$1" = arm64 ]; then for s in "${SCENARIOS_ARM64[@]}"; do [ "${s%%|*}" = "$2" ] && echo "${s#*|}"; done
	else for s in "${SCENARIOS[@]}"; do [ "${s%%|*}" = "$2" ] && echo "${s#*|}"; done; fi
}
for l in $SEL; do
	pn=$(scen_env "${l%%/*}" "${l##*/}" | tr ' ' '\n' | sed -n 's/^DIFFWITH=//p')
	[ -n "$pn" ] || continue
	pl=${l%/*}/$pn
	echo "$SEL" | grep -qx "$pl" || SEL="$SEL"$'\n'"$pl"
done
SEL=$(echo "$SEL" | sed '/^$/d')
# printable ids of the selection (of one arch: $2), with a prefix
all_lines() { # WORD REASON [ARCH]
	echo "$SEL" | grep "^${3:-}" | sed 's|^x86_64/||; s|^|'"$1"': e2e: |; s|$|: '"$2"'|'
}
fails=0; retries=0; PASSED=""
T0=$(date +%s)
mkdir -p "$E2E_WORK"

cache_ok() { # ARCH KERNELS
	local A=$1 k; shift
	[ -e "$E2E_CACHE/$A/.setup-done" ] && [ -x "$E2E_CACHE/$A/sysroot/sbin/kexec" ] || return 1
	for k in "$@"; do [ -e "$E2E_CACHE/$k/$A/.kernel-done" ] && [ -s "$E2E_CACHE/$k/$A/vmlinuz" ] || return 1; done
	command -v zstd >/dev/null || return 1
	case $A in
	x86_64) command -v qemu-system-x86_64 >/dev/null && [ -s /usr/share/OVMF/OVMF_CODE_4M.fd ] ;;
	arm64)  command -v qemu-system-aarch64 >/dev/null && [ -s /usr/share/qemu-efi-aarch64/QEMU_EFI.fd ] &&
		command -v aarch64-linux-gnu-gcc >/dev/null ;;
	esac
}

run_arch() { # ARCH LOADER
local ARCH=$1 LOADER=$2 ASEL KSEL K
ASEL=$(echo "$SEL" | grep "^$ARCH/" | sed "s|^$ARCH/||")   # "kernel/name" lines
[ -n "$ASEL" ] || return 0
KSEL=$(for k in $KERNELS; do echo "$ASEL" | grep -q "^$k/" && echo "$k"; done | tr '\n' ' ')
local P; P=$(idpre "$ARCH")
local LOGROOT=$E2E_WORK/logs; [ "$ARCH" = x86_64 ] || LOGROOT=$E2E_WORK/logs/$ARCH
local nsel; nsel=$(echo "$ASEL" | wc -l)
if [ -z "$LOADER" ]; then
	echo "usage: run-e2e.sh LOADER_X86_64 [LOADER_ARM64]   (or E2E_LOADER_ARM64=path)" >&2
	all_lines FAIL "no $ARCH LOADER given" "$ARCH/"; fails=$((fails + nsel)); return
fi
[ -f "$LOADER" ] || { all_lines FAIL "$ARCH loader $LOADER not found" "$ARCH/"; fails=$((fails + nsel)); return; }
LOADER=$(readlink -f "$LOADER")
if ! cache_ok "$ARCH" $KSEL; then
	if [ "$(id -u)" != 0 ]; then
		all_lines SKIP "needs root once to run tests/e2e/setup.sh $ARCH (apt-get)" "$ARCH/"; return
	fi
	echo "e2e: running E2E_KERNELS='$KSEL' tests/e2e/setup.sh $ARCH"
	E2E_KERNELS="$KSEL" "$E2E/setup.sh" "$ARCH" 2>&1 | sed 's/^/  /'
	local q=qemu-system-x86_64; [ "$ARCH" = arm64 ] && q=qemu-system-aarch64
	if ! command -v $q >/dev/null; then
		all_lines SKIP "$q could not be installed" "$ARCH/"; return
	fi
	cache_ok "$ARCH" $KSEL || { all_lines FAIL "tests/e2e/setup.sh $ARCH did not produce the kernel/sysroot cache" "$ARCH/"; fails=$((fails + nsel)); return; }
fi
echo "e2e: $ARCH loader $LOADER ($(file -b "$LOADER" | cut -d, -f1-2 | cut -c1-60))"
local name envs id out args req reqnot w kk why l try t0 rc wall res pf cap bad note fwre reason KT0 KDIR CONFIG s blog
for K in $KSEL; do
	KT0=$(date +%s)
	KDIR=$E2E_CACHE/$K/$ARCH
	CONFIG=$KDIR/config
	echo "e2e: ${P}kernel $K: $(cat "$KDIR/kernel-package") ($(cat "$KDIR/kernel-release" 2>/dev/null))"
	mkdir -p "$LOGROOT/$K"
	blog=$E2E_WORK/build-initrd-$K.log; [ "$ARCH" = x86_64 ] || blog=$E2E_WORK/build-initrd-$ARCH-$K.log
	if ! KERNEL=$K "$E2E/build-initrd.sh" "$ARCH" "$LOADER" > "$blog" 2>&1; then
		sed 's/^/  /' "$blog" | tail -n 20
		echo "$ASEL" | grep "^$K/" | sed "s|^|FAIL: e2e: $P|; s|\$|: build-initrd.sh $ARCH failed|"
		fails=$((fails + $(echo "$ASEL" | grep -c "^$K/"))); continue
	fi
	sed 's/^/e2e: /' "$blog" | sed "s|$E2E/||g"
	local -a list
	if [ "$ARCH" = arm64 ]; then list=("${SCENARIOS_ARM64[@]}"); else list=("${SCENARIOS[@]}"); fi
	for s in "${list[@]}"; do
		name=${s%%|*}; envs=${s#*|}
		echo "$ASEL" | grep -qx "$K/$name" || continue
		id=$P$K/$name
		out=$LOGROOT/$K/$name.out
		# env words: KEY=VALUE, '_' inside CRASHKERNEL and KFLAGS stands for a space
		args=(KERNEL=$K ARCH=$ARCH); req=""; reqnot=""; konly=""; diffwith=""
		for w in $envs; do
			case $w in @*:*)   # a word for one kernel only
				kk=${w%%:*}; [ "${kk#@}" = "$K" ] || continue; w=${w#*:} ;;
			esac
			case $w in
			CRASHKERNEL=*|KFLAGS=*) w=${w//_/ } ;;
			REQ=*) req=${w#REQ=}; continue ;;
			REQNOT=*) reqnot=${w#REQNOT=}; continue ;;
			KONLY=*) konly=${w#KONLY=}; continue ;;
			DIFFWITH=*) diffwith=${w#DIFFWITH=}; continue ;;
			CAPTURE=*@K*|CAPTURE2=*@K*) w=${w//@K/$K} ;;
			CAPTURE=*) [ "$K" = 6.1 ] || w=${w/-tcg-/-tcg-linux$K-} ;;
			esac
			args+=("$w")
		done
		# harness checks with a loader that lacks --reload-elfcorehdr (E2E_HPRELOAD=full: unload + load)
		[ -n "${E2E_HPRELOAD:-}" ] && case " $envs " in *" RELOAD="*) args+=("RELOAD=$E2E_HPRELOAD") ;; esac
		# KONLY=7.3 also admits the 7.3-16k flavour
		if [ -n "$konly" ] && [ "$konly" != "$K" ] && [ "$konly" != "${K%-16k}" ]; then
			why=""
			case $name/$konly in
			kdump-crash-cma-explicit*/6.1) why=": explicit --crash-cma= ranges are for kernels that reserve no crash CMA; $K has its own (kdump-crash-cma)" ;;
			kdump-crash-cma*/7.3) why=": the $K kernel has no crash CMA (crashkernel=...,cma and /sys/kernel/kexec/crash_cma_ranges came with Linux 6.17; arm64 with 7.3)" ;;
			esac
			echo "SKIP: e2e: $id: only on kernel $konly$why"; continue
		fi
		if [ -n "$req" ] && ! grep -qxE "$req=(y|m)" "$CONFIG"; then
			why=""
			case $req in CONFIG_CRASH_HOTPLUG)
				why=" (the kernel cannot rewrite a kexec_load crash header itself, 6.6+; hotplug-reload and hotplug-relink test the userspace path on it)" ;;
			esac
			echo "SKIP: e2e: $id: the $K kernel's config has no $req=y$why"; continue
		fi
		if [ -n "$reqnot" ] && grep -qx "$reqnot=y" "$CONFIG"; then
			echo "SKIP: e2e: $id: the $K kernel has $reqnot=y (the scenario tests a kernel without it)"; continue
		fi
		if [ "$name" = lockdown ] && ! grep -q '^CONFIG_LSM=".*lockdown' "$CONFIG"; then
			# the lockdown LSM is built in but not in the default LSM list: name it explicitly
			l=$(sed -n 's/^CONFIG_LSM="\(.*\)"/\1/p' "$CONFIG")
			args+=("EXTRA=lockdown=confidentiality lsm=lockdown${l:+,$l}")
			echo "INFO: e2e: $id: CONFIG_LSM lacks lockdown, booting with lsm=lockdown${l:+,$l}"
		fi
		try=1
		while :; do
			t0=$(date +%s.%N)
			env "${args[@]}" "$E2E/run-scenario.sh" "$name" > "$out" 2>&1
			rc=$?
			wall=$(printf '%.1f' "$(echo "$(date +%s.%N) - $t0" | bc)")
			res=$(grep -a '^RESULT: ' "$out" | tail -1)
			pf=$(grep -a -m1 '^PRELOADER-FAULT: ' "$out" | sed 's/^PRELOADER-FAULT: //')
			if [ $rc != 0 ] && [ -n "$pf" ] && [ $try = 1 ] && [ "${E2E_NO_RETRY:-0}" != 1 ]; then
				echo "RETRY: e2e: $id: emulator fault before the loader ran: $pf (wall ${wall}s; first try kept as logs/$id.try1.log)"
				mv "$out" "${out%.out}.try1.out"; cp "${out%.out}.log" "${out%.out}.try1.log"
				retries=$((retries + 1)); try=2; continue
			fi
			break
		done
		cap=$(grep -a '^CAPTURE: ' "$out" | sed 's/^CAPTURE: //')
		if [ $rc = 0 ] && [ "$res" = "RESULT: PASS" ] && [ -n "$diffwith" ]; then
			# the differential: PARTNER (ours) must have passed earlier in this run
			if ! echo "$PASSED" | grep -qx "$P$K/$diffwith"; then
				rc=1; res="RESULT: FAIL: differential: its partner $P$K/$diffwith did not pass in this run"
			elif ! "$E2E/kdump-diff.py" "$LOGROOT/$K/$diffwith.log" "${out%.out}.log" > "${out%.out}.diff" 2>&1; then
				rc=1; res="RESULT: FAIL: differential against $diffwith: $(grep -a -m1 'KDUMP-DIFF-BAD\|kdump-diff' "${out%.out}.diff" | cut -c1-200)"
			fi
			sed "s|^|DIFF: e2e: $id: |" "${out%.out}.diff" 2>/dev/null | cut -c1-300
		fi
		if [ $rc = 0 ] && [ "$res" = "RESULT: PASS" ]; then
			bad=$(echo "$cap" | grep -v '^ok ' | head -n1)
			if [ -n "$cap" ] && [ "${E2E_REQUIRE_CAPTURE:-0}" = 1 ] && [ -n "$bad" ]; then
				rc=1; res="RESULT: FAIL: capture $bad"
			fi
		fi
		note=""; [ $try = 2 ] && note=" (second try)"
		echo "e2e: $id: wall ${wall}s$note"
		[ -n "$cap" ] && echo "$cap" | sed "s|^|CAPTURE: e2e: $id: |; s|$E2E/||"
		grep -a '^TIMING: ' "$out" | sed "s|^TIMING: e2e: $name:|TIMING: e2e: $id:|"
		# facts worth seeing in the summary whatever the outcome
		fwre='fw: \|'; case " $envs " in *" FW=efi "*) ;; *) fwre="" ;; esac   # firmware facts: EFI runs only
		{ grep -a "^E2E: \($fwre""LOCKDOWN \|lockdown: \|lockdown-dmesg\|NOFILE \|insmod \|kallsyms-fix\|iomem-fix\|PRE-LOAD\|initrd-parts\|FW-\|/proc/kcore hidden\)" "$out"
		  grep -a '^E2E: loader-d ' "$out" | grep -i 'syscall\|kexec_file_load\|kexec_load\|kcore' | head -n 6
		  # memory hot-add facts: what the kernel said, the loader's hotplug decisions, the reload
		  grep -a '^E2E: \(hotplug-facts\|HOTPLUG-RAM-ADDED\|HOTPLUG-ONLINE\|HP-MARKER\|HPKERNEL-NOT-ARMED\|slots: \|RELOAD \|RELINK-REPORTED\)' "$out"
		  grep -a '^E2E: reload-dry-run: ' "$out" | head -n 6; grep -a '^E2E: reload-dry-run rc=' "$out"
		  grep -a '^E2E: \(loader-d load\|reload-out\): ' "$out" | grep -i 'hotplug\|memhotplug\|slot\|capacity\|relink\|elfcorehdr\|reload\|flag' | head -n 12
		  grep -a '^E2E: show-state [a-z-]*: \(header\|live\|kdump-elf\)' "$out"
		  grep -a '^HP-MEMTOTAL: ' "$out" | sed 's/^/E2E: /'
		  # crash CMA: the ranges, what the kernel and the loader said, the kdump kernel's memory
		  grep -a '^E2E: \(CMA-\|cma-dmesg\|cma-loader\|kdump-MemTotal\|marker-pin\|marker page\)' "$out" 
		} | awk '!seen[$0]++' | sed "s|^E2E: |INFO: e2e: $id: |" | cut -c1-300
		if [ $rc = 0 ] && [ "$res" = "RESULT: PASS" ]; then
			grep -a '^E2E: BADINPUT \|^MARKER-\|^CMA-\|^LAYOUT-\|^SUMMARY\|^HP-\|^EL2: \|^E2E: KEXEC-REBOOT-OK\|^E2E: LOCKDOWN-OK\|^E2E: NOFILE ' "$out" | sed 's/^/  /' | cut -c1-200
			echo "PASS: e2e: $id"
			PASSED="$PASSED$id"$'\n'
		else
			sed 's/^/  | /' "$out" | grep -av '^  | E2E: iomem' | cut -c1-300
			reason=${res#RESULT: FAIL: }
			[ -n "$res" ] || reason="run-scenario.sh exited $rc without a result"
			[ -n "$pf" ] && reason="$reason; before any loader ran: $pf"
			echo "FAIL: e2e: $id: $reason"
			fails=$((fails+1))
		fi
	done
	echo "e2e: ${P}kernel $K: wall $(( $(date +%s) - KT0 ))s"
done
}

for A in $ARCHES; do
	if [ "$A" = arm64 ]; then run_arch arm64 "$LOADER_ARM64"; else run_arch x86_64 "$LOADER_X86"; fi
done
echo "e2e: total wall $(( $(date +%s) - T0 ))s, $fails failed, $retries retried"
[ $fails = 0 ]
