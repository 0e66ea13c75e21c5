#!/bin/sh
# /init of both initramfs images of the kexec-ng QEMU e2e tests (built by build-initrd.sh).
#
# The same script runs in three kernels:
#  * the kdump kernel (/proc/vmcore exists): verify /proc/vmcore with vmcore-check, power off;
#  * the kernel started by a normal kexec (e2e_rebooted=1 on its command line): report, power off;
#  * the first kernel: do what e2e_mode asks (below), which ends in a crash, a kexec or a power off.
#
# Options come from the kernel command line as e2e_<name>=<value> (no spaces; ',' becomes ' '):
#   e2e_mode=kdump     (default) load the crash kernel with the loader, panic via sysrq-c
#   e2e_mode=normal    LOADER -l the same kernel (+ initrd-kdump.img, e2e_rebooted=1), LOADER -e
#   e2e_mode=badinput  feed the loader bad input (table below); never loads anything
#   e2e_kflags=FLAGS   loader flags, e.g. -c (kexec_load) or -s (kexec_file_load)
#   e2e_timing=N       kdump mode: before the real load, time N loads (+ unloads) with
#                      /sbin/kexec-peer (Debian's kexec-tools, always -c) and N with the loader
#                      (-c), print "E2E: TIMING peer_ms=<median> ours_ms=<median>"
#   e2e_capture=NAME   kdump mode: run "LOADER --capture-root /tmp/cap", send the tree as
#                      tar.gz+base64 between "E2E: CAPTURE-BEGIN NAME …" and "E2E: CAPTURE-END"
#   e2e_dryrun=1       kdump mode: print "LOADER --dry-run" of the real load between
#                      "E2E: DRYRUN-BEGIN" and "E2E: DRYRUN-END rc=N"
#   e2e_debug=1        print kallsyms/kcore/vmcoreinfo/iomem facts of the first kernel
#   e2e_fullread=1     the kdump kernel also reads all of /proc/vmcore (slow under TCG)
# Lines the host runner (run-scenario.sh) looks at start with "E2E: " or are vmcore-check output
# between "E2E: VMCORE-CHECK-BEGIN/END". Pass lines: "KDUMP-OK …" (kdump),
# "E2E: KEXEC-REBOOT-OK …" (normal), "E2E: BADINPUT-ALL-OK" (badinput).
export PATH=/sbin:/bin:/usr/sbin:/usr/bin
/bin/busybox --install -s /bin 2>/dev/null
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
exec </dev/console >/dev/console 2>&1

for w in $(cat /proc/cmdline); do
	case "$w" in e2e_*=*) k=${w%%=*}; v=$(echo "${w#*=}" | tr , ' '); export "$k=$v";; esac
done
LOADER=/sbin/kexec
PEER=/sbin/kexec-peer
KERNEL=/boot/vmlinuz
KINITRD=/boot/initrd-kdump.img
KAPPEND="$(cat /etc/e2e/kdump-append) e2e_fullread=${e2e_fullread:-0}"

off() { poweroff -f; sleep 5; echo o > /proc/sysrq-trigger; }
die() { echo "E2E: FAIL: $*"; off; }
up() { cut -d' ' -f1 /proc/uptime; }
# printk to the console would interleave with multi-line output (plans, base64); mute it.
quiet() { PRINTK=$(cat /proc/sys/kernel/printk); echo 1 > /proc/sys/kernel/printk; }
unquiet() { echo "$PRINTK" > /proc/sys/kernel/printk; }

# ---------------------------------------------------------------- kdump kernel
if [ -e /proc/vmcore ]; then
	echo "E2E: KDUMP-KERNEL $(uname -r) $(uname -m) up $(up)s"
	grep "System RAM" /proc/iomem | sed 's/^/E2E: kdump-ram: /'
	grep MemTotal /proc/meminfo | sed 's/^/E2E: kdump-/'
	echo "E2E: cmdline: $(cat /proc/cmdline)"
	quiet
	echo "E2E: VMCORE-CHECK-BEGIN"
	/bin/vmcore-check -n 64 -f "E2E-MARKER-$e2e_token" ${e2e_mpa:+-a $e2e_mpa} /proc/vmcore; rc=$?
	echo "E2E: VMCORE-CHECK-END rc=$rc"
	unquiet
	if [ "${e2e_fullread:-0}" = 1 ]; then
		t0=$(up); n=$(dd if=/proc/vmcore bs=1M 2>/dev/null | wc -c); t1=$(up)
		echo "E2E: read $n bytes of /proc/vmcore ($t0 -> $t1 s)"
	fi
	[ $rc = 0 ] && echo "KDUMP-OK size=$(stat -c %s /proc/vmcore)" || echo "KDUMP-BAD rc=$rc"
	off
fi

# ---------------------------------------------------------------- kernel started by kexec -e
if [ "${e2e_rebooted:-0}" = 1 ]; then
	echo "E2E: KEXEC-REBOOT-OK $(uname -r) up $(up)s cmdline: $(cat /proc/cmdline)"
	off
fi

# ---------------------------------------------------------------- first kernel
echo "E2E: FIRST-KERNEL $(uname -r) $(uname -m) up $(up)s mode=${e2e_mode:-kdump}"
echo "E2E: cmdline: $(cat /proc/cmdline)"
sed 's/^/E2E: build-info: /' /etc/e2e/build-info 2>/dev/null
grep -i "crash kernel\|System RAM" /proc/iomem | sed 's/^/E2E: iomem: /'

if [ "${e2e_debug:-0}" = 1 ]; then
	quiet
	grep -wE "_text|_stext|_etext|_end|startup_64|phys_base" /proc/kallsyms | head -20 | sed 's/^/E2E: kallsyms: /'
	echo "E2E: vmcoreinfo: $(cat /sys/kernel/vmcoreinfo)"
	for c in /sys/devices/system/cpu/cpu[0-9]*; do
		echo "E2E: $c crash_notes=$(cat $c/crash_notes 2>&1) size=$(cat $c/crash_notes_size 2>&1)"
	done
	echo "E2E: cpu possible=$(cat /sys/devices/system/cpu/possible) present=$(cat /sys/devices/system/cpu/present)"
	ls /sys/kernel /sys/kernel/kexec /sys/devices/system/memory 2>&1 | tr '\n' ' ' | sed 's/^/E2E: ls: /'; echo
	ls -la /proc/kcore | sed 's/^/E2E: /'
	/bin/vmcore-check -v -n 200 /proc/kcore 2>&1 | sed 's/^/E2E: kcore: /'
	sed 's/^/E2E: iomem-full: /' /proc/iomem
	unquiet
fi

# ---------------------------------------------------------------- e2e_mode=badinput
# Each case must: exit non-zero, leave kexec_loaded and kexec_crash_loaded at 0, and print
# an error on stderr matching the case's key words (extended regex, case-insensitive).
#   case         input                                                      key words
#   truncated    -l, first 100 KiB of the bzImage                           bzImage|truncated|setup
#   notkernel    -l /bin/busybox (a static ELF program, not a kernel)      not a kernel|Cannot determine
#   longcmdline  -l, --append of 3000 chars (> the bzImage's cmdline_size)  command line|cmdline
#   nocrash      -p with a good kernel, booted without crashkernel=         crashkernel|Crash kernel
if [ "${e2e_mode:-}" = badinput ]; then
	if grep -qi "crash kernel" /proc/iomem; then die "badinput mode needs a guest without crashkernel="; fi
	nbad=0
	bad() { # NAME REGEX CMD...
		name=$1 re=$2; shift 2
		echo "E2E: badinput-run $name: $*" | cut -c1-200
		"$@" >/tmp/bad.out 2>/tmp/bad.err; rc=$?
		l=$(cat /sys/kernel/kexec_loaded); c=$(cat /sys/kernel/kexec_crash_loaded)
		loaded=0; [ "$l" = 0 ] && [ "$c" = 0 ] || loaded=1
		echo "E2E: BADINPUT $name rc=$rc loaded=$loaded msg=$(head -n1 /tmp/bad.err | cut -c1-300)"
		head -n 8 /tmp/bad.err | sed "s/^/E2E: badinput-stderr $name: /" | cut -c1-300
		why=""
		[ $rc != 0 ] || why="$why exit-status-0"
		[ $loaded = 0 ] || why="$why image-loaded(kexec_loaded=$l,kexec_crash_loaded=$c)"
		grep -qiE "$re" /tmp/bad.err || why="$why stderr-lacks-/$re/"
		if [ -z "$why" ]; then echo "E2E: BADINPUT-CASE-OK $name"
		else echo "E2E: BADINPUT-CASE-BAD $name:$why"; nbad=$((nbad+1)); fi
		# leave a clean state for the next case
		[ "$l" = 0 ] || $LOADER -u >/dev/null 2>&1
		[ "$c" = 0 ] || $LOADER -p -u >/dev/null 2>&1
	}
	head -c 102400 $KERNEL > /tmp/truncated.bzImage
	long=$(i=0; while [ $i -lt 250 ]; do printf 'e2e_pad%04d ' $i; i=$((i+1)); done)
	bad truncated   'bzImage|truncated|setup' \
		$LOADER $e2e_kflags -l /tmp/truncated.bzImage --initrd=$KINITRD --append="console=ttyS0"
	bad notkernel   'not a kernel|Cannot determine' \
		$LOADER $e2e_kflags -l /bin/busybox --append="console=ttyS0"
	bad longcmdline 'command line|cmdline' \
		$LOADER $e2e_kflags -l $KERNEL --initrd=$KINITRD --append="console=ttyS0 $long"
	bad nocrash     'crashkernel|Crash kernel' \
		$LOADER $e2e_kflags -p $KERNEL --initrd=$KINITRD --append="$KAPPEND"
	[ $nbad = 0 ] && echo "E2E: BADINPUT-ALL-OK" || echo "E2E: BADINPUT-FAILED $nbad case(s)"
	off
fi

# ---------------------------------------------------------------- e2e_mode=normal
if [ "${e2e_mode:-}" = normal ]; then
	CON=$(sed -n 's/.*\(console=[^ ]*\).*/\1/p' /proc/cmdline)
	echo "E2E: loading: $LOADER $e2e_kflags -l $KERNEL --initrd=$KINITRD --append=\"$CON panic=-1 e2e_rebooted=1\""
	$LOADER $e2e_kflags -l $KERNEL --initrd=$KINITRD --append="$CON panic=-1 e2e_rebooted=1" || die "kexec -l failed rc=$?"
	echo "E2E: kexec -l rc=0 kexec_loaded=$(cat /sys/kernel/kexec_loaded)"
	[ "$(cat /sys/kernel/kexec_loaded)" = 1 ] || die "kexec -l returned 0 but kexec_loaded=0"
	echo "E2E: kexec -e"
	$LOADER -e; die "kexec -e returned rc=$?"
fi

# ---------------------------------------------------------------- e2e_mode=kdump (default)
[ "$(grep -ci 'crash kernel' /proc/iomem)" -ge 1 ] || die "no Crash kernel range in /proc/iomem"
token=$(tr -d - < /proc/sys/kernel/random/uuid)
# The marker goes at the start of a locked page whose physical address comes from
# /proc/self/pagemap; the kdump kernel must find exactly that string at exactly that physical
# address in /proc/vmcore. Only the token (not the marker string) is on the kdump command line.
/bin/marker-pin "E2E-MARKER-$token" /root/marker.paddr &
i=0; while [ ! -s /root/marker.paddr ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
mpa=$(cat /root/marker.paddr 2>/dev/null)
echo "E2E: marker page at paddr ${mpa:-unknown}"
APPEND="$KAPPEND e2e_token=$token${mpa:+ e2e_mpa=$mpa}"

if [ -n "${e2e_capture:-}" ]; then
	rm -rf /tmp/cap
	echo "E2E: capture: $LOADER --capture-root /tmp/cap"
	$LOADER --capture-root /tmp/cap >/tmp/cap.out 2>/tmp/cap.err; rc=$?
	if [ $rc != 0 ] || [ -z "$(ls -A /tmp/cap 2>/dev/null)" ]; then
		echo "E2E: CAPTURE-FAILED $e2e_capture rc=$rc msg=$(head -n1 /tmp/cap.err | cut -c1-300)"
	else
		(cd /tmp/cap && find . -type f | sort | xargs ls -ln) | awk '{print "E2E: capture-file: " $5 " " $9}'
		tar -czf /tmp/cap.tgz -C /tmp/cap . 2>/tmp/cap.err
		sz=$(stat -c %s /tmp/cap.tgz)
		if [ "$sz" -gt 8388608 ]; then
			echo "E2E: CAPTURE-FAILED $e2e_capture tarball too big ($sz bytes > 8 MiB)"
		else
			quiet
			echo "E2E: CAPTURE-BEGIN $e2e_capture size=$sz sha256=$(sha256sum /tmp/cap.tgz | cut -d' ' -f1)"
			base64 /tmp/cap.tgz
			echo "E2E: CAPTURE-END"
			unquiet
		fi
	fi
fi

median3() { sort -n | awk '{a[NR]=$1} END {if (NR==0) print "fail"; else print a[int((NR+1)/2)]}'; }
if [ "${e2e_timing:-0}" -gt 0 ]; then
	for who in peer ours; do
		[ $who = peer ] && L=$PEER || L=$LOADER
		: > /tmp/times.$who
		i=0
		while [ $i -lt $e2e_timing ]; do
			/bin/timeit /tmp/t.us $L -c -p $KERNEL --initrd=$KINITRD --append="$APPEND" >/tmp/t.out 2>&1; rc=$?
			cl=$(cat /sys/kernel/kexec_crash_loaded)
			echo "E2E: timing $who run $i: rc=$rc kexec_crash_loaded=$cl $(cat /tmp/t.us) us"
			[ $rc = 0 ] && [ "$cl" = 1 ] && cat /tmp/t.us >> /tmp/times.$who ||
				head -n 3 /tmp/t.out | sed "s/^/E2E: timing $who output: /"
			$L -p -u >/dev/null 2>&1 || $PEER -p -u >/dev/null 2>&1
			i=$((i+1))
		done
	done
	pm=$(median3 < /tmp/times.peer); om=$(median3 < /tmp/times.ours)
	ms() { [ "$1" = fail ] && echo fail || awk -v u="$1" 'BEGIN {printf "%.1f", u / 1000}'; }
	echo "E2E: TIMING peer_ms=$(ms $pm) ours_ms=$(ms $om) n=$e2e_timing"
	[ "$(cat /sys/kernel/kexec_crash_loaded)" = 0 ] || die "crash image still loaded after timing runs"
fi

if [ "${e2e_dryrun:-0}" = 1 ]; then
	quiet
	echo "E2E: DRYRUN-BEGIN $LOADER $e2e_kflags --dry-run -p $KERNEL --initrd=$KINITRD --append=\"$APPEND\""
	$LOADER $e2e_kflags --dry-run -p $KERNEL --initrd=$KINITRD --append="$APPEND" 2>&1; rc=$?
	echo "E2E: DRYRUN-END rc=$rc kexec_crash_loaded=$(cat /sys/kernel/kexec_crash_loaded)"
	unquiet
	# a --dry-run must not load anything
	[ "$(cat /sys/kernel/kexec_crash_loaded)" = 0 ] || { echo "E2E: DRYRUN-LOADED-AN-IMAGE"; $LOADER -p -u; }
fi

echo "E2E: loading: $LOADER $e2e_kflags -p $KERNEL --initrd=$KINITRD --append=\"$APPEND\""
t0=$(up)
$LOADER $e2e_kflags -p $KERNEL --initrd=$KINITRD --append="$APPEND"
rc=$?
t1=$(up)
echo "E2E: loader rc=$rc ($t0 -> $t1 s) kexec_crash_loaded=$(cat /sys/kernel/kexec_crash_loaded) kexec_crash_size=$(cat /sys/kernel/kexec_crash_size)"
[ $rc = 0 ] || die "loader failed rc=$rc"
[ "$(cat /sys/kernel/kexec_crash_loaded)" = 1 ] || die "loader returned 0 but kexec_crash_loaded=0"

echo "E2E: TRIGGER-PANIC"
echo 1 > /proc/sys/kernel/sysrq
echo c > /proc/sysrq-trigger
die "still alive after sysrq-c"
