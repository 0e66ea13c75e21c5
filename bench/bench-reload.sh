#!/bin/sh
# bench-reload.sh KEXEC [N] — what one memory hotplug event costs: kexec --reload-elfcorehdr
# against a full crash reload, ours and Debian's kexec-tools 2.0.25, measured in the same run in
# one Debian 6.1 guest (QEMU TCG) after a 1 GiB pc-dimm hot-add, same kernel and initrd.
#
# Host mode (this is what you run; needs what tests/e2e needs, root once for its setup.sh):
#   bench/bench-reload.sh build/static/kexec/kexec [N]     (N runs each, default 5)
#   env: KERNEL=6.1|7.3 (default 6.1: no kernel-side crash hotplug, the reload has to be ours),
#        INITRD="test distro" (default: both, one guest boot and one table each):
#          test    the tiny e2e kdump initramfs (tests/e2e/build-initrd.sh, ~2.5 MB uncompressed)
#          distro  a kdump initrd of a distro's size: tests/e2e/build-distro-initrd.sh, shaped
#                  like Debian initramfs-tools' MODULES=most output for the same kernel (early
#                  cpio + zstd cpio of busybox and ~960 of the kernel's own modules, ~32 MiB,
#                  modules from the kernel deb setup.sh cached). It goes into the guest as
#                  /boot/initrd-kdump-distro.img (a second cpio appended to the first kernel's
#                  initramfs, under E2E_WORK/bench-distro/); crashkernel stays 256M (kernel +
#                  initrd need ~42 MB of it; the kdump kernel is never booted here)
#        E2E_CACHE, E2E_WORK, TIMEOUT (see tests/e2e/run-scenario.sh)
# It builds the e2e initramfs with KEXEC (tests/e2e/build-initrd.sh, which puts this script in it
# as /bin/bench-reload) and boots one guest per INITRD (run-scenario.sh MODE=bench HOTPLUG=1
# KINITRD=distro|""). The guest /init waits for the hot-add, onlines the DIMM and runs
# "bench-reload --guest". Each timing is guest wall clock (tests/e2e/tools/timeit), median of N:
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
# Where the time goes: after the medians, one more run of each (reload, noop, ours-full, peer
# load, peer -i load) is traced with ftrace in the guest (tracefs raw_syscalls sys_enter/sys_exit
# and sched_process_exec/exit, filtered on the loader's comm) and split into: the kexec_load
# syscall (the kernel copying every segment into the crash region, including faulting in the
# pages of mmap'ed files), reads (read/pread/readv/preadv), other syscalls, and the rest
# (userspace work plus page faults outside syscalls: SHA-256, decompression, parsing). Then one
# more real reload runs under the function_graph tracer (depth 4 from sys_kexec_load, slowed
# down by the tracing itself) and its callees that took >= 1 ms are listed: kimage_load_segment
# per segment (the kernel clears every page of a segment's memsz and copies its bufsz; the
# bzImage kernel segment's memsz is init_size, ~64 MiB for Debian 6.1) and the crash region's
# protect/unprotect.
# Prints, per INITRD, ms for each, the ratios reload/peer-full (the target: <= 0.10),
# reload/ours-full and reload/peer -i, the traced split, and the host's load average (2 host
# cores shared with other work: only the ratios within one run mean anything). Not part of the
# test suite (nothing is asserted); exit 0 when all ran.
#
# Guest mode (called by the e2e /init):
#   bench-reload --guest N LOADER PEER KERNEL INITRD APPEND   (/tmp/iomem.before must exist)
#   prints "E2E: bench …" lines, "E2E: bench trace LABEL: …" (the traced split) and
#   "E2E: BENCH k=v …" with the medians in µs
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
	# (d) where the time goes: one more run of each, traced with ftrace (raw_syscalls + exec/exit,
	# filtered on the loader's comm); split into the kexec_load syscall itself, file reads,
	# other syscalls and the rest (userspace, incl. page faults). Not part of the medians.
	T=/sys/kernel/tracing
	[ -d $T/events ] || mount -t tracefs nodev $T 2>/dev/null
	if [ -w $T/trace ]; then
		tr_run() { # LABEL COMM CMD...: one traced run, prints "E2E: bench trace LABEL: …"
			tl=$1 tc=$2; shift 2
			echo 0 > $T/tracing_on; echo > $T/trace
			for e in raw_syscalls/sys_enter raw_syscalls/sys_exit sched/sched_process_exec sched/sched_process_exit; do
				echo "comm == \"$tc\"" > $T/events/$e/filter; echo 1 > $T/events/$e/enable
			done
			echo 1 > $T/tracing_on
			/bin/timeit /tmp/b.us "$@" >/tmp/b.out 2>&1; trc=$?
			echo 0 > $T/tracing_on
			for e in raw_syscalls/sys_enter raw_syscalls/sys_exit sched/sched_process_exec sched/sched_process_exit; do
				echo 0 > $T/events/$e/enable; echo 0 > $T/events/$e/filter
			done
			grep -v '^#' $T/trace | awk -v lbl="$tl" -v rc=$trc -v wall="$(cat /tmp/b.us)" '
			{ for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+\.[0-9]+:$/) { t = substr($i, 1, length($i) - 1) * 1e6; ev = $(i + 1); break }
			  if (ev == "sched_process_exec:") { t0 = t; next }
			  if (ev == "sched_process_exit:") { t1 = t; next }
			  if (ev == "sys_enter:") { nr = $(i + 3); st[nr] = t; if (t0 == "") t0 = t; if (nr == 231 || nr == 60) t1 = t; next }
			  if (ev == "sys_exit:") { nr = $(i + 3); if (nr in st) { d = t - st[nr]; delete st[nr]; n++
			      if (nr == 246 || nr == 320) kl += d; else if (nr == 0 || nr == 17 || nr == 19 || nr == 295) rd += d; else ot += d } } }
			END { if (t0 == "" || t1 == "") { printf "E2E: bench trace %s: rc=%d no trace\n", lbl, rc; exit }
			  tot = t1 - t0; printf "E2E: bench trace %s: rc=%d wall=%d us, exec..exit=%d us: kexec_load=%d us, reads=%d us, other syscalls=%d us (%d syscalls), user+faults=%d us\n", lbl, rc, wall, tot, kl, rd, ot, n, tot - kl - rd - ot }'
		}
		echo 4096 > $T/buffer_size_kb 2>/dev/null
		mount --bind /tmp/iomem.before /proc/iomem && { "$L" --reload-elfcorehdr >/dev/null 2>&1; umount /proc/iomem; }
		tr_run reload kexec "$L" --reload-elfcorehdr
		tr_run noop kexec "$L" --reload-elfcorehdr
		# inside the kernel: kexec_load's callees that took >= 1 ms (function_graph, depth 4)
		# (never switch to function_graph before its filter is set: tracing every function
		# under TCG soft-locks the guest)
		if [ -w $T/set_graph_function ] && grep -qw function_graph $T/available_tracers 2>/dev/null; then
			echo nop > $T/current_tracer; echo > $T/trace
			for f in __x64_sys_kexec_load __do_sys_kexec_load __ia32_sys_kexec_load; do echo $f >> $T/set_graph_function 2>/dev/null; done
			echo 4 > $T/max_graph_depth; echo 1 > $T/options/funcgraph-tail 2>/dev/null
			echo function_graph > $T/current_tracer
			mount --bind /tmp/iomem.before /proc/iomem && { "$L" --reload-elfcorehdr >/dev/null 2>&1; umount /proc/iomem; }
			echo > $T/trace; echo 1 > $T/tracing_on
			"$L" --reload-elfcorehdr >/dev/null 2>&1
			echo 0 > $T/tracing_on
			grep -v '^#' $T/trace | grep '[#*@$] *[0-9.]* us' | sed 's/^/E2E: bench kgraph reload: /' | tr -s ' ' | head -n 40
			echo nop > $T/current_tracer; echo > $T/set_graph_function; echo 0 > $T/max_graph_depth
		fi
		tr_run ours-full kexec "$L" -c -p "$K" --initrd="$I" --append="$A"
		"$L" -p -u >/dev/null 2>&1
		tr_run peer-load kexec-peer "$P" -c -p "$K" --initrd="$I" --append="$A"
		"$P" -p -u >/dev/null 2>&1
		tr_run "peer -i load" kexec-peer "$P" -i -c -p "$K" --initrd="$I" --append="$A"
	else
		echo "E2E: bench trace: no tracefs, no breakdown"
	fi
	echo "E2E: bench: initrd $I $(wc -c < "$I") bytes, kernel $K $(wc -c < "$K") bytes"
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
INITRD=${INITRD:-test distro}
export E2E_CACHE=${E2E_CACHE:-$E2E/cache}
WORK0=${E2E_WORK:-$E2E/work}
[ -s "$E2E_CACHE/$KERNEL/x86_64/vmlinuz" ] || { echo "bench-reload: no $KERNEL kernel in $E2E_CACHE: run tests/e2e/setup.sh (or tests/e2e/run-e2e.sh) first" >&2; exit 2; }
echo "bench-reload: host $(uname -n), $(nproc) cpus, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
allrc=0
for V in $INITRD; do
	case $V in
	test)   export E2E_WORK=$WORK0; KI="" ;;
	distro) export E2E_WORK=$WORK0/bench-distro; KI=distro ;;
	*) echo "bench-reload: INITRD=$V: test|distro" >&2; exit 2 ;;
	esac
	KERNEL=$KERNEL "$E2E/build-initrd.sh" x86_64 "$KEXEC" >/dev/null || { echo "bench-reload: build-initrd.sh failed" >&2; exit 2; }
	if [ $V = distro ]; then
		# the distro-sized kdump initrd, as /boot/initrd-kdump-distro.img (e2e_kinitrd=distro) in
		# a second newc cpio appended to the first kernel's initramfs (the kernel unpacks both)
		D=$E2E_WORK/$KERNEL/x86_64
		KERNEL=$KERNEL "$E2E/build-distro-initrd.sh" x86_64 "$D/initrd-kdump-distro.img" || { echo "bench-reload: build-distro-initrd.sh failed" >&2; exit 2; }
		rm -rf "$D/distro-root"; mkdir -p "$D/distro-root/boot"
		ln "$D/initrd-kdump-distro.img" "$D/distro-root/boot/" 2>/dev/null || cp "$D/initrd-kdump-distro.img" "$D/distro-root/boot/"
		(cd "$D/distro-root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) >> "$D/initrd.img"
		rm -rf "$D/distro-root"
	fi
	out=$E2E_WORK/logs/$KERNEL/bench-reload.out
	mkdir -p "$(dirname "$out")"
	echo "bench-reload: INITRD=$V: booting the guest (load average $(cut -d' ' -f1-3 /proc/loadavg))"
	KERNEL=$KERNEL MODE=bench HOTPLUG=1 BENCHN=$N CPU=max TIMEOUT=${TIMEOUT:-900} KINITRD=$KI \
		"$E2E/run-scenario.sh" bench-reload > "$out" 2>&1
	rc=$?
	grep -a '^E2E: bench\|^QMP: \|^E2E: HOTPLUG\|^RESULT' "$out" | grep -v '^QMP: .*qmp_capabilities' | sed 's/^/  /' | cut -c1-250
	line=$(grep -a -m1 '^E2E: BENCH ' "$out")
	[ -n "$line" ] || { echo "bench-reload: INITRD=$V: no result (rc=$rc, see $out)" >&2; allrc=1; continue; }
	v() { echo "$line" | sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }
	ms() { [ "$1" = fail ] && echo fail || awk -v u="$1" 'BEGIN {printf "%.1f", u / 1000}'; }
	ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (a + 0 > 0 && b + 0 > 0) printf "%.3f", a / b; else print "n/a"}'; }
	rl=$(v reload_us); pf=$(v peer_full_us); of=$(v ours_full_us)
	isz=$(grep -a -m1 '^E2E: bench: initrd ' "$out" | sed 's/^E2E: bench: initrd [^ ]* \([0-9]*\) bytes.*/\1/')
	echo "bench-reload: INITRD=$V ($(awk -v b="${isz:-0}" 'BEGIN {printf "%.1f MiB", b / 1048576}') kdump initrd), Debian $KERNEL guest ($(cat "$E2E_CACHE/$KERNEL/x86_64/kernel-package")), QEMU TCG -smp 2, after a 1 GiB pc-dimm hot-add; host load average now $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "  medians of $N runs, guest wall clock; same kernel and kdump initrd for all"
	printf '  %-64s %9s ms\n' "kexec --reload-elfcorehdr (ours, a real reload)" "$(ms "$rl")"
	printf '  %-64s %9s ms\n' "kexec --reload-elfcorehdr (ours, nothing changed)" "$(ms "$(v noop_us)")"
	printf '  %-64s %9s ms\n' "kexec -c -p (ours, full load)" "$(ms "$of")"
	printf '  %-64s %9s ms\n' "kexec -p -u && kexec -c -p (Debian kexec-tools 2.0.25)" "$(ms "$pf")"
	printf '  %-64s %9s ms\n' "   of which -p -u / -c -p" "$(ms "$(v peer_unload_us)") / $(ms "$(v peer_load_us)")"
	printf '  %-64s %9s ms\n' "kexec -i -c -p (Debian kexec-tools, no SHA-256; for the record)" "$(ms "$(v peer_nodigest_us)")"
	printf '  ratio reload / peer full:  %s   (target <= 0.10)\n' "$(ratio "$rl" "$pf")"
	printf '  ratio reload / ours full:  %s\n' "$(ratio "$rl" "$of")"
	printf '  ratio reload / peer -i:    %s\n' "$(ratio "$rl" "$(v peer_nodigest_us)")"
	echo "  one traced run each (ftrace; kexec_load = the syscall in the kernel):"
	grep -a '^E2E: bench trace ' "$out" | sed 's/^E2E: bench trace /    /' | cut -c1-250
	echo "  inside the reload's kexec_load (function_graph, callees >= 1 ms; the outermost line is the syscall):"
	grep -a '^E2E: bench kgraph ' "$out" | sed 's/^E2E: bench kgraph reload: /    /' | cut -c1-200
	[ "$(v fails)" = 0 ] && [ $rc = 0 ] || { echo "bench-reload: INITRD=$V: some runs failed (fails=$(v fails), scenario rc=$rc; log $out)" >&2; allrc=1; }
done
exit $allrc
