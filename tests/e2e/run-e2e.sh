#!/bin/bash
# tests/e2e/run-e2e.sh — the QEMU end-to-end suite: Debian's 6.1 kernel under TCG, loaded by LOADER.
#
# usage: tests/e2e/run-e2e.sh LOADER        (ours: a static build's kexec/kexec; any loader with
#                                           kexec-tools' CLI works, e.g. /usr/sbin/kexec)
# env:   E2E_ONLY=name1,name2    run a subset (names below)
#        E2E_REQUIRE_CAPTURE=1   a missing --capture-root capture fails its scenario
#        TIMING_N=3              loads per loader in the timing step
#        E2E_CACHE, E2E_WORK, ACCEL, TIMEOUT   (see run-scenario.sh)
# Runs tests/e2e/setup.sh first unless the cache is complete (needs root then), builds the
# initramfs with LOADER (build-initrd.sh), then one QEMU boot per scenario, serially:
#   kdump-load-5lvl  -c -p (kexec_load), -cpu max (5-level paging); vmcore + marker check;
#                    capture x86_64-qemu-tcg-1g-5level
#   kdump-load-4lvl  the same with -cpu max,la57=off (4-level); first times Debian's kexec-tools
#                    (/sbin/kexec-peer -c -p) and LOADER -c -p, N loads each (TIMING line);
#                    capture x86_64-qemu-tcg-1g-4level
#   kdump-file       -s -p (kexec_file_load)
#   kdump-highlow    -c -p with crashkernel=256M,high crashkernel=128M,low and 5 GiB of RAM;
#                    capture x86_64-qemu-tcg-5g-highlow
#   kexec-reboot     LOADER -l the same kernel, LOADER -e; the new kernel must reach its /init
#   bad-input        no crashkernel=; truncated bzImage, non-kernel file, too long command line
#                    (all -l) and -p without a crash region must fail cleanly (see init.sh)
# Prints per scenario "PASS: e2e: NAME" or "FAIL: e2e: NAME: reason" (what tests/run-all.sh
# counts), its wall time, "CAPTURE: e2e: …" and "TIMING: e2e: …" lines; SKIP lines when QEMU
# cannot be installed. Logs: tests/e2e/work/logs/NAME.{log,out}; captures:
# tests/e2e/work/captures/NAME.tar.gz (+ .info; see extract-capture.sh). Exit 1 if any failed.
set -uo pipefail
E2E=$(cd "$(dirname "$0")" && pwd)
export E2E_CACHE=${E2E_CACHE:-$E2E/cache}
export E2E_WORK=${E2E_WORK:-$E2E/work}
LOADER=${1:-}
ARCH=x86_64
TIMING_N=${TIMING_N:-3}

# name | env for run-scenario.sh
SCENARIOS=(
	"kdump-load-5lvl|MODE=kdump KFLAGS=-c CPU=max CAPTURE=x86_64-qemu-tcg-1g-5level"
	"kdump-load-4lvl|MODE=kdump KFLAGS=-c CPU=max,la57=off TIMING=$TIMING_N CAPTURE=x86_64-qemu-tcg-1g-4level"
	"kdump-file|MODE=kdump KFLAGS=-s CPU=max"
	"kdump-highlow|MODE=kdump KFLAGS=-c CPU=max MEM=5G CRASHKERNEL=256M,high_crashkernel=128M,low CAPTURE=x86_64-qemu-tcg-5g-highlow"
	"kexec-reboot|MODE=normal CPU=max"
	"bad-input|MODE=badinput CPU=max CRASHKERNEL="
)
ALL=$(for s in "${SCENARIOS[@]}"; do echo "${s%%|*}"; done)
if [ -n "${E2E_ONLY:-}" ]; then
	SEL=$(echo "$E2E_ONLY" | tr ', ' '\n\n' | sed '/^$/d')
	for n in $SEL; do echo "$ALL" | grep -qx "$n" || { echo "FAIL: e2e: E2E_ONLY: unknown scenario '$n' (known: $(echo $ALL))"; exit 1; }; done
else
	SEL=$ALL
fi
all_lines() { for n in $SEL; do echo "$1: e2e: $n: $2"; done; }

[ -n "$LOADER" ] || { echo "usage: run-e2e.sh LOADER" >&2; all_lines FAIL "no LOADER given"; exit 1; }
[ -f "$LOADER" ] || { all_lines FAIL "loader $LOADER not found"; exit 1; }
LOADER=$(readlink -f "$LOADER")

T0=$(date +%s)
cache_ok() { [ -e "$E2E_CACHE/$ARCH/.setup-done" ] && [ -s "$E2E_CACHE/$ARCH/vmlinuz" ] && [ -x "$E2E_CACHE/$ARCH/sysroot/sbin/kexec" ]; }
if ! cache_ok || ! command -v qemu-system-x86_64 >/dev/null; then
	if [ "$(id -u)" != 0 ]; then
		all_lines SKIP "needs root once to run tests/e2e/setup.sh (apt-get)"; exit 0
	fi
	echo "e2e: running tests/e2e/setup.sh $ARCH"
	"$E2E/setup.sh" "$ARCH" 2>&1 | sed 's/^/  /'
	if ! command -v qemu-system-x86_64 >/dev/null; then
		all_lines SKIP "qemu-system-x86_64 could not be installed"; exit 0
	fi
	cache_ok || { all_lines FAIL "tests/e2e/setup.sh did not produce the kernel/sysroot cache"; exit 1; }
fi
echo "e2e: kernel $(cat "$E2E_CACHE/$ARCH/kernel-package"), loader $LOADER ($(file -b "$LOADER" | cut -d, -f1-2 | cut -c1-60))"
if ! "$E2E/build-initrd.sh" "$ARCH" "$LOADER" > "$E2E_WORK/build-initrd.log" 2>&1; then
	mkdir -p "$E2E_WORK"; sed 's/^/  /' "$E2E_WORK/build-initrd.log" | tail -n 20
	all_lines FAIL "build-initrd.sh failed"; exit 1
fi
sed 's/^/e2e: /' "$E2E_WORK/build-initrd.log" | sed "s|$E2E/||g"

fails=0
for s in "${SCENARIOS[@]}"; do
	name=${s%%|*}; envs=${s#*|}
	echo "$SEL" | grep -qx "$name" || continue
	out=$E2E_WORK/logs/$name.out
	mkdir -p "$E2E_WORK/logs"
	# env words: KEY=VALUE, '_' inside CRASHKERNEL stands for a space
	args=(); for w in $envs; do case $w in CRASHKERNEL=*) w=${w//_/ } ;; esac; args+=("$w"); done
	t0=$(date +%s.%N)
	env "${args[@]}" "$E2E/run-scenario.sh" "$name" > "$out" 2>&1
	rc=$?
	wall=$(printf '%.1f' "$(echo "$(date +%s.%N) - $t0" | bc)")
	res=$(grep -a '^RESULT: ' "$out" | tail -1)
	cap=$(grep -a '^CAPTURE: ' "$out" | sed 's/^CAPTURE: //')
	if [ $rc = 0 ] && [ "$res" = "RESULT: PASS" ]; then
		if [ -n "$cap" ] && [ "${E2E_REQUIRE_CAPTURE:-0}" = 1 ] && [ "${cap%% *}" != ok ]; then
			rc=1; res="RESULT: FAIL: capture $cap"
		fi
	fi
	echo "e2e: $name: wall ${wall}s"
	[ -n "$cap" ] && echo "CAPTURE: e2e: $name: $cap" | sed "s|$E2E/||"
	grep -a '^TIMING: ' "$out"
	if [ $rc = 0 ] && [ "$res" = "RESULT: PASS" ]; then
		grep -a '^E2E: BADINPUT \|^MARKER-\|^LAYOUT-\|^SUMMARY\|^E2E: KEXEC-REBOOT-OK' "$out" | sed 's/^/  /' | cut -c1-200
		echo "PASS: e2e: $name"
	else
		sed 's/^/  | /' "$out" | grep -av '^  | E2E: iomem' | cut -c1-300
		reason=${res#RESULT: FAIL: }
		[ -n "$res" ] || reason="run-scenario.sh exited $rc without a result"
		echo "FAIL: e2e: $name: $reason"
		fails=$((fails+1))
	fi
done
echo "e2e: total wall $(( $(date +%s) - T0 ))s, $fails failed"
[ $fails = 0 ]
