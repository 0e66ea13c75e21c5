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
#   e2e_mode=lockdown  the kernel runs with lockdown=confidentiality: LOADER -p must fail, load
#                      nothing, and say "lockdown" and "signature" (not /proc/kcore) on stderr;
#                      Debian's kexec-tools is run the same way for the record (table below)
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
#   e2e_kinitrd=V      the kdump kernel's initramfs: /boot/initrd-kdump-V.img (gzip2: two gzip
#                      members, concat: early cpio + zstd cpio) instead of /boot/initrd-kdump.img;
#                      its parts (e2e_parts=…) must all be present in the kdump kernel
#   e2e_need2=acpi,efi the kdump / kexec'd kernel must have found ACPI tables (RSDP) and/or EFI
#                      (passed on to it as e2e_need=…; it prints E2E: FW-BAD … otherwise)
#   e2e_kextra=WORDS   more words for the kdump / kexec'd kernel's command line
#   e2e_hidekcore=1    kdump mode: bind-mount an empty file over /proc/kcore before any load
#   e2e_preload=FLAGS  kdump mode: first LOADER FLAGS -p (must load), then LOADER -p -u, then
#                      the real load
#   e2e_ldebug=1       kdump mode: the pre-load and the real load run with -d; their stderr is
#                      printed as "E2E: loader-d <label>: …"
#   e2e_hotplug=1      kdump mode, memory hot-add (QEMU -m 1G,slots=4,maxmem=4G + QMP, see
#                      run-scenario.sh HOTPLUG=1): after the load print "E2E: READY-FOR-HOTPLUG",
#                      wait until the host's pc-dimm shows up as a new System RAM range in
#                      /proc/iomem, online all its memory blocks (online_movable), put a second
#                      marker into a page inside that range (marker-pin), then e2e_reload, crash.
#                      The kdump kernel checks both markers and that the vmcore covers the range
#                      (vmcore-check -h), and prints MemTotal / System RAM for the host's check
#   e2e_reload=MODE    after the hot-add: none (default: leave the header to the kernel, or
#                      stale), reload (LOADER -d --reload-elfcorehdr, must exit 0), relink (the
#                      same, and its stderr must mention the relink fallback), full (LOADER -p -u,
#                      then the same load again: what distros do today; for comparison)
#   e2e_hpkernel=on    the kernel must rewrite the header itself: memory/crash_hotplug must read 1
#                      after the load and kdump-elf show --state must say "rewritten by the
#                      kernel" after the hot-add (else E2E: HPKERNEL-NOT-ARMED / -NOT-REWRITTEN)
#   e2e_slots=used     load with --elfcorehdr-slots=N, N = elfcorehdr.phnum of the loader's own
#                      --dry-run --json of the same load (a header with no spare slot)
#   e2e_hpexpect=absent  the vmcore must NOT cover the hot-added range (default: present)
#   e2e_capture2=NAME  hotplug: a second capture after the hot-add (e2e_capture is then taken
#                      right after the load instead of before it)
#   e2e_mode=nofile    the kernel has no kexec_file_load (Debian's arm64 kernels): LOADER KFLAGS -p
#                      (KFLAGS -s) must exit non-zero, load nothing, and name kexec_file_load or
#                      ENOSYS on stderr ("E2E: NOFILE-OK" / "E2E: NOFILE-BAD: why")
#   e2e_modules=1      first kernel: insmod /lib/modules/<m>.ko for each line of /etc/e2e/modules
#                      (virtio_pci, virtio_mem and their dependencies; the virtio-mem hot-add)
#   e2e_kallsyms_fix=1 first kernel, arm64, a HARNESS CHECK for Debian's kexec-tools 2.0.25 only:
#                      bind-mount a copy of /proc/kallsyms with "_text = _stext - 64K" added over
#                      it (without _text in kallsyms, KALLSYMS_ALL=n, 2.0.25 writes a broken
#                      vmcore header). Never for our loader.
#   e2e_iomem_fix=1    hot-add, a HARNESS CHECK for Debian's kexec-tools only: before the reload,
#                      bind-mount a copy of /proc/iomem in which "System RAM (virtio_mem)" reads
#                      "System RAM" (its arm64 code dumps nothing else), so the positive path of
#                      the virtio-mem check can be seen with the peer. Never for our loader.
#   e2e_cma=sysfs      kdump mode, crash CMA (kexec -p --crash-cma): the ranges the kernel reserved
#                      (crashkernel=…,cma) from /sys/kernel/kexec/crash_cma_ranges (or the old
#                      /sys/kernel/kexec_crash_cma_ranges) are printed ("E2E: CMA-RANGES …"), the
#                      marker page is kept out of them (marker-pin MARKER_AVOID), and the loader
#                      gets --crash-cma
#   e2e_cma=explicit   the same with --crash-cma=START-END: a block of e2e_cmasize MiB (default
#                      256), 2 MiB aligned, the highest one inside a top-level "System RAM" line
#                      of /proc/iomem that overlaps no other line (kernel code/data/bss, Crash
#                      kernel, reserved, …) nor the marker page. For kernels without crash CMA:
#                      the first kernel keeps using that memory, so this tests only the loader
#   e2e_cmaexp=excluded (default) the kdump kernel must get every range as RAM (/proc/iomem
#                      System RAM covers it, MemTotal >= crash region + CMA - slack, see
#                      cma_kdump) and no vmcore PT_LOAD may overlap it (vmcore-check -c);
#                      the loader must not say it left a range out
#   e2e_cmaexp=dumped  the loader must say it left the range(s) out (an arm64 kdump kernel
#                      before 7.3 reads only 2 linux,usable-memory-range entries): the kdump
#                      kernel must NOT have them as RAM, MemTotal must fit the crash region(s)
#                      + 4 MiB, and the vmcore must cover them whole (vmcore-check -c -C)
#                      (passed on to the kdump kernel with e2e_cmar=START-END,… and e2e_ckkb=
#                      the crash region(s) in KiB)
#   e2e_mode=bench     memory hot-add as above (no marker, no crash), then run
#                      /bin/bench-reload --guest (bench/bench-reload.sh), then power off
# Every first kernel prints "E2E: LOADER-RUNS" right before it runs any loader (ours or the peer)
# for the first time: a failure before that line is not the loader's (run-e2e.sh retries such
# boots once). All kernels print "E2E: fw: …" lines (EFI systab, runtime-map, boot_params'
# acpi_rsdp_addr, the RSDP the kernel found).
# Lines the host runner (run-scenario.sh) looks at start with "E2E: " or are vmcore-check output
# between "E2E: VMCORE-CHECK-BEGIN/END". Pass lines: "KDUMP-OK …" (kdump),
# "E2E: KEXEC-REBOOT-OK …" (normal), "E2E: BADINPUT-ALL-OK" (badinput), "E2E: LOCKDOWN-OK".
export PATH=/sbin:/bin:/usr/sbin:/usr/bin
/bin/busybox --install -s /bin 2>/dev/null
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd   # what udev would provide
mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
exec </dev/console >/dev/console 2>&1

for w in $(cat /proc/cmdline); do
	case "$w" in e2e_*=*) k=${w%%=*}; v=$(echo "${w#*=}" | tr , ' '); export "$k=$v";; esac
done
LOADER=/sbin/kexec
PEER=/sbin/kexec-peer
KERNEL=/boot/vmlinuz
KINITRD=/boot/initrd-kdump.img
KAPPEND="$(cat /etc/e2e/kdump-append) e2e_fullread=${e2e_fullread:-0}"
# what the kdump / kexec'd kernel gets on top of its base command line
NEXT=""
[ -n "${e2e_need2:-}" ] && NEXT="$NEXT e2e_need=$(echo $e2e_need2 | tr ' ' ,)"
[ -n "${e2e_kextra:-}" ] && NEXT="$NEXT $e2e_kextra"
case ${e2e_kinitrd:-} in
"") ;;
gzip2)  KINITRD=/boot/initrd-kdump-gzip2.img;  NEXT="$NEXT e2e_parts=gz1,gz2" ;;
concat) KINITRD=/boot/initrd-kdump-concat.img; NEXT="$NEXT e2e_parts=early,main" ;;
*)      KINITRD=/boot/initrd-kdump-$e2e_kinitrd.img ;;
esac
KAPPEND="$KAPPEND$NEXT"

# Without ACPI (e.g. a kexec'd kernel that did not find the RSDP) poweroff halts forever:
# reboot instead, which QEMU's -no-reboot also turns into an exit.
off() {
	if [ -e /sys/firmware/acpi/tables/FACP ]; then poweroff -f
	else echo "E2E: no ACPI tables: reboot -f instead of poweroff"; reboot -f; fi
	sleep 5; echo b > /proc/sysrq-trigger
}
die() { echo "E2E: FAIL: $*"; off; }
up() { cut -d' ' -f1 /proc/uptime; }
# printk to the console would interleave with multi-line output (plans, base64); mute it.
quiet() { PRINTK=$(cat /proc/sys/kernel/printk); echo 1 > /proc/sys/kernel/printk; }
unquiet() { echo "$PRINTK" > /proc/sys/kernel/printk; }
LR=""
loader_runs() { [ -n "$LR" ] || { LR=1; echo "E2E: LOADER-RUNS"; }; }

# Firmware facts: EFI (systab, runtime map), the ACPI RSDP in boot_params and the one found.
fw_facts() { # WHO
	efi=no; [ -d /sys/firmware/efi ] && efi=yes
	rmap=no; [ -d /sys/firmware/efi/runtime-map ] && rmap="yes($(ls /sys/firmware/efi/runtime-map | wc -l)-entries)"
	acpi=no; [ -e /sys/firmware/acpi/tables/FACP ] && acpi=yes
	bp=$(od -An -tx1 -j112 -N8 /sys/kernel/boot_params/data 2>/dev/null |
		awk '{for (i = NF; i >= 1; i--) s = s $i} END {sub(/^0+/, "", s); print "0x" (s == "" ? "0" : s)}')
	rs=$(dmesg | grep -m1 'ACPI: RSDP 0x' | sed 's/.*ACPI: RSDP \(0x[0-9A-Fa-f]*\).*/\1/')
	[ -n "$rs" ] || rs=$(dmesg | grep -m1 -o 'A valid RSDP was not found' | tr ' ' -)
	echo "E2E: fw: $1 efi=$efi runtime-map=$rmap acpi=$acpi boot_params.acpi_rsdp_addr=$bp rsdp-found=${rs:-none}"
	[ -r /sys/firmware/efi/systab ] && echo "E2E: fw: $1 systab: $(tr '\n' ' ' < /sys/firmware/efi/systab)"
	dmesg | grep -m1 'efi: EFI v' | sed "s/^/E2E: fw: $1 dmesg: /"
	grep -o 'acpi_rsdp=[^ ]*\|efi=[^ ]*\|noefi' /proc/cmdline | sed "s/^/E2E: fw: $1 cmdline: /"
}
# e2e_need=acpi,efi (on a kdump / kexec'd kernel's command line): prints FW-OK or FW-BAD
fw_need() {
	bad=""
	for n in ${e2e_need:-}; do case $n in
		acpi) [ -e /sys/firmware/acpi/tables/FACP ] || bad="$bad no-ACPI-tables(RSDP-not-found)" ;;
		efi)  [ -d /sys/firmware/efi ] || bad="$bad no-EFI(/sys/firmware/efi-missing)" ;;
	esac; done
	if [ -n "$bad" ]; then echo "E2E: FW-BAD$bad"; return 1; fi
	[ -n "${e2e_need:-}" ] && echo "E2E: FW-OK ${e2e_need}"
	return 0
}

# Crash CMA. Top-level "System RAM" lines of /proc/iomem as START-END (hex, inclusive).
topram() { sed -n 's/^\([0-9a-f]*-[0-9a-f]*\) : System RAM$/\1/p' /proc/iomem; }
# The kdump kernel's side (e2e_cmar=START-END,… e2e_cmaexp e2e_ckkb): RAM and MemTotal checks
# here, the PT_LOAD check by vmcore-check (CMAARGS). MemTotal slack: what the kdump kernel
# does not count of its RAM: its own image (text/data/bss, ~30-60 MiB), swiotlb (64 MiB on
# x86; arm64 too once it has RAM above 4 GiB), the memmap (1/64 of its RAM with 4 KiB
# pages), the crash header and small early reservations. With only a 256 MiB region the kdump
# kernels show MemTotal 200-223 MiB (Dec 2026: x86 6.1 207804 kB, 7.3 208300 kB; arm64 6.1
# 228464 kB, 7.3 205180 kB), i.e. 33-56 MiB less; with 2.5 GiB of CMA on arm64 7.3, 171 MiB
# less. So slack = 160 MiB + 1/32 of (region + CMA), still below every CMA size used here
# (>= 256 MiB): a kdump kernel without the CMA memory cannot pass.
cma_kdump() {
	exp=${e2e_cmaexp:-excluded}; cbad=""; tot=0
	for r in $e2e_cmar; do
		a=$((0x${r%-*})); b=$((0x${r#*-})); tot=$((tot + b - a + 1)); cov=0
		for l in $(topram); do
			x=$((0x${l%-*})); y=$((0x${l#*-}))
			[ $x -le $b ] && [ $y -ge $a ] || continue
			lo=$((x > a ? x : a)); hi=$((y < b ? y : b)); cov=$((cov + hi - lo + 1))
		done
		echo "E2E: CMA-RAM $r: $((cov >> 20)) of $(((b - a + 1) >> 20)) MiB are System RAM in the kdump kernel (expect $exp)"
		if [ "$exp" = dumped ]; then [ $cov = 0 ] || cbad="$cbad $r-is-RAM"
		else [ $cov = $((b - a + 1)) ] || cbad="$cbad $r-not-(all)-RAM"; fi
		CMAARGS="$CMAARGS -c $r"
	done
	[ "$exp" = dumped ] && CMAARGS="$CMAARGS -C"
	mt=$(awk '/MemTotal/ {print $2}' /proc/meminfo); ck=${e2e_ckkb:-0}; ckb=$((ck * 1024))
	if [ "$exp" = dumped ]; then
		lim=$((ck + 4096))
		[ "$mt" -le $lim ] || cbad="$cbad MemTotal-${mt}kB>crash-region+4MiB(${lim}kB)"
		how="<= ${lim} kB (crash region(s) + 4 MiB)"
	else
		slack=$(( (160 << 20) + (ckb + tot) / 32 ))
		lim=$(( (ckb + tot - slack) / 1024 ))
		[ "$mt" -ge $lim ] || cbad="$cbad MemTotal-${mt}kB<${lim}kB"
		[ "$mt" -gt $ck ] || cbad="$cbad MemTotal-${mt}kB-not-above-the-crash-region(${ck}kB)"
		how=">= ${lim} kB (crash region(s) + CMA - slack $((slack >> 20)) MiB) and > ${ck} kB"
	fi
	echo "E2E: CMA-MEMTOTAL kdump MemTotal=$mt kB; crash region(s) $((ck >> 10)) MiB, CMA $((tot >> 20)) MiB; want $how"
	if [ -n "$cbad" ]; then echo "E2E: CMA-BAD:$cbad"; return 1; fi
	echo "E2E: CMA-RAM-OK expect=$exp"
}
# The first kernel's explicit range (e2e_cma=explicit): SIZE_MiB AVOID_PADDR -> "START-END"
pick_cma() {
	sz=$(($1 << 20)); best=""
	grep -v '^[0-9a-f]*-[0-9a-f]* : System RAM$' /proc/iomem |
		sed -n 's/^ *\([0-9a-f]*\)-\([0-9a-f]*\) : .*/\1 \2/p' > /tmp/obst
	[ -n "${2:-}" ] && printf '%x %x\n' $(($2)) $(($2 + 65535)) >> /tmp/obst
	for r in $(topram); do
		lo=$((0x${r%-*})); top=$((0x${r#*-} + 1))
		while [ $top -ge $((lo + sz)) ]; do
			st=$(( (top - sz) & ~0x1fffff )); [ $st -ge $lo ] || break
			en=$((st + sz - 1)); hit=""
			while read oa ob; do
				oa=$((0x$oa)); ob=$((0x$ob))
				if [ $oa -le $en ] && [ $ob -ge $st ]; then hit=$oa; break; fi
			done < /tmp/obst
			[ -z "$hit" ] && { best=$(printf '%x-%x' $st $en); break; }
			top=$hit
		done
	done
	echo "$best"
}

# ---------------------------------------------------------------- kdump kernel
if [ -e /proc/vmcore ]; then
	echo "E2E: KDUMP-KERNEL $(uname -r) $(uname -m) up $(up)s"
	grep "System RAM" /proc/iomem | sed 's/^/E2E: kdump-ram: /'
	grep MemTotal /proc/meminfo | sed 's/^/E2E: kdump-/'
	# the e820 map the loader (or the kernel, for kexec_file_load) handed over (x86 only)
	for d in /sys/firmware/memmap/*; do
		[ -e "$d/type" ] && echo "E2E: kdump-memmap: $(cat $d/start)-$(cat $d/end) $(cat $d/type)"
	done
	echo "E2E: cmdline: $(cat /proc/cmdline)"
	fw_facts kdump
	fw_need; fwrc=$?
	prc=0
	if [ -n "${e2e_parts:-}" ]; then
		echo "E2E: initrd-parts: $(cd /etc/e2e && ls part-* 2>/dev/null | sed 's/^part-//' | tr '\n' ' ')(want: $e2e_parts)"
		miss=""; for p in $e2e_parts; do [ -e /etc/e2e/part-$p ] || miss="$miss $p"; done
		[ -z "$miss" ] || { echo "E2E: INITRD-PARTS-MISSING$miss"; prc=1; }
	fi
	[ -x /bin/vmcore-check ] || echo "E2E: /bin/vmcore-check missing from the kdump initramfs"
	CMAARGS=""; cmarc=0
	[ -n "${e2e_cmar:-}" ] && { cma_kdump || cmarc=1; }
	quiet
	echo "E2E: VMCORE-CHECK-BEGIN"
	HPARGS=""
	if [ -n "${e2e_token2:-}" ]; then
		HPARGS="-h $e2e_token2"; [ "${e2e_hpexpect:-present}" = absent ] && HPARGS="$HPARGS -x"
	fi
	/bin/vmcore-check -n 64 -f "E2E-MARKER-$e2e_token" ${e2e_mpa:+-a $e2e_mpa} $HPARGS $CMAARGS /proc/vmcore; rc=$?
	echo "E2E: VMCORE-CHECK-END rc=$rc"
	unquiet
	if [ $rc != 0 ]; then   # the kernel's side of a failed read (printk was muted)
		{ dmesg | sed -n '/cut here/,/end trace/p' | head -n 30; dmesg | tail -n 6; } | awk '!seen[$0]++' |
			sed 's/^/E2E: kdump-dmesg: /' | cut -c1-250
	fi
	if [ "${e2e_fullread:-0}" = 1 ]; then
		t0=$(up); n=$(dd if=/proc/vmcore bs=1M 2>/dev/null | wc -c); t1=$(up)
		echo "E2E: read $n bytes of /proc/vmcore ($t0 -> $t1 s)"
	fi
	if [ $rc = 0 ] && [ $fwrc = 0 ] && [ $prc = 0 ] && [ $cmarc = 0 ]; then echo "KDUMP-OK size=$(stat -c %s /proc/vmcore)"
	else echo "KDUMP-BAD rc=$rc fw=$fwrc parts=$prc cma=$cmarc"; fi
	off
fi

# ---------------------------------------------------------------- kernel started by kexec -e
if [ "${e2e_rebooted:-0}" = 1 ]; then
	fw_facts rebooted
	if fw_need; then echo "E2E: KEXEC-REBOOT-OK $(uname -r) up $(up)s cmdline: $(cat /proc/cmdline)"
	else echo "E2E: KEXEC-REBOOT-BAD $(uname -r) up $(up)s: firmware facts missing"; fi
	off
fi

# ---------------------------------------------------------------- first kernel
# kexec records a crash load's state in /run/kexec-ng (what --reload-elfcorehdr reuses)
mkdir -p /run && mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs /run
echo "E2E: FIRST-KERNEL $(uname -r) $(uname -m) up $(up)s mode=${e2e_mode:-kdump}"
echo "E2E: cmdline: $(cat /proc/cmdline)"
sed 's/^/E2E: build-info: /' /etc/e2e/build-info 2>/dev/null
grep -i "crash kernel\|System RAM" /proc/iomem | sed 's/^/E2E: iomem: /'
fw_facts first

if [ "${e2e_modules:-0}" = 1 ]; then
	for m in $(cat /etc/e2e/modules 2>/dev/null); do
		insmod /lib/modules/$m.ko 2>/tmp/insmod.err && echo "E2E: insmod $m ok" ||
			die "insmod $m failed: $(head -n1 /tmp/insmod.err)"
	done
	[ -s /etc/e2e/modules ] || echo "E2E: insmod: no modules in /etc/e2e/modules (all built in)"
fi
if [ "${e2e_kallsyms_fix:-0}" = 1 ] && ! grep -q ' _text$' /proc/kallsyms; then
	# harness check with Debian's kexec-tools only: it needs _text, arm64 _text = _stext - 64K
	st=$(grep ' _stext$' /proc/kallsyms | cut -d' ' -f1)
	{ printf '%016x T _text\n' $((0x$st - 0x10000)); cat /proc/kallsyms; } > /root/kallsyms
	mount --bind /root/kallsyms /proc/kallsyms && echo "E2E: kallsyms-fix: $(grep -m1 ' _text$' /proc/kallsyms) (harness check for Debian's kexec-tools)"
fi

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

# ---------------------------------------------------------------- memory hot-add (e2e_hotplug=1, e2e_mode=bench)
MEMSYS=/sys/devices/system/memory
rdf() { cat "$1" 2>/dev/null || echo absent; }
hp_facts() { # LABEL: what the kernel says about crash hotplug right now
	echo "E2E: hotplug-facts $1: memory/crash_hotplug=$(rdf $MEMSYS/crash_hotplug)" \
		"cpu/crash_hotplug=$(rdf /sys/devices/system/cpu/crash_hotplug)" \
		"crash_elfcorehdr_size=$(rdf /sys/kernel/crash_elfcorehdr_size)" \
		"kexec_crash_loaded=$(cat /sys/kernel/kexec_crash_loaded)" \
		"state=$(ls /run/kexec-ng 2>/dev/null | tr '\n' ,)"
}
show_state() { # LABEL: kdump-elf show --state (the loaded header: used/capacity, who wrote it)
	[ -x /sbin/kdump-elf ] || return 0
	/sbin/kdump-elf show --state >/tmp/ss.out 2>&1; ssrc=$?
	grep -v '^ *$' /tmp/ss.out | head -n 20 | sed "s/^/E2E: show-state $1: /" | cut -c1-250
	echo "E2E: show-state $1 rc=$ssrc"
}
# Wait for the host's pc-dimm (QMP device_add after READY-FOR-HOTPLUG), online all of its
# memory blocks as movable, and set HP_START / HP_END (hex, end exclusive) to its range.
# System RAM lines of /proc/iomem, indentation stripped: top-level "System RAM" (a pc-dimm) and
# the nested "System RAM (virtio_mem)" a virtio-mem device's plugged memory shows up as
ramlines() { sed -n 's/^ *\([0-9a-f]*-[0-9a-f]* : System RAM\( (virtio_mem)\)\{0,1\}\)$/\1/p' /proc/iomem; }
hot_add() {
	bsz=$(cat $MEMSYS/block_size_bytes)
	bs=$((0x$bsz))
	echo "E2E: memory blocks: block_size_bytes=0x$bsz, $(ls -d $MEMSYS/memory[0-9]* | wc -l) blocks, MemTotal $(awk '/MemTotal/ {print $2}' /proc/meminfo) kB"
	ramlines > /tmp/ram.before
	echo "E2E: READY-FOR-HOTPLUG up $(up)s"
	i=0; new=""
	while [ $i -lt $((${e2e_hpwait:-60} * 5)) ]; do
		ramlines > /tmp/ram.now
		new=$(grep -vxF -f /tmp/ram.before /tmp/ram.now)
		[ -n "$new" ] && break
		sleep 0.2; i=$((i+1))
	done
	[ -n "$new" ] || die "no new System RAM range in /proc/iomem ${e2e_hpwait:-60}s after READY-FOR-HOTPLUG (did the host's QMP hot-add fail?)"
	# virtio-mem adds its memory block by block: wait until the new ranges stay the same for 1 s
	i=0; same=0
	while [ $same -lt 5 ] && [ $i -lt 100 ]; do
		sleep 0.2; i=$((i+1))
		ramlines > /tmp/ram.now
		n2=$(grep -vxF -f /tmp/ram.before /tmp/ram.now)
		if [ "$n2" = "$new" ]; then same=$((same+1)); else same=0; new=$n2; fi
	done
	r=$(echo "$new" | head -n1 | cut -d' ' -f1)
	HP_START=${r%-*}; HP_END=$(printf '%x' $((0x${r#*-} + 1)))
	[ "$(echo "$new" | wc -l)" = 1 ] || echo "E2E: more than one new System RAM range: $(echo $new)"
	echo "E2E: HOTPLUG-RAM-ADDED $r ($(( (0x$HP_END - 0x$HP_START) >> 20 )) MiB) up $(up)s"
	first=$((0x$HP_START / bs)); last=$((0x$HP_END / bs - 1)); i=0
	while :; do
		nonl=0; how=""
		for n in $(seq $first $last); do
			st=$MEMSYS/memory$n/state
			[ -e $st ] || { nonl=$((nonl+1)); continue; }
			[ "$(cat $st)" = online ] && continue
			nonl=$((nonl+1))
			echo online_movable > $st 2>/dev/null || echo online > $st 2>/dev/null
		done
		[ $nonl = 0 ] && break
		i=$((i+1)); [ $i -lt 100 ] || die "memory blocks $first..$last of the hot-added range: $nonl not online after 20 s"
		sleep 0.2
	done
	zones=$(for n in $(seq $first $last); do cat $MEMSYS/memory$n/valid_zones 2>/dev/null | cut -d' ' -f1; done | sort | uniq -c | tr -s ' \n' '  ')
	echo "E2E: HOTPLUG-ONLINE memory$first..memory$last online (zones:$zones) MemTotal $(awk '/MemTotal/ {print $2}' /proc/meminfo) kB up $(up)s"
	grep -i "System RAM\|Crash kernel" /proc/iomem | sed 's/^/E2E: iomem-after: /'
}
# Put the second marker into a page inside [HP_START, HP_END) (marker-pin, started with the
# request files); its paddr goes to the kdump kernel through the first marker page.
hp_marker() {
	echo "$HP_START $HP_END E2E-HPMARKER-$token2" > /root/hp.req.tmp && mv /root/hp.req.tmp /root/hp.req
	i=0; while [ ! -s /root/hp.out ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i+1)); done
	o=$(cat /root/hp.out 2>/dev/null)
	case $o in
	0x*) HP_MPA=${o%% *}; echo "E2E: HP-MARKER page at paddr $HP_MPA in [0x$HP_START, 0x$HP_END) (after ${o#* } MiB of other pages)" ;;
	*) die "the marker in the hot-added memory: ${o:-marker-pin gave no answer}" ;;
	esac
}

# ---------------------------------------------------------------- e2e_mode=bench (bench/bench-reload.sh)
if [ "${e2e_mode:-}" = bench ]; then
	[ "$(grep -ci 'crash kernel' /proc/iomem)" -ge 1 ] || die "no Crash kernel range in /proc/iomem"
	[ -x /bin/bench-reload ] || die "/bin/bench-reload missing from the initramfs"
	cp /proc/iomem /tmp/iomem.before
	hot_add
	loader_runs
	/bin/bench-reload --guest "${e2e_benchn:-5}" "$LOADER" "$PEER" "$KERNEL" "$KINITRD" "$KAPPEND"
	echo "E2E: BENCH-DONE rc=$?"
	off
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
	loader_runs
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

# ---------------------------------------------------------------- e2e_mode=lockdown
# The first kernel runs with lockdown=confidentiality: kexec_load is refused, kexec_file_load
# needs a kernel signature the kernel trusts, and /proc/kcore cannot be opened.
#   ours: LOADER [KFLAGS] -p (default -a) must exit non-zero, load nothing (kexec_crash_loaded
#         stays 0), and its stderr must match /lockdown/ and /signature/ and not /kcore/
#         (extended regexes, case-insensitive): the user learns why, not a side effect.
#   peer: Debian's kexec-tools, -p and -s -p, recorded only ("E2E: LOCKDOWN peer …").
if [ "${e2e_mode:-}" = lockdown ]; then
	lk=$(cat /sys/kernel/security/lockdown 2>&1)
	echo "E2E: lockdown: $lk"
	case $lk in *"[integrity]"*|*"[confidentiality]"*) ;; *) die "the kernel is not locked down (/sys/kernel/security/lockdown: $lk)" ;; esac
	[ "$(grep -ci 'crash kernel' /proc/iomem)" -ge 1 ] || die "no Crash kernel range in /proc/iomem"
	why=""
	try() { # LABEL CMD...: run a load, report it, unload what it loaded
		lbl=$1; shift
		echo "E2E: lockdown-run $lbl: $*" | cut -c1-200
		"$@" >/tmp/ld.out 2>/tmp/ld.err; rc=$?
		cl=$(cat /sys/kernel/kexec_crash_loaded)
		echo "E2E: LOCKDOWN $lbl rc=$rc kexec_crash_loaded=$cl msg=$(grep -v '^ *$' /tmp/ld.err | head -n1 | cut -c1-300)"
		cat /tmp/ld.out /tmp/ld.err | head -n 12 | sed "s/^/E2E: lockdown-stderr $lbl: /" | cut -c1-300
		[ "$cl" = 0 ] || $LOADER -p -u >/dev/null 2>&1 || $PEER -p -u >/dev/null 2>&1
	}
	loader_runs
	try ours $LOADER $e2e_kflags -p $KERNEL --initrd=$KINITRD --append="$KAPPEND"
	[ $rc != 0 ] || why="$why exit-status-0"
	[ "$cl" = 0 ] || why="$why image-loaded(kexec_crash_loaded=$cl)"
	grep -qiE 'lockdown' /tmp/ld.err || why="$why stderr-lacks-/lockdown/"
	grep -qiE 'signature' /tmp/ld.err || why="$why stderr-lacks-/signature/"
	! grep -qiE 'kcore' /tmp/ld.err || why="$why stderr-is-about-/proc/kcore"
	try peer $PEER -p $KERNEL --initrd=$KINITRD --append="$KAPPEND"
	try peer-s $PEER -s -p $KERNEL --initrd=$KINITRD --append="$KAPPEND"
	# (the kernel's own "Lockdown: …" notes are rate-limited: the early tracefs ones use them up)
	dmesg | grep -iE 'Loaded X.509 cert|kexec|kcore|unsigned|signature' | tail -n 8 | sed 's/^/E2E: lockdown-dmesg: /' | cut -c1-250
	if [ -z "$why" ]; then echo "E2E: LOCKDOWN-OK"; else echo "E2E: LOCKDOWN-BAD:$why"; fi
	off
fi

# ---------------------------------------------------------------- e2e_mode=nofile
# The kernel has no kexec_file_load (Debian's arm64 kernels: no CONFIG_KEXEC_FILE). LOADER
# e2e_kflags (-s) -p must exit non-zero, leave kexec_crash_loaded/kexec_loaded at 0, and its
# stderr must name the missing syscall (/kexec_file_load|ENOSYS/, case-insensitive).
if [ "${e2e_mode:-}" = nofile ]; then
	[ "$(grep -ci 'crash kernel' /proc/iomem)" -ge 1 ] || die "no Crash kernel range in /proc/iomem"
	echo "E2E: nofile-run: $LOADER $e2e_kflags -p $KERNEL --initrd=$KINITRD --append=\"$KAPPEND\"" | cut -c1-250
	loader_runs
	$LOADER $e2e_kflags -p $KERNEL --initrd=$KINITRD --append="$KAPPEND" >/tmp/nf.out 2>/tmp/nf.err; rc=$?
	cl=$(cat /sys/kernel/kexec_crash_loaded); l=$(cat /sys/kernel/kexec_loaded)
	echo "E2E: NOFILE rc=$rc kexec_crash_loaded=$cl kexec_loaded=$l msg=$(grep -v '^ *$' /tmp/nf.err | head -n1 | cut -c1-300)"
	cat /tmp/nf.out /tmp/nf.err | head -n 8 | sed 's/^/E2E: nofile-stderr: /' | cut -c1-300
	why=""
	[ $rc != 0 ] || why="$why exit-status-0"
	[ "$cl" = 0 ] && [ "$l" = 0 ] || why="$why image-loaded(kexec_crash_loaded=$cl,kexec_loaded=$l)"
	grep -qiE 'kexec_file_load|ENOSYS' /tmp/nf.err || why="$why stderr-lacks-/kexec_file_load|ENOSYS/"
	if [ -z "$why" ]; then echo "E2E: NOFILE-OK"; else echo "E2E: NOFILE-BAD:$why"; fi
	off
fi

# ---------------------------------------------------------------- e2e_mode=normal
if [ "${e2e_mode:-}" = normal ]; then
	CON=$(sed -n 's/.*\(console=[^ ]*\).*/\1/p' /proc/cmdline)
	RAPPEND="$CON panic=-1 e2e_rebooted=1$NEXT"
	echo "E2E: loading: $LOADER $e2e_kflags -l $KERNEL --initrd=$KINITRD --append=\"$RAPPEND\""
	loader_runs
	$LOADER $e2e_kflags -l $KERNEL --initrd=$KINITRD --append="$RAPPEND" || die "kexec -l failed rc=$?"
	echo "E2E: kexec -l rc=0 kexec_loaded=$(cat /sys/kernel/kexec_loaded)"
	[ "$(cat /sys/kernel/kexec_loaded)" = 1 ] || die "kexec -l returned 0 but kexec_loaded=0"
	echo "E2E: kexec -e"
	$LOADER -e; die "kexec -e returned rc=$?"
fi

# ---------------------------------------------------------------- e2e_mode=kdump (default)
[ "$(grep -ci 'crash kernel' /proc/iomem)" -ge 1 ] || die "no Crash kernel range in /proc/iomem"
if [ "${e2e_hidekcore:-0}" = 1 ]; then
	# a system that hides /proc/kcore (or a container that does not bind it in)
	: > /tmp/empty-kcore
	mount --bind /tmp/empty-kcore /proc/kcore || die "cannot bind-mount an empty file over /proc/kcore"
	echo "E2E: /proc/kcore hidden: $(ls -l /proc/kcore | awk '{print $1, $5}') ($(wc -c < /proc/kcore) bytes readable)"
fi
token=$(tr -d - < /proc/sys/kernel/random/uuid)
# The marker goes at the start of a locked page whose physical address comes from
# /proc/self/pagemap; the kdump kernel must find exactly that string at exactly that physical
# address in /proc/vmcore. Only the token (not the marker string) is on the kdump command line.
HP=${e2e_hotplug:-0}
CMA=""; CMAFLAG=""
case ${e2e_cma:-} in
"") ;;
sysfs)
	cf=/sys/kernel/kexec/crash_cma_ranges; [ -e $cf ] || cf=/sys/kernel/kexec_crash_cma_ranges
	[ -e $cf ] || die "crash CMA: neither /sys/kernel/kexec/crash_cma_ranges nor /sys/kernel/kexec_crash_cma_ranges exists"
	CMA=$(cat $cf | tr '\n' ' ' | sed 's/ *$//')
	echo "E2E: CMA-RANGES $cf: $(cat $cf | wc -l) range(s): ${CMA:-none}"
	dmesg | grep -i 'crashkernel\|crash_cma\|duplicate filename' | grep -v 'Command line\|Kernel command' | head -n 8 | sed 's/^/E2E: cma-dmesg: /' | cut -c1-250
	[ -n "$CMA" ] || die "crash CMA: $cf is empty: the kernel reserved no crash CMA"
	CMAFLAG=--crash-cma
	export MARKER_AVOID="$CMA" ;;
explicit) ;;
*) die "unknown e2e_cma=$e2e_cma (sysfs|explicit)" ;;
esac
if [ "$HP" = 1 ]; then
	# The second marker goes into the hot-added memory later; its token is on the kdump command
	# line now, its address reaches the kdump kernel through the first marker page (marker-pin).
	# mlocked pages must stay where pagemap saw them: no compaction of unevictable pages.
	echo 0 > /proc/sys/vm/compact_unevictable_allowed
	echo 0 > /proc/sys/vm/compaction_proactiveness 2>/dev/null
	token2=$(tr -d - < /proc/sys/kernel/random/uuid)
	/bin/marker-pin "E2E-MARKER-$token" /root/marker.paddr /root/hp.req /root/hp.out &
else
	/bin/marker-pin "E2E-MARKER-$token" /root/marker.paddr &
fi
# (MARKER_AVOID may make marker-pin try many pages: allow it 30 s then)
mw=50; [ -n "${MARKER_AVOID:-}" ] && mw=300
i=0; while [ ! -s /root/marker.paddr ] && [ $i -lt $mw ]; do sleep 0.1; i=$((i+1)); done
mpa=$(cat /root/marker.paddr 2>/dev/null)
echo "E2E: marker page at paddr ${mpa:-unknown}"
APPEND="$KAPPEND e2e_token=$token${mpa:+ e2e_mpa=$mpa}"
if [ -n "${e2e_cma:-}" ]; then
	if [ "$e2e_cma" = explicit ]; then
		[ -n "$mpa" ] || die "crash CMA: no marker page address to keep the explicit range away from"
		CMA=$(pick_cma ${e2e_cmasize:-256} $mpa)
		[ -n "$CMA" ] || die "crash CMA: no free ${e2e_cmasize:-256} MiB block of System RAM for --crash-cma="
		echo "E2E: CMA-RANGES explicit: $CMA (${e2e_cmasize:-256} MiB of ordinary System RAM, the highest 2 MiB-aligned block clear of every other /proc/iomem line and the marker page)"
		CMAFLAG="--crash-cma=$(echo $CMA | tr ' ' ,)"
	fi
	for r in $CMA; do
		[ -z "$mpa" ] || [ $(($mpa)) -lt $((0x${r%-*})) ] || [ $(($mpa)) -gt $((0x${r#*-})) ] ||
			die "the marker page $mpa lies in the crash CMA range $r"
	done
	ckkb=0
	for r in $(grep -i 'crash kernel' /proc/iomem | sed 's/^ *\([0-9a-f]*-[0-9a-f]*\) .*/\1/'); do
		ckkb=$((ckkb + (0x${r#*-} - 0x${r%-*} + 1) / 1024))
	done
	APPEND="$APPEND e2e_cmar=$(echo $CMA | tr ' ' ,) e2e_cmaexp=${e2e_cmaexp:-excluded} e2e_ckkb=$ckkb"
	e2e_kflags="$e2e_kflags $CMAFLAG"
fi
if [ "$HP" = 1 ]; then
	[ -n "$mpa" ] || die "no first marker page: the hot-added marker needs it"
	APPEND="$APPEND e2e_token2=$token2"
	[ "${e2e_hpexpect:-present}" = absent ] && APPEND="$APPEND e2e_hpexpect=absent"
fi

DFLAG=""; [ "${e2e_ldebug:-0}" = 1 ] && DFLAG=-d
LDLINES=30; [ "$HP" = 1 ] && LDLINES=80
ldebug() { # LABEL FILE: the loader's -d output
	[ -n "$DFLAG" ] || return 0
	grep -v '^ *$' "$2" | head -n $LDLINES | sed "s/^/E2E: loader-d $1: /" | cut -c1-300
}
if [ -n "${e2e_preload:-}" ]; then
	echo "E2E: pre-load: $LOADER $DFLAG $e2e_preload -p $KERNEL --initrd=$KINITRD --append=\"$APPEND\"" | cut -c1-300
	loader_runs
	$LOADER $DFLAG $e2e_preload -p $KERNEL --initrd=$KINITRD --append="$APPEND" >/tmp/pre.out 2>&1; rc=$?
	cl=$(cat /sys/kernel/kexec_crash_loaded)
	ldebug "pre-load" /tmp/pre.out
	echo "E2E: PRE-LOAD $e2e_preload rc=$rc kexec_crash_loaded=$cl"
	[ $rc = 0 ] && [ "$cl" = 1 ] || die "pre-load ($e2e_preload -p) failed: rc=$rc kexec_crash_loaded=$cl: $(grep -v '^kexec: \(using\|trying\)' /tmp/pre.out | tail -n1 | cut -c1-200)"
	$LOADER -p -u; rc=$?
	cl=$(cat /sys/kernel/kexec_crash_loaded)
	echo "E2E: PRE-UNLOAD rc=$rc kexec_crash_loaded=$cl"
	[ $rc = 0 ] && [ "$cl" = 0 ] || die "unload after the pre-load failed: rc=$rc kexec_crash_loaded=$cl"
fi

capture() { # NAME: kexec --capture-root, sent over the console as tar.gz + base64
	rm -rf /tmp/cap
	echo "E2E: capture $1: $LOADER --capture-root /tmp/cap"
	loader_runs
	$LOADER --capture-root /tmp/cap >/tmp/cap.out 2>/tmp/cap.err; rc=$?
	if [ $rc != 0 ] || [ -z "$(ls -A /tmp/cap 2>/dev/null)" ]; then
		echo "E2E: CAPTURE-FAILED $1 rc=$rc msg=$(head -n1 /tmp/cap.err | cut -c1-300)"
	else
		(cd /tmp/cap && find . -type f | sort | xargs ls -ln) | awk '{print "E2E: capture-file: " $5 " " $9}'
		tar -czf /tmp/cap.tgz -C /tmp/cap . 2>/tmp/cap.err
		sz=$(stat -c %s /tmp/cap.tgz)
		if [ "$sz" -gt 8388608 ]; then
			echo "E2E: CAPTURE-FAILED $1 tarball too big ($sz bytes > 8 MiB)"
		else
			quiet
			echo "E2E: CAPTURE-BEGIN $1 size=$sz sha256=$(sha256sum /tmp/cap.tgz | cut -d' ' -f1)"
			base64 /tmp/cap.tgz
			echo "E2E: CAPTURE-END"
			unquiet
		fi
	fi
}
# (hot-add runs capture right after the load instead, and again after the hot-add)
[ -n "${e2e_capture:-}" ] && [ "$HP" != 1 ] && capture "$e2e_capture"

median3() { sort -n | awk '{a[NR]=$1} END {if (NR==0) print "fail"; else print a[int((NR+1)/2)]}'; }
if [ "${e2e_timing:-0}" -gt 0 ]; then
	loader_runs
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
	loader_runs
	echo "E2E: DRYRUN-BEGIN $LOADER $e2e_kflags --dry-run -p $KERNEL --initrd=$KINITRD --append=\"$APPEND\""
	$LOADER $e2e_kflags --dry-run -p $KERNEL --initrd=$KINITRD --append="$APPEND" 2>&1; rc=$?
	echo "E2E: DRYRUN-END rc=$rc kexec_crash_loaded=$(cat /sys/kernel/kexec_crash_loaded)"
	unquiet
	# a --dry-run must not load anything
	[ "$(cat /sys/kernel/kexec_crash_loaded)" = 0 ] || { echo "E2E: DRYRUN-LOADED-AN-IMAGE"; $LOADER -p -u; }
fi

if [ "${e2e_slots:-}" = used ]; then
	# a header with exactly the program headers today's map needs: no spare slot
	$LOADER $e2e_kflags --dry-run --json -p $KERNEL --initrd=$KINITRD --append="$APPEND" >/tmp/plan.json 2>/tmp/plan.err; rc=$?
	phnum=$(grep -o '"phnum": *[0-9]*' /tmp/plan.json | head -n1 | grep -o '[0-9]*$')
	echo "E2E: slots: --dry-run --json rc=$rc elfcorehdr: $(grep -o '"elfcorehdr": {[^[]*' /tmp/plan.json | head -n1 | cut -c1-200)"
	[ -n "$phnum" ] || die "no elfcorehdr.phnum in the loader's --dry-run --json (rc=$rc): $(head -n1 /tmp/plan.err | cut -c1-200)"
	e2e_kflags="$e2e_kflags --elfcorehdr-slots=$phnum"
fi
echo "E2E: loading: $LOADER $e2e_kflags -p $KERNEL --initrd=$KINITRD --append=\"$APPEND\""
loader_runs
t0=$(up)
$LOADER $DFLAG $e2e_kflags -p $KERNEL --initrd=$KINITRD --append="$APPEND" >/tmp/load.out 2>&1; rc=$?
t1=$(up)
if [ -n "$DFLAG" ]; then ldebug load /tmp/load.out; else cat /tmp/load.out; fi
echo "E2E: loader rc=$rc ($t0 -> $t1 s) kexec_crash_loaded=$(cat /sys/kernel/kexec_crash_loaded) kexec_crash_size=$(cat /sys/kernel/kexec_crash_size)"
[ $rc = 0 ] || die "loader failed rc=$rc: $(grep -v '^ *$' /tmp/load.out | tail -n1 | cut -c1-200)"
[ "$(cat /sys/kernel/kexec_crash_loaded)" = 1 ] || die "loader returned 0 but kexec_crash_loaded=0"
if [ -n "${e2e_cma:-}" ]; then
	grep -i 'cma' /tmp/load.out | head -n 12 | sed 's/^/E2E: cma-loader: /' | cut -c1-400
	if [ "${e2e_cmaexp:-excluded}" = dumped ]; then
		grep -qi 'left out crash CMA' /tmp/load.out || die "crash CMA: expected the loader to say it left the range(s) out (a kdump kernel that reads 2 usable-memory-range entries), it did not"
		echo "E2E: CMA-LEFT-OUT-REPORTED $(grep -i -m1 'left out crash CMA' /tmp/load.out | cut -c1-300)"
	else
		! grep -qi 'left out crash CMA' /tmp/load.out || die "crash CMA: the loader left range(s) out: $(grep -i -m1 'left out crash CMA' /tmp/load.out | cut -c1-250)"
	fi
fi

if [ "$HP" = 1 ]; then
	hp_facts after-load
	if [ "${e2e_hpkernel:-}" = on ] && [ "$(cat $MEMSYS/crash_hotplug 2>/dev/null)" != 1 ]; then
		echo "E2E: HPKERNEL-NOT-ARMED memory/crash_hotplug=$(cat $MEMSYS/crash_hotplug 2>&1): the kernel will not rewrite the header"
	fi
	[ -n "${e2e_capture:-}" ] && capture "$e2e_capture"
	hot_add
	hp_marker
	hp_facts after-hot-add
	dmesg | grep -i 'crash\|elfcorehdr\|kexec' | grep -v 'Command line\|Kernel command' | tail -n 8 | sed 's/^/E2E: hotplug-dmesg: /' | cut -c1-250
	show_state after-hot-add
	if [ "${e2e_hpkernel:-}" = on ] && [ -x /sbin/kdump-elf ] && ! grep -q 'rewritten by the kernel' /tmp/ss.out; then
		echo "E2E: HPKERNEL-NOT-REWRITTEN kdump-elf show --state does not say the kernel rewrote the header: $(grep 'live:' /tmp/ss.out | cut -c1-150)"
	fi
	[ -n "${e2e_capture2:-}" ] && capture "$e2e_capture2"
	$LOADER --dry-run --reload-elfcorehdr >/tmp/rdry.out 2>&1; rc=$?
	grep -v '^ *$' /tmp/rdry.out | head -n 20 | sed 's/^/E2E: reload-dry-run: /' | cut -c1-300
	echo "E2E: reload-dry-run rc=$rc"
	if [ "${e2e_iomem_fix:-0}" = 1 ] && grep -q 'System RAM (virtio_mem)' /proc/iomem; then
		# harness check with Debian's kexec-tools only: its arm64 code dumps only iomem lines
		# that read exactly "System RAM"; show it the virtio-mem range under that name
		sed 's/: System RAM (virtio_mem)$/: System RAM/' /proc/iomem > /root/iomem
		mount --bind /root/iomem /proc/iomem && echo "E2E: iomem-fix: $(grep -c 'System RAM' /proc/iomem) System RAM lines, virtio_mem renamed (harness check for Debian's kexec-tools)"
	fi
	case ${e2e_reload:-none} in
	none) echo "E2E: no userspace reload after the hot-add (e2e_reload=none)" ;;
	full) # what distros do today: unload, load everything again (not a scenario; for comparison)
		$LOADER -p -u; echo "E2E: unload rc=$? kexec_crash_loaded=$(cat /sys/kernel/kexec_crash_loaded)"
		$LOADER $e2e_kflags -p $KERNEL --initrd=$KINITRD --append="$APPEND" >/tmp/load2.out 2>&1; rc=$?
		echo "E2E: full reload rc=$rc kexec_crash_loaded=$(cat /sys/kernel/kexec_crash_loaded)"
		[ $rc = 0 ] || die "full reload failed rc=$rc: $(grep -v '^ *$' /tmp/load2.out | tail -n1 | cut -c1-200)" ;;
	reload|relink)
		# relink: without -d, so "relink" on stderr is the loader's report of the fallback
		rd=-d; [ "$e2e_reload" = relink ] && rd=""
		echo "E2E: reload: $LOADER $rd --reload-elfcorehdr"
		/bin/timeit /tmp/rl.us $LOADER $rd --reload-elfcorehdr >/tmp/rl.out 2>&1; rc=$?
		cl=$(cat /sys/kernel/kexec_crash_loaded)
		grep -v '^ *$' /tmp/rl.out | head -n 40 | sed 's/^/E2E: reload-out: /' | cut -c1-300
		echo "E2E: RELOAD rc=$rc kexec_crash_loaded=$cl time_ms=$(awk -v u="$(cat /tmp/rl.us)" 'BEGIN {printf "%.1f", u / 1000}')"
		[ $rc = 0 ] && [ "$cl" = 1 ] || die "kexec --reload-elfcorehdr failed: rc=$rc kexec_crash_loaded=$cl: $(grep -v '^ *$' /tmp/rl.out | tail -n1 | cut -c1-200)"
		if [ "$e2e_reload" = reload ]; then
			grep -qi 'fast' /tmp/rl.out || die "kexec --reload-elfcorehdr did not take the fast path (no 'fast' in its -d output) although the header had spare slots"
		fi
		if [ "$e2e_reload" = relink ]; then
			grep -qi relink /tmp/rl.out || die "kexec --reload-elfcorehdr did not report the relink fallback (no 'relink' in its output) although the header had no spare slot"
			echo "E2E: RELINK-REPORTED $(grep -i -m1 relink /tmp/rl.out | cut -c1-200)"
		fi
		hp_facts after-reload
		show_state after-reload ;;
	*) die "unknown e2e_reload=$e2e_reload" ;;
	esac
fi

echo "E2E: TRIGGER-PANIC"
echo 1 > /proc/sys/kernel/sysrq
echo c > /proc/sysrq-trigger
die "still alive after sysrq-c"
