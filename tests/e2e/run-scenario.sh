#!/bin/bash
# tests/e2e/run-scenario.sh — ONE QEMU (TCG) boot of Debian's kernel with the e2e initramfs.
#
# usage: run-scenario.sh NAME          (the initramfs must exist: build-initrd.sh ARCH LOADER)
# env (all optional):
#   ARCH=x86_64        MODE=kdump|normal|badinput (see init.sh)   KFLAGS="-c"|"-s"|…
#   CPU=max            (TCG: max = 5-level paging; max,la57=off = 4-level)
#   MEM=1G  SMP=2      CRASHKERNEL="256M" (value(s) of crashkernel=, "" = no reservation;
#                      "256M,high crashkernel=128M,low" for two regions)
#   TIMING=N           time N peer loads and N loader loads first (E2E: TIMING …)
#   CAPTURE=NAME       run "kexec --capture-root" in the guest, save work/captures/NAME.tar.gz
#   DRYRUN=1           print the loader's --dry-run plan of the real load (E2E: DRYRUN-…)
#   DEBUG=1            first kernel prints kallsyms/kcore/vmcoreinfo facts
#   EXTRA="…"          more first-kernel command line   ACCEL=tcg|kvm   TIMEOUT=240 (s)
#   E2E_CACHE, E2E_WORK  (defaults tests/e2e/cache, tests/e2e/work)
# Serial log: work/logs/NAME.log. Prints the interesting guest lines, the wall time and
#   RESULT: PASS | RESULT: FAIL: <reason>
# plus "CAPTURE: ok <file>|missing <why>" when CAPTURE is set and "TIMING: …" when TIMING is set.
# Exit: 0 pass, 1 fail, 2 setup/build error.
set -uo pipefail
E2E=$(cd "$(dirname "$0")" && pwd)
CACHE=${E2E_CACHE:-$E2E/cache}
WORK=${E2E_WORK:-$E2E/work}
NAME=${1:?usage: run-scenario.sh NAME}
ARCH=${ARCH:-x86_64}; MODE=${MODE:-kdump}; KFLAGS=${KFLAGS:-}
ACCEL=${ACCEL:-tcg}; MEM=${MEM:-1G}; SMP=${SMP:-2}; TIMEOUT=${TIMEOUT:-240}
CRASHKERNEL=${CRASHKERNEL-256M}
LOG=$WORK/logs/$NAME.log
mkdir -p "$WORK/logs" "$WORK/captures"

case $ARCH in
x86_64) QEMU=qemu-system-x86_64; CON=ttyS0; MACH=() ;;
*) echo "RESULT: FAIL: unsupported arch $ARCH"; exit 2 ;;
esac
command -v $QEMU >/dev/null || { echo "RESULT: FAIL: $QEMU not installed (run tests/e2e/setup.sh)"; exit 2; }
for f in "$CACHE/$ARCH/vmlinuz" "$WORK/$ARCH/initrd.img"; do
	[ -s "$f" ] || { echo "RESULT: FAIL: $f missing (setup.sh / build-initrd.sh)"; exit 2; }
done
case $ACCEL in
kvm) ACC=(-accel kvm -cpu "${CPU:-host}") ;;
*)   ACC=(-accel tcg -cpu "${CPU:-max}") ;;
esac

APPEND="console=$CON panic=-1 e2e_mode=$MODE e2e_kflags=$(echo "$KFLAGS" | tr ' ' ,)"
[ -n "$CRASHKERNEL" ] && APPEND="$APPEND crashkernel=$CRASHKERNEL"
[ -n "${TIMING:-}" ] && APPEND="$APPEND e2e_timing=$TIMING"
[ -n "${CAPTURE:-}" ] && APPEND="$APPEND e2e_capture=$CAPTURE"
[ "${DRYRUN:-0}" = 1 ] && APPEND="$APPEND e2e_dryrun=1"
[ "${DEBUG:-0}" = 1 ] && APPEND="$APPEND e2e_debug=1"
APPEND="$APPEND ${EXTRA:-}"

QCMD=($QEMU "${MACH[@]}" "${ACC[@]}" -m "$MEM" -smp "$SMP"
	-display none -monitor none -serial "file:$LOG" -no-reboot -nodefaults
	-kernel "$CACHE/$ARCH/vmlinuz" -initrd "$WORK/$ARCH/initrd.img" -append "$APPEND")
echo "scenario $NAME: ${QCMD[*]}" | sed "s|$E2E/||g"
rm -f "$LOG"
t0=$(date +%s.%N)
timeout "$TIMEOUT" "${QCMD[@]}"
qrc=$?
t1=$(date +%s.%N)
WALL=$(printf '%.1f' "$(echo "$t1 - $t0" | bc)")
tr -d '\r' < "$LOG" > "$LOG.tmp" 2>/dev/null && mv "$LOG.tmp" "$LOG"

# What to show: E2E lines except bulky ones, and the vmcore-check block of the kdump kernel.
awk '/^E2E: VMCORE-CHECK-BEGIN/ {v=1} v {print; if (/^E2E: VMCORE-CHECK-END/) v=0; next}
     /^E2E: CAPTURE-BEGIN/ {c=1; print; next} c {if (/^E2E: CAPTURE-END/) {c=0; print}; next}
     /^E2E: DRYRUN-BEGIN/ {d=1} d {print; if (/^E2E: DRYRUN-END/) d=0; next}
     /^E2E: (iomem|kcore|kallsyms|iomem-full|badinput-run)/ && !ENVIRON["DEBUG_SHOW"] {next}
     /^E2E:|^KDUMP-|Kernel panic|BUG:|Oops/ {print}' "$LOG" | cut -c1-400

reason=""
if [ $qrc = 124 ]; then reason="timeout after ${TIMEOUT}s"
elif [ $qrc != 0 ]; then reason="qemu exit status $qrc"; fi
g=$(grep -a -m1 '^E2E: FAIL: ' "$LOG" | sed 's/^E2E: FAIL: //')
case $MODE in
kdump)
	if grep -aq '^KDUMP-OK' "$LOG"; then [ $qrc = 0 ] && reason="" || :
	elif [ -n "$g" ]; then reason="first kernel: $g"
	elif grep -aq '^KDUMP-BAD' "$LOG"; then
		reason="vmcore check failed: $(grep -a '^LAYOUT\|^MARKER\|^READ-ERROR\|not an ELF' "$LOG" | tr '\n' ' ')"
	elif grep -aq '^E2E: KDUMP-KERNEL' "$LOG"; then reason="kdump kernel did not finish ${reason:+($reason)}"
	elif grep -aq '^E2E: TRIGGER-PANIC' "$LOG"; then reason="kdump kernel did not start after the panic ${reason:+($reason)}"
	else reason="first kernel did not reach the crash ${reason:+($reason)}"; fi ;;
normal)
	if grep -aq '^E2E: KEXEC-REBOOT-OK' "$LOG"; then [ $qrc = 0 ] && reason="" || :
	elif [ -n "$g" ]; then reason="first kernel: $g"
	elif grep -aq '^E2E: kexec -e' "$LOG"; then reason="kexec -e did not reach the new kernel's /init ${reason:+($reason)}"
	else reason="no kexec -e ${reason:+($reason)}"; fi ;;
badinput)
	if grep -aq '^E2E: BADINPUT-ALL-OK' "$LOG"; then [ $qrc = 0 ] && reason="" || :
	elif [ -n "$g" ]; then reason="$g"
	elif grep -aq '^E2E: BADINPUT-CASE-BAD' "$LOG"; then
		reason=$(grep -a '^E2E: BADINPUT-CASE-BAD' "$LOG" | sed 's/^E2E: BADINPUT-CASE-BAD //' | paste -sd';' -)
	else reason="bad-input run did not finish ${reason:+($reason)}"; fi ;;
*) reason="unknown MODE=$MODE" ;;
esac

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

if [ -n "${CAPTURE:-}" ]; then
	out=$WORK/captures/$CAPTURE.tar.gz
	rm -f "$out" "$WORK/captures/$CAPTURE.info"
	if grep -aq "^E2E: CAPTURE-BEGIN $CAPTURE " "$LOG"; then
		if msg=$("$E2E/extract-capture.sh" "$LOG" "$CAPTURE" "$out" 2>&1); then
			{ echo "# source: kexec-ng tests/e2e capture '$CAPTURE' (kexec --capture-root in a QEMU guest), $(date -u +%Y-%m-%dT%H:%MZ)"
			  echo "# machine: QEMU $($QEMU --version | head -1 | awk '{print $4}') ${ACC[*]} -m $MEM -smp $SMP, kernel $(cat "$CACHE/$ARCH/kernel-package" 2>/dev/null) ($(grep -a -m1 '^E2E: FIRST-KERNEL' "$LOG" | awk '{print $4}'))"
			  echo "# cmdline: $(grep -a -m1 '^E2E: cmdline: ' "$LOG" | sed 's/^E2E: cmdline: //')"
			  echo "# loader: $(grep -a -m1 '^E2E: build-info: loader=' "$LOG" | sed 's/^E2E: build-info: loader=//')"
			  echo "# transform: none (tree as written by kexec --capture-root)"
			} > "$WORK/captures/$CAPTURE.info"
			echo "CAPTURE: ok $out ($(stat -c %s "$out") bytes)"
		else
			echo "CAPTURE: missing ($msg)"
		fi
	else
		why=$(grep -a -m1 "^E2E: CAPTURE-FAILED" "$LOG" | sed 's/^E2E: CAPTURE-FAILED //')
		echo "CAPTURE: missing (${why:-no capture in the guest log})"
	fi
fi

echo "scenario $NAME: qemu rc=$qrc, wall ${WALL}s, log $LOG" | sed "s|$E2E/||"
if [ -z "$reason" ]; then
	echo "RESULT: PASS"; exit 0
fi
echo "---- last 40 lines of $LOG ----"
grep -av '^[A-Za-z0-9+/=]\{60,\}$' "$LOG" | tail -n 40 | cut -c1-300
echo "----"
echo "RESULT: FAIL: $reason"
exit 1
