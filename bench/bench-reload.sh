#!/bin/sh
# bench-reload.sh KEXEC [N] — what one memory hotplug event costs: kexec --reload-elfcorehdr
# against a full crash reload, ours and Debian's kexec-tools 2.0.25, measured in the same run in
# one Debian 6.1 guest (QEMU TCG) after a 1 GiB pc-dimm hot-add, same kernel and initrd.
#
# Host mode (this is what you run; needs what tests/e2e needs, root once for its setup.sh):
#   bench/bench-reload.sh build/static/kexec/kexec [N]     (N runs each, default 5)
#   env: KERNEL=6.1|7.3 (default 6.1: no kernel-side crash hotplug, the reload has to be ours),
#        E2E_CACHE, E2E_WORK, TIMEOUT (see tests/e2e/run-scenario.sh)
# It builds the e2e initramfs with KEXEC (tests/e2e/build-initrd.sh, which puts this script in it
# as /bin/bench-reload) and boots one guest (run-scenario.sh MODE=bench HOTPLUG=1). The guest
# /init waits for the hot-add, onlines the DIMM and runs "bench-reload --guest". Each timing is
# guest wall clock (tests/e2e/tools/timeit), median of N:
#   peer-full   kexec-peer -p -u, then kexec-peer -c -p KERNEL --initrd --append (Debian's
#               kexec-tools; what a distro udev rule does today), the two times added up
#   ours-full   kexec -c -p KERNEL --initrd --append (ours, a full load over the loaded image)
#   reload      kexec --reload-elfcorehdr, each one a real reload (see below)
#   noop        kexec --reload-elfcorehdr when nothing changed (for information)
#   peer -i     kexec-peer -i -c -p: the peer's load without its SHA-256 pass, about the floor of
#               any load that re-issues every segment (file reads + the kexec_load syscall)
# Making every reload real: onlining or offlining a memory block does not change /proc/iomem
# (an offline block stays a "System RAM" resource until it is removed), so toggling blocks
# would make every reload after the first a no-op. Instead, before each timed reload, an untimed
# reload runs with the pre-hot-add /proc/iomem bind-mounted over /proc/iomem: that loads a
# header without the DIMM, so the timed reload (real /proc/iomem) finds the DIMM missing from
# the loaded header and must rebuild it and re-issue kexec_load, like after a real hot-add.
# Prints ms for each and the ratios reload/peer-full (the target: <= 0.10) and
# reload/ours-full. Not part of the test suite (nothing is asserted); exit 0 when all ran.
#
# Guest mode (called by the e2e /init):
#   bench-reload --guest N LOADER PEER KERNEL INITRD APPEND   (/tmp/iomem.before must exist)
#   prints "E2E: bench …" lines and "E2E: BENCH k=v …" with the medians in µs
set -u

if [ "${1:-}" = --guest ]; then
	N=$2 L=$3 P=$4 K=$5 I=$6 A=$7
	fails=0
	med() { sort -n "$1" | awk '{a[NR]=$1} END {if (NR == 0) print "fail"; else print a[int((NR+1)/2)]}'; }
	run() { # LABEL FILE CMD...: time CMD, append µs to FILE on success
		lbl=$1 f=$2; shift 2
		/bin/timeit /tmp/b.us "$@" >/tmp/b.out 2>&1; rc=$?
		us=$(cat /tmp/b.us)
		cl=$(cat /sys/kernel/kexec_crash_loaded)
		echo "E2E: bench $lbl: rc=$rc $us us kexec_crash_loaded=$cl"
		if [ $rc = 0 ]; then [ -n "$f" ] && echo "$us" >> "$f"
		else fails=$((fails+1)); grep -v '^ *$' /tmp/b.out | head -n 3 | sed "s/^/E2E: bench $lbl output: /" | cut -c1-250; fi
		return $rc
	}
	[ -s /tmp/iomem.before ] || { echo "E2E: bench: /tmp/iomem.before missing"; exit 2; }
	rm -f /tmp/bt.*
	echo "E2E: bench: N=$N, kernel $(uname -r), $(grep -c 'System RAM' /proc/iomem) System RAM lines now, $(grep -c 'System RAM' /tmp/iomem.before) before the hot-add"

	# (c) the peer: unload + full load, as udev rules do it today
	run "peer warm-up" "" "$P" -c -p "$K" --initrd="$I" --append="$A"
	i=0; while [ $i -lt "$N" ]; do
		run "peer unload $i" /tmp/bt.pu "$P" -p -u
		run "peer load $i" /tmp/bt.pl "$P" -c -p "$K" --initrd="$I" --append="$A"
		i=$((i+1))
	done
	# for the record: the peer without its SHA-256 (-i): little more than reading the files and
	# the kexec_load syscall itself, i.e. about the floor of any load that re-issues every segment
	i=0; while [ $i -lt "$N" ]; do
		run "peer -i load $i" /tmp/bt.pi "$P" -i -c -p "$K" --initrd="$I" --append="$A"
		i=$((i+1))
	done
	"$P" -p -u >/dev/null 2>&1

	# (b) ours: a full load over the loaded image
	run "ours warm-up" "" "$L" -c -p "$K" --initrd="$I" --append="$A"
	i=0; while [ $i -lt "$N" ]; do
		run "ours full $i" /tmp/bt.of "$L" -c -p "$K" --initrd="$I" --append="$A"
		i=$((i+1))
	done

	# (a) ours: --reload-elfcorehdr, each one real (a stale header loaded first, untimed)
	run "noop" /tmp/bt.noop "$L" --reload-elfcorehdr
	sed 's/^/E2E: bench noop says: /' /tmp/b.out | head -n 3 | cut -c1-250
	i=0; while [ $i -lt "$N" ]; do
		mount --bind /tmp/iomem.before /proc/iomem || { echo "E2E: bench: cannot bind-mount over /proc/iomem"; exit 2; }
		run "stale reload $i" "" "$L" --reload-elfcorehdr
		umount /proc/iomem
		[ $i = 0 ] && sed 's/^/E2E: bench stale reload says: /' /tmp/b.out | head -n 3 | cut -c1-250
		run "reload $i" /tmp/bt.rl "$L" --reload-elfcorehdr
		[ $i = 0 ] && sed 's/^/E2E: bench reload says: /' /tmp/b.out | head -n 3 | cut -c1-250
		if grep -qi 'no-op\|nothing to do\|unchanged\|up to date' /tmp/b.out; then
			echo "E2E: bench reload $i was not a real reload: $(head -n1 /tmp/b.out | cut -c1-200)"; fails=$((fails+1))
		fi
		i=$((i+1))
	done
	pu=$(med /tmp/bt.pu); pl=$(med /tmp/bt.pl); of=$(med /tmp/bt.of); rl=$(med /tmp/bt.rl); no=$(med /tmp/bt.noop)
	pi=$(med /tmp/bt.pi)
	pf=fail; [ "$pu" != fail ] && [ "$pl" != fail ] && pf=$((pu + pl))
	echo "E2E: BENCH n=$N peer_full_us=$pf peer_unload_us=$pu peer_load_us=$pl ours_full_us=$of reload_us=$rl noop_us=$no peer_nodigest_us=$pi fails=$fails"
	[ $fails = 0 ]
	exit $?
fi

# ---------------------------------------------------------------- host mode
top=$(cd "$(dirname "$0")/.." && pwd)
E2E=$top/tests/e2e
KEXEC=${1:?usage: bench-reload.sh KEXEC [N]}
N=${2:-5}
KERNEL=${KERNEL:-6.1}
export E2E_CACHE=${E2E_CACHE:-$E2E/cache} E2E_WORK=${E2E_WORK:-$E2E/work}
[ -s "$E2E_CACHE/$KERNEL/x86_64/vmlinuz" ] || { echo "bench-reload: no $KERNEL kernel in $E2E_CACHE: run tests/e2e/setup.sh (or tests/e2e/run-e2e.sh) first" >&2; exit 2; }
KERNEL=$KERNEL "$E2E/build-initrd.sh" x86_64 "$KEXEC" >/dev/null || { echo "bench-reload: build-initrd.sh failed" >&2; exit 2; }
out=$E2E_WORK/logs/$KERNEL/bench-reload.out
mkdir -p "$(dirname "$out")"
KERNEL=$KERNEL MODE=bench HOTPLUG=1 BENCHN=$N CPU=max TIMEOUT=${TIMEOUT:-600} \
	"$E2E/run-scenario.sh" bench-reload > "$out" 2>&1
rc=$?
grep -a '^E2E: bench\|^QMP: \|^E2E: HOTPLUG\|^RESULT' "$out" | grep -v '^QMP: .*qmp_capabilities' | sed 's/^/  /' | cut -c1-200
line=$(grep -a -m1 '^E2E: BENCH ' "$out")
[ -n "$line" ] || { echo "bench-reload: no result (rc=$rc, see $out)" >&2; exit 1; }
v() { echo "$line" | sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }
ms() { [ "$1" = fail ] && echo fail || awk -v u="$1" 'BEGIN {printf "%.1f", u / 1000}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (a + 0 > 0 && b + 0 > 0) printf "%.3f", a / b; else print "n/a"}'; }
rl=$(v reload_us); pf=$(v peer_full_us); of=$(v ours_full_us)
echo "bench-reload: Debian $KERNEL guest ($(cat "$E2E_CACHE/$KERNEL/x86_64/kernel-package")), QEMU TCG -smp 2, after a 1 GiB pc-dimm hot-add"
echo "  medians of $N runs, guest wall clock; same kernel and kdump initrd for all"
printf '  %-58s %9s ms\n' "kexec --reload-elfcorehdr (ours, a real reload)" "$(ms "$rl")"
printf '  %-58s %9s ms\n' "kexec --reload-elfcorehdr (ours, nothing changed)" "$(ms "$(v noop_us)")"
printf '  %-58s %9s ms\n' "kexec -c -p (ours, full load)" "$(ms "$of")"
printf '  %-58s %9s ms\n' "kexec -p -u && kexec -c -p (Debian kexec-tools 2.0.25)" "$(ms "$pf")"
printf '  %-58s %9s ms\n' "   of which -p -u / -c -p" "$(ms "$(v peer_unload_us)") / $(ms "$(v peer_load_us)")"
printf '  %-58s %9s ms\n' "kexec -i -c -p (Debian kexec-tools, no SHA-256; for the record)" "$(ms "$(v peer_nodigest_us)")"
printf '  ratio reload / peer full:  %s   (target <= 0.10)\n' "$(ratio "$rl" "$pf")"
printf '  ratio reload / ours full:  %s\n' "$(ratio "$rl" "$of")"
[ "$(v fails)" = 0 ] && [ $rc = 0 ] || { echo "bench-reload: some runs failed (fails=$(v fails), scenario rc=$rc; log $out)" >&2; exit 1; }
