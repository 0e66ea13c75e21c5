#!/bin/bash
# tests/e2e/run-scenario.sh — ONE QEMU (TCG) boot of Debian's kernel with the e2e initramfs.
#
# usage: run-scenario.sh NAME          (the initramfs must exist: KERNEL=… build-initrd.sh ARCH LOADER)
# env (all optional):
#   KERNEL=6.1|7.3     the guest kernel (cache/<kernel>/<arch>/vmlinuz, work/<kernel>/<arch>/initrd.img)
#   ARCH=x86_64|arm64  MODE=kdump|normal|badinput|lockdown|nofile|bench (see init.sh)   KFLAGS="-c"|"-s"|…
#                      arm64: qemu-system-aarch64 -M virt -accel tcg,thread=multi, CPU default
#                      max,pauth-impdef=on, console ttyAMA0; logs in work/logs/arm64/<kernel>/
#   EL2=1              arm64: -M virt,virtualization=on: the kernels run at EL2 (VHE); the run
#                      fails unless the log says "All CPU(s) started at EL2" twice (the first
#                      kernel and the one our purgatory started)
#   FW=bios|efi        bios: QEMU's SeaBIOS; efi: OVMF (Debian's ovmf package: pflash
#                      OVMF_CODE_4M.fd + a per-run copy of OVMF_VARS_4M.fd), still -kernel/-initrd.
#                      arm64: bios (or dt) = direct kernel boot with QEMU's DT; efi = -bios
#                      QEMU_EFI.fd (qemu-efi-aarch64: EFI stub, ACPI tables)
#   KINITRD=gzip2|concat  the kdump kernel's initramfs variant (build-initrd.sh)
#   NEED2=acpi,efi     the kdump / kexec'd kernel must have found ACPI / EFI
#   KEXTRA="…"         more words for the kdump / kexec'd kernel's command line (no commas)
#   HIDEKCORE=1        kdump: an empty file is bind-mounted over /proc/kcore before the loads
#   PRELOAD="-s"       kdump: load with these flags, check, unload, then the real load
#   LDEBUG=1           kdump: the pre-load and the real load run with -d (output in the log)
#   CPU=max            (TCG: max = 5-level paging; max,la57=off = 4-level)
#   MEM=1G  SMP=2      CRASHKERNEL="256M" (value(s) of crashkernel=, "" = no reservation;
#                      "256M,high crashkernel=128M,low" for two regions)
#   TIMING=N           time N peer loads and N loader loads first (E2E: TIMING …)
#   CAPTURE=NAME       run "kexec --capture-root" in the guest, save work/captures/NAME.tar.gz
#                      (with HOTPLUG=1: taken right after the load, before the hot-add)
#   HOTPLUG=1          memory hot-add: QEMU gets -m MEM,slots=4,maxmem=4G and a QMP socket; when
#                      the guest prints "E2E: READY-FOR-HOTPLUG" (crash kernel loaded) a 1 GiB
#                      pc-dimm (HPSIZE) is added over QMP (qmp.py); the first kernel boots with
#                      memhp_default_state=online_movable. The kdump kernel's MemTotal must not
#                      exceed the first kernel's "Crash kernel" ranges + 4 MiB (a kdump kernel
#                      that onlines the first kernel's DIMM as its own RAM fails)
#   HPDEV=pc-dimm|virtio-mem  HOTPLUG=1's device. virtio-mem: -m MEM,maxmem=4G, a 1 GiB
#                      memory-backend-ram behind -device virtio-mem-pci,id=vm0,requested-size=0;
#                      at READY-FOR-HOTPLUG the host sets vm0's requested-size to HPSIZE_VMEM
#                      (default 512 MiB) over QMP (qom-set); e2e_modules=1 makes the guest
#                      insmod the virtio modules first (the new range: "System RAM (virtio_mem)")
#   RELOAD=none|reload|relink|full  after the hot-add (init.sh e2e_reload)
#   SLOTS=used         load with --elfcorehdr-slots = today's program header count
#   HPEXPECT=absent    the vmcore must not cover the hot-added range (default: present)
#   HPKERNEL=on        the kernel must have accepted the hotplug flag (memory/crash_hotplug=1)
#   CAPTURE2=NAME      HOTPLUG: a second capture after the hot-add
#   CMA=sysfs|explicit kdump: crash CMA, kexec -p --crash-cma (the kernel's ranges) or
#                      --crash-cma=START-END (a CMASIZE MiB block of free System RAM the guest
#                      picks, default 256); the kdump kernel checks the ranges are its RAM
#                      (iomem, MemTotal), no PT_LOAD overlaps them, the marker (init.sh e2e_cma)
#   CMAEXP=dumped      the loader must leave the range(s) out (arm64 kdump kernel before 7.3):
#                      not RAM in the kdump kernel, whole in the vmcore
#   BENCHN=N           MODE=bench: runs per measurement (bench/bench-reload.sh)
#   DRYRUN=1           print the loader's --dry-run plan of the real load (E2E: DRYRUN-…)
#   DEBUG=1            first kernel prints kallsyms/kcore/vmcoreinfo facts
#   EXTRA="…"          more first-kernel command line (E2E_EXTRA: the same, for every scenario)
#   ACCEL=tcg|kvm
#   TIMEOUT=240 (s)    QEMU is killed after that long in all,
#   IDLE=60 (s)        or when the serial log has not grown for that long (a hung guest),
#   GRACE=15 (s)       or that long after the guest printed its final line without exiting
#   E2E_CACHE, E2E_WORK  (defaults tests/e2e/cache, tests/e2e/work)
# Serial log: work/logs/<kernel>/NAME.log. Prints the interesting guest lines, the wall time and
#   RESULT: PASS | RESULT: FAIL: <reason>
# plus "CAPTURE: ok <file>|missing <why>" when CAPTURE is set and "TIMING: …" when TIMING is set.
# A failure before the guest's "E2E: LOADER-RUNS" line that is not the guest's own verdict (an
# oops, a hang, a dead QEMU while the first kernel boots) also prints
#   PRELOADER-FAULT: <first oops line or what happened>
# which run-e2e.sh takes as an emulator fault and retries once.
# Exit: 0 pass, 1 fail, 2 setup/build error.
set -uo pipefail
E2E=$(cd "$(dirname "$0")" && pwd)
CACHE=${E2E_CACHE:-$E2E/cache}
WORK=${E2E_WORK:-$E2E/work}
NAME=${1:?usage: run-scenario.sh NAME}
KERNEL=${KERNEL:-6.1}; ARCH=${ARCH:-x86_64}; MODE=${MODE:-kdump}; KFLAGS=${KFLAGS:-}; FW=${FW:-bios}
ACCEL=${ACCEL:-tcg}; MEM=${MEM:-1G}; SMP=${SMP:-2}
TIMEOUT=${TIMEOUT:-240}; IDLE=${IDLE:-60}; GRACE=${GRACE:-15}
CRASHKERNEL=${CRASHKERNEL-256M}
KDIR=$CACHE/$KERNEL/$ARCH
IDIR=$WORK/$KERNEL/$ARCH
LOGDIR=$WORK/logs/$KERNEL; [ "$ARCH" = x86_64 ] || LOGDIR=$WORK/logs/$ARCH/$KERNEL
LOG=$LOGDIR/$NAME.log
mkdir -p "$LOGDIR" "$WORK/captures"

case $ARCH in
x86_64) QEMU=qemu-system-x86_64; CON=ttyS0; MACH=(); DEFCPU=max; TCG=tcg ;;
# arm64: -cpu max with QEMU's own pointer-auth algorithm (the architected QARMA is ~2x slower
# under TCG), multi-threaded TCG
arm64)  QEMU=qemu-system-aarch64; CON=ttyAMA0; MACH=(-M virt); DEFCPU=max,pauth-impdef=on; TCG=tcg,thread=multi ;;
*) echo "RESULT: FAIL: unsupported arch $ARCH"; exit 2 ;;
esac
# arm64 EL2=1: -M virt,virtualization=on, the CPU has EL2, so the kernel boots (and kexecs) at
# EL2 with VHE; both kernels of the run must say so (checked below)
if [ "${EL2:-0}" = 1 ]; then
	[ "$ARCH" = arm64 ] || { echo "RESULT: FAIL: EL2=1 is for arm64"; exit 2; }
	MACH=(-M virt,virtualization=on)
fi
command -v $QEMU >/dev/null || { echo "RESULT: FAIL: $QEMU not installed (run tests/e2e/setup.sh)"; exit 2; }
for f in "$KDIR/vmlinuz" "$IDIR/initrd.img"; do
	[ -s "$f" ] || { echo "RESULT: FAIL: $f missing (setup.sh / build-initrd.sh)"; exit 2; }
done
FWARGS=()
case $ARCH/$FW in
*/bios|arm64/dt) ;;
arm64/efi)	# EDK2 for QEMU's virt machine: the kernel boots through its EFI stub, with ACPI tables
	AAVMF=${AAVMF:-/usr/share/qemu-efi-aarch64/QEMU_EFI.fd}
	[ -s "$AAVMF" ] || { echo "RESULT: FAIL: $AAVMF missing (apt-get install qemu-efi-aarch64; tests/e2e/setup.sh arm64)"; exit 2; }
	FWARGS=(-bios "$AAVMF") ;;
*/efi)	OVMF_CODE=${OVMF_CODE:-/usr/share/OVMF/OVMF_CODE_4M.fd}
	OVMF_VARS=${OVMF_VARS:-/usr/share/OVMF/OVMF_VARS_4M.fd}
	for f in "$OVMF_CODE" "$OVMF_VARS"; do
		[ -s "$f" ] || { echo "RESULT: FAIL: $f missing (apt-get install ovmf; tests/e2e/setup.sh)"; exit 2; }
	done
	VARS=$IDIR/ovmf-vars-$NAME.fd
	cp "$OVMF_VARS" "$VARS" || { echo "RESULT: FAIL: cannot copy $OVMF_VARS"; exit 2; }
	FWARGS=(-drive "if=pflash,format=raw,unit=0,readonly=on,file=$OVMF_CODE"
		-drive "if=pflash,format=raw,unit=1,file=$VARS") ;;
*) echo "RESULT: FAIL: unknown FW=$FW for $ARCH (bios|efi; arm64: bios = dt, a direct DT boot)"; exit 2 ;;
esac
case $ACCEL in
kvm) ACC=(-accel kvm -cpu "${CPU:-host}") ;;
*)   ACC=(-accel $TCG -cpu "${CPU:-$DEFCPU}") ;;
esac

APPEND="console=$CON panic=-1 e2e_mode=$MODE e2e_kflags=$(echo "$KFLAGS" | tr ' ' ,)"
[ -n "$CRASHKERNEL" ] && APPEND="$APPEND crashkernel=$CRASHKERNEL"
[ -n "${TIMING:-}" ] && APPEND="$APPEND e2e_timing=$TIMING"
[ -n "${CAPTURE:-}" ] && APPEND="$APPEND e2e_capture=$CAPTURE"
[ "${DRYRUN:-0}" = 1 ] && APPEND="$APPEND e2e_dryrun=1"
[ "${DEBUG:-0}" = 1 ] && APPEND="$APPEND e2e_debug=1"
[ -n "${KINITRD:-}" ] && APPEND="$APPEND e2e_kinitrd=$KINITRD"
[ -n "${NEED2:-}" ] && APPEND="$APPEND e2e_need2=$NEED2"
[ -n "${KEXTRA:-}" ] && APPEND="$APPEND e2e_kextra=$(echo "$KEXTRA" | tr ' ' ,)"
[ "${HIDEKCORE:-0}" = 1 ] && APPEND="$APPEND e2e_hidekcore=1"
[ -n "${PRELOAD:-}" ] && APPEND="$APPEND e2e_preload=$(echo "$PRELOAD" | tr ' ' ,)"
[ "${LDEBUG:-0}" = 1 ] && APPEND="$APPEND e2e_ldebug=1"
[ -n "${CMA:-}" ] && APPEND="$APPEND e2e_cma=$CMA${CMASIZE:+ e2e_cmasize=$CMASIZE}${CMAEXP:+ e2e_cmaexp=$CMAEXP}"
HOTPLUG=${HOTPLUG:-0}; QMPARGS=(); SOCK=""; HPDEV=${HPDEV:-pc-dimm}
if [ "$HOTPLUG" = 1 ]; then
	SOCK=$(mktemp -u /tmp/e2e-qmp.XXXXXX)
	QMPARGS=(-qmp "unix:$SOCK,server=on,wait=off")
	case $HPDEV in
	pc-dimm) case $MEM in *slots=*) ;; *) MEM="$MEM,slots=4,maxmem=4G" ;; esac ;;
	virtio-mem)	# a 1 GiB virtio-mem device, nothing plugged at boot; the host raises its
		# requested-size to HPSIZE; the first kernel insmods virtio_pci/virtio_mem (e2e_modules=1)
		case $MEM in *maxmem=*) ;; *) MEM="$MEM,maxmem=4G" ;; esac
		QMPARGS+=(-object memory-backend-ram,id=vmem0,size=1G
			-device virtio-mem-pci,id=vm0,memdev=vmem0,requested-size=0)
		APPEND="$APPEND e2e_modules=1" ;;
	*) echo "RESULT: FAIL: unknown HPDEV=$HPDEV (pc-dimm|virtio-mem)"; exit 2 ;;
	esac
	APPEND="$APPEND e2e_hotplug=1 memhp_default_state=online_movable e2e_reload=${RELOAD:-none}"
	[ -n "${SLOTS:-}" ] && APPEND="$APPEND e2e_slots=$SLOTS"
	[ -n "${HPEXPECT:-}" ] && APPEND="$APPEND e2e_hpexpect=$HPEXPECT"
	[ -n "${HPKERNEL:-}" ] && APPEND="$APPEND e2e_hpkernel=$HPKERNEL"
	[ -n "${CAPTURE2:-}" ] && APPEND="$APPEND e2e_capture2=$CAPTURE2"
fi
[ "$MODE" = bench ] && APPEND="$APPEND e2e_benchn=${BENCHN:-5}"
APPEND="$APPEND ${EXTRA:-} ${E2E_EXTRA:-}"
HPSIZE=${HPSIZE:-1073741824}; [ "$HPDEV" = virtio-mem ] && HPSIZE=${HPSIZE_VMEM:-536870912}

QCMD=($QEMU "${MACH[@]}" "${ACC[@]}" "${FWARGS[@]}" "${QMPARGS[@]}" -m "$MEM" -smp "$SMP"
	-display none -monitor none -serial "file:$LOG" -no-reboot -nodefaults
	-kernel "$KDIR/vmlinuz" -initrd "$IDIR/initrd.img" -append "$APPEND")
echo "scenario $KERNEL/$NAME ($(cat "$KDIR/kernel-package" 2>/dev/null), FW=$FW): ${QCMD[*]}" | sed "s|$E2E/||g"
rm -f "$LOG"
# QEMU runs under a watchdog: total TIMEOUT, IDLE seconds without serial output, GRACE seconds
# after the guest's final line (a guest that cannot power off must not cost a whole TIMEOUT).
FINAL='^(KDUMP-OK|KDUMP-BAD|E2E: KEXEC-REBOOT-(OK|BAD)|E2E: BADINPUT-(ALL-OK|FAILED)|E2E: LOCKDOWN-(OK|BAD)|E2E: NOFILE-(OK|BAD)|E2E: BENCH-DONE|E2E: FAIL: )'
t0=$(date +%s.%N)
"${QCMD[@]}" &
qpid=$!
start=$(date +%s); last=$start; lsz=-1; fin=0; killed=""; hpdone=0
QMPLOG=$LOGDIR/$NAME.qmp
rm -f "$QMPLOG"
while kill -0 $qpid 2>/dev/null; do
	if [ "$HOTPLUG" = 1 ]; then sleep 0.25; else sleep 1; fi
	if [ "$HOTPLUG" = 1 ] && [ $hpdone = 0 ] && grep -aq '^E2E: READY-FOR-HOTPLUG' "$LOG" 2>/dev/null; then
		hpdone=1
		if [ "$HPDEV" = virtio-mem ]; then
		python3 "$E2E/qmp.py" "$SOCK" \
			'{"execute":"qom-set","arguments":{"path":"vm0","property":"requested-size","value":'"$HPSIZE"'}}' \
			'{"execute":"query-memory-devices"}' > "$QMPLOG" 2>&1 &
		else
		python3 "$E2E/qmp.py" "$SOCK" \
			'{"execute":"object-add","arguments":{"qom-type":"memory-backend-ram","id":"hpmem1","size":'"$HPSIZE"'}}' \
			'{"execute":"device_add","arguments":{"driver":"pc-dimm","id":"dimm1","memdev":"hpmem1"}}' \
			'{"execute":"query-memory-devices"}' > "$QMPLOG" 2>&1 &
		fi
	fi
	now=$(date +%s)
	sz=$(stat -c %s "$LOG" 2>/dev/null || echo 0)
	[ "$sz" != "$lsz" ] && { lsz=$sz; last=$now; }
	if [ $fin = 0 ] && grep -aqE "$FINAL" "$LOG" 2>/dev/null; then fin=$now; fi
	if [ $((now - start)) -ge "$TIMEOUT" ]; then killed="timeout after ${TIMEOUT}s"
	elif [ $((now - last)) -ge "$IDLE" ]; then killed="no serial output for ${IDLE}s (hung guest)"
	elif [ $fin != 0 ] && [ $((now - fin)) -ge "$GRACE" ]; then killed="guest did not exit ${GRACE}s after its final line (cannot power off or reboot?)"
	fi
	[ -n "$killed" ] && break
done
if [ -n "$killed" ]; then
	kill $qpid 2>/dev/null; sleep 1; kill -9 $qpid 2>/dev/null
	wait $qpid 2>/dev/null; qrc=124
	echo "scenario $NAME: QEMU killed: $killed"
else
	wait $qpid; qrc=$?
fi
wait 2>/dev/null   # the QMP client
[ -n "$SOCK" ] && rm -f "$SOCK"
t1=$(date +%s.%N)
WALL=$(printf '%.1f' "$(echo "$t1 - $t0" | bc)")
# carriage returns and OVMF's terminal escape sequences out
sed -e 's/\r//g' -e 's/\x1b\[[0-9;=?]*[A-Za-z]//g' "$LOG" > "$LOG.tmp" 2>/dev/null && mv "$LOG.tmp" "$LOG"

# What to show: E2E lines except bulky ones, and the vmcore-check block of the kdump kernel.
awk '/^E2E: VMCORE-CHECK-BEGIN/ {v=1} v {print; if (/^E2E: VMCORE-CHECK-END/) v=0; next}
     /^E2E: CAPTURE-BEGIN/ {c=1; print; next} c {if (/^E2E: CAPTURE-END/) {c=0; print}; next}
     /^E2E: DRYRUN-BEGIN/ {d=1} d {print; if (/^E2E: DRYRUN-END/) d=0; next}
     /^E2E: (iomem|kcore|kallsyms|iomem-full|badinput-run|lockdown-run)/ && !ENVIRON["DEBUG_SHOW"] {next}
     /^E2E:|^KDUMP-|Kernel panic|BUG:|Oops/ {print}' "$LOG" | cut -c1-400
if [ "$HOTPLUG" = 1 ]; then
	if [ -s "$QMPLOG" ]; then sed 's/^/QMP: /' "$QMPLOG" | cut -c1-300
	else echo "QMP: no hot-add (the guest never printed E2E: READY-FOR-HOTPLUG)"; fi
fi

reason=""
if [ -n "$killed" ]; then reason="QEMU killed: $killed"
elif [ $qrc != 0 ]; then reason="qemu exit status $qrc"; fi
g=$(grep -a -m1 '^E2E: FAIL: ' "$LOG" | sed 's/^E2E: FAIL: //')
fwbad=$(grep -a -m1 '^E2E: FW-BAD' "$LOG" | sed 's/^E2E: FW-BAD *//')
case $MODE in
kdump)
	if grep -aq '^KDUMP-OK' "$LOG"; then
		[ $qrc = 0 ] && reason="" || :
		nr=$(grep -a -m1 '^E2E: HPKERNEL-NOT-\(ARMED\|REWRITTEN\)' "$LOG" | sed 's/^E2E: //')
		[ -n "$nr" ] && reason="${reason:+$reason; }$nr"
	elif [ -n "$g" ]; then reason="first kernel: $g"
	elif grep -aq '^KDUMP-BAD' "$LOG"; then
		r=""
		pm=$(grep -a -m1 '^E2E: INITRD-PARTS-MISSING' "$LOG" | sed 's/^E2E: INITRD-PARTS-MISSING *//')
		[ -n "$pm" ] && r="kdump initramfs incomplete, missing part(s): $pm ($(grep -a -m1 '^E2E: initrd-parts:' "$LOG" | sed 's/^E2E: //')); "
		[ -n "$fwbad" ] && r="${r}kdump kernel firmware: $fwbad ($(grep -a -m1 '^E2E: fw: kdump ' "$LOG" | sed 's/^E2E: fw: kdump //')); "
		v=$(grep -a '^E2E: CMA-BAD\|^CMA-CHECK-BAD\|^LAYOUT-BAD\|^MARKER-[A-Z-]*\(BAD\|MISSING\|FAIL\|MISMATCH\|NOT-DUMPED\)\|^HP-CHECK-BAD\|^HP-READ-ERROR\|^READ-ERROR\|not an ELF\|vmcore-check: not found\|^E2E: VMCORE-CHECK-END rc=[1-9]' "$LOG" | tr '\n' ' ')
		na=$(grep -a '^E2E: HPKERNEL-NOT-\(ARMED\|REWRITTEN\)' "$LOG" | sed 's/^E2E: //' | tr '\n' ';')
		[ -n "$na" ] && r="${r}$na "
		[ -n "$v" ] && r="${r}vmcore check failed: $v"
		reason=${r:-"vmcore check failed: $(grep -a '^LAYOUT\|^MARKER\|^READ-ERROR\|not an ELF' "$LOG" | tr '\n' ' ')"}
	elif grep -aq '^E2E: KDUMP-KERNEL' "$LOG"; then reason="kdump kernel did not finish ${reason:+($reason)}"
	elif grep -aq '^E2E: TRIGGER-PANIC' "$LOG"; then reason="kdump kernel did not start after the panic ${reason:+($reason)}"
	else reason="first kernel did not reach the crash ${reason:+($reason)}"; fi ;;
bench)
	if grep -aq '^E2E: BENCH-DONE rc=0' "$LOG"; then [ $qrc = 0 ] && reason="" || :
	elif [ -n "$g" ]; then reason="first kernel: $g"
	elif grep -aq '^E2E: BENCH-DONE' "$LOG"; then reason="$(grep -a -m1 '^E2E: BENCH-DONE' "$LOG" | sed 's/^E2E: //')"
	else reason="bench did not finish ${reason:+($reason)}"; fi ;;
normal)
	if grep -aq '^E2E: KEXEC-REBOOT-OK' "$LOG"; then [ $qrc = 0 ] && reason="" || :
	elif [ -n "$g" ]; then reason="first kernel: $g"
	elif grep -aq '^E2E: KEXEC-REBOOT-BAD' "$LOG"; then
		reason="the kexec'd kernel reached /init but: ${fwbad:-?} ($(grep -a -m1 '^E2E: fw: rebooted ' "$LOG" | sed 's/^E2E: fw: rebooted //'))"
	elif grep -aq '^E2E: kexec -e' "$LOG"; then reason="kexec -e did not reach the new kernel's /init ${reason:+($reason)}"
	else reason="no kexec -e ${reason:+($reason)}"; fi ;;
badinput)
	if grep -aq '^E2E: BADINPUT-ALL-OK' "$LOG"; then [ $qrc = 0 ] && reason="" || :
	elif [ -n "$g" ]; then reason="$g"
	elif grep -aq '^E2E: BADINPUT-CASE-BAD' "$LOG"; then
		reason=$(grep -a '^E2E: BADINPUT-CASE-BAD' "$LOG" | sed 's/^E2E: BADINPUT-CASE-BAD //' | paste -sd';' -)
	else reason="bad-input run did not finish ${reason:+($reason)}"; fi ;;
nofile)
	if grep -aq '^E2E: NOFILE-OK' "$LOG"; then [ $qrc = 0 ] && reason="" || :
	elif [ -n "$g" ]; then reason="$g"
	elif grep -aq '^E2E: NOFILE-BAD' "$LOG"; then
		reason="$(grep -a -m1 '^E2E: NOFILE-BAD' "$LOG" | sed 's/^E2E: NOFILE-BAD:* *//'); $(grep -a -m1 '^E2E: NOFILE ' "$LOG" | sed 's/^E2E: NOFILE //')"
	else reason="nofile run did not finish ${reason:+($reason)}"; fi ;;
lockdown)
	if grep -aq '^E2E: LOCKDOWN-OK' "$LOG"; then [ $qrc = 0 ] && reason="" || :
	elif [ -n "$g" ]; then reason="$g"
	elif grep -aq '^E2E: LOCKDOWN-BAD' "$LOG"; then
		reason="$(grep -a -m1 '^E2E: LOCKDOWN-BAD' "$LOG" | sed 's/^E2E: LOCKDOWN-BAD:* *//'); ours: $(grep -a -m1 '^E2E: LOCKDOWN ours ' "$LOG" | sed 's/^E2E: LOCKDOWN ours //')"
	else reason="lockdown run did not finish ${reason:+($reason)}"; fi ;;
*) reason="unknown MODE=$MODE" ;;
esac

# The kdump kernel's memory: at most the crash region(s) plus a little (the low 1 MiB it also
# gets, rounding). More means it onlined memory that belongs in the dump as its own RAM (on
# Debian's 7.3 the first kernel's ACPI DIMM, unless acpi_no_memhotplug is on its command line).
if [ "$HOTPLUG" = 1 ] && [ "$MODE" = kdump ] && grep -aq '^E2E: KDUMP-KERNEL' "$LOG"; then
	ck=0
	for r in $(grep -a '^E2E: iomem: .*: Crash kernel' "$LOG" | awk '{print $3}'); do
		ck=$((ck + 0x${r#*-} - 0x${r%-*} + 1))
	done
	mt=$(grep -a -m1 '^E2E: kdump-MemTotal:' "$LOG" | awk '{print $3}')
	kc=$(grep -a '^E2E: cmdline: ' "$LOG" | sed -n 2p)
	anm=no; case " $kc " in *" acpi_no_memhotplug "*) anm=yes ;; esac
	lim=$(( (ck + (4 << 20)) / 1024 ))
	echo "HP-MEMTOTAL: kdump MemTotal=${mt:-?} kB, crash region $((ck >> 20)) MiB (limit $lim kB), kdump System RAM: $(grep -a '^E2E: kdump-ram: ' "$LOG" | sed 's/^E2E: kdump-ram: //' | tr '\n' ';'), acpi_no_memhotplug on the kdump command line: $anm"
	if [ -z "$mt" ] || [ "$ck" = 0 ]; then
		reason="${reason:+$reason; }no kdump MemTotal or no Crash kernel range in the log"
	elif [ "$mt" -gt "$lim" ]; then
		reason="${reason:+$reason; }kdump kernel MemTotal ${mt} kB > crash region $((ck >> 20)) MiB + 4 MiB: it took memory outside its region as RAM (the first kernel's hot-added DIMM?; acpi_no_memhotplug on its command line: $anm)"
	fi
fi

if [ -n "${TIMING:-}" ]; then
	tl=$(grep -a -m1 '^E2E: TIMING ' "$LOG")
	if [ -n "$tl" ]; then
		p=$(echo "$tl" | sed -n 's/.*peer_ms=\([^ ]*\).*/\1/p'); o=$(echo "$tl" | sed -n 's/.*ours_ms=\([^ ]*\).*/\1/p')
		r=$(awk -v p="$p" -v o="$o" 'BEGIN { if (p+0 > 0 && o+0 > 0) printf "%.2f", o / p; else print "n/a" }')
		echo "TIMING: e2e: $NAME: peer_ms=$p ours_ms=$o ratio(ours/peer)=$r (median of ${TIMING}, guest wall clock, TCG)"
	else
		echo "TIMING: e2e: $NAME: no timing line in the guest log"
	fi
fi

save_capture() { # NAME
	local CAPTURE=$1 out msg why
	out=$WORK/captures/$CAPTURE.tar.gz
	rm -f "$out" "$WORK/captures/$CAPTURE.info"
	if grep -aq "^E2E: CAPTURE-BEGIN $CAPTURE " "$LOG"; then
		if msg=$("$E2E/extract-capture.sh" "$LOG" "$CAPTURE" "$out" 2>&1); then
			{ echo "# source: kexec-ng tests/e2e capture '$CAPTURE' (kexec --capture-root in a QEMU guest), $(date -u +%Y-%m-%dT%H:%MZ)"
			  echo "# machine: QEMU $($QEMU --version | head -1 | awk '{print $4}') ${ACC[*]} -m $MEM -smp $SMP FW=$FW, kernel $(cat "$KDIR/kernel-package" 2>/dev/null) ($(grep -a -m1 '^E2E: FIRST-KERNEL' "$LOG" | awk '{print $4}'))"
			  echo "# cmdline: $(grep -a -m1 '^E2E: cmdline: ' "$LOG" | sed 's/^E2E: cmdline: //')"
			  echo "# loader: $(grep -a -m1 '^E2E: build-info: loader=' "$LOG" | sed 's/^E2E: build-info: loader=//')"
			  [ -n "${2:-}" ] && echo "# when: $2"
			  echo "# transform: none (tree as written by kexec --capture-root)"
			} > "$WORK/captures/$CAPTURE.info"
			echo "CAPTURE: ok $out ($(stat -c %s "$out") bytes)"
		else
			echo "CAPTURE: missing ($msg)"
		fi
	else
		why=$(grep -a -m1 "^E2E: CAPTURE-FAILED $CAPTURE " "$LOG" | sed "s/^E2E: CAPTURE-FAILED $CAPTURE //")
		echo "CAPTURE: missing (${why:-no capture $CAPTURE in the guest log})"
	fi
}
if [ "${EL2:-0}" = 1 ]; then
	c=$(grep -a -c 'CPU: All CPU(s) started at EL2' "$LOG")
	echo "EL2: 'All CPU(s) started at EL2' $c time(s) in the log (want 2: the first kernel, the next one)"
	[ "$c" -ge 2 ] || reason="${reason:+$reason; }EL2: 'All CPU(s) started at EL2' $c time(s), want 2"
fi
if [ "$HOTPLUG" = 1 ]; then
	[ -n "${CAPTURE:-}" ] && save_capture "$CAPTURE" "after the crash load ($(grep -a -m1 '^E2E: loading: ' "$LOG" | sed 's/^E2E: loading: //; s| /boot/vmlinuz.*||')), before the memory hot-add"
	[ -n "${CAPTURE2:-}" ] && save_capture "$CAPTURE2" "after a $((HPSIZE >> 20)) MiB pc-dimm hot-add ($(grep -a -m1 '^E2E: HOTPLUG-RAM-ADDED' "$LOG" | awk '{print $3}'), all blocks online_movable), before any reload"
elif [ -n "${CAPTURE:-}" ]; then
	save_capture "$CAPTURE"
fi

echo "scenario $NAME: qemu rc=$qrc, wall ${WALL}s, log $LOG" | sed "s|$E2E/||"
if [ -z "$reason" ]; then
	echo "RESULT: PASS"; exit 0
fi
# Did it fail before any loader ran, without a verdict of the guest's own? (emulator fault)
if ! grep -aq '^E2E: LOADER-RUNS' "$LOG" && [ -z "$g" ]; then
	oops=$(grep -a -m1 -E 'Oops|BUG:|Kernel panic|general protection fault|invalid opcode|double fault|stack segment|watchdog: BUG|RIP: |Internal error: |Unable to handle kernel|SError' "$LOG" | cut -c1-200)
	if [ -n "$oops" ]; then echo "PRELOADER-FAULT: $oops"
	elif grep -aq '^E2E: FIRST-KERNEL' "$LOG"; then echo "PRELOADER-FAULT: first kernel stopped in /init before the loader ran (${reason})"
	else echo "PRELOADER-FAULT: first kernel did not reach /init (${reason}; $(grep -av '^ *$' "$LOG" | tail -n1 | cut -c1-150))"; fi
fi
echo "---- last 40 lines of $LOG ----"
grep -av '^[A-Za-z0-9+/=]\{60,\}$' "$LOG" | tail -n 40 | cut -c1-300
echo "----"
echo "RESULT: FAIL: $reason"
exit 1
