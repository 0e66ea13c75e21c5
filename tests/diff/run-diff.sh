#!/bin/bash
# tests/diff/run-diff.sh — differential test: kexec-ng's --dry-run plan vs Debian's kexec-tools.
#
# usage: tests/diff/run-diff.sh [KEXEC] [FIXTURE.txt | ROOTDIR ...]
#   KEXEC     our loader (default: $KEXEC, else kexec/kexec)
#   FIXTURE   an x86_64 /proc/iomem listing (*.txt); ROOTDIR a captured root (a directory with
#             proc/iomem and an x86_64 proc/kcore, e.g. unpacked by tests/e2e/extract-capture.sh).
#             Default: every x86_64-*.txt and every captured x86_64 root in DIFF_FIXTURES.
# env:   DIFF_FIXTURES="dir…"  where to look (default "tests/golden/fixtures tests/golden/captured";
#                           .txt two levels deep, roots as DIR/NAME/ or DIR/*/NAME/)
#        OURS_FLAGS="-c"    flags given to ours before -p (kexec_load, like the peer's -c)
#        PEER=path          the peer (default /usr/sbin/kexec; tests/e2e/setup.sh installs it)
#        VMLINUZ=path       kernel (default tests/e2e/cache/x86_64/vmlinuz, from tests/e2e/setup.sh,
#                           which is run when it is missing)
#        SELFTEST=1         compare the peer with itself rendered like the kernel would do it
#                           (tests/diff/peer2json.py --like-kernel) instead of running ours:
#                           checks this harness without our loader
# For each job it prepares a root, records the peer's `kexec -c -p VMLINUZ --initrd=INITRD
# --append=APPEND` (tests/diff/run-peer.sh: mount namespace + LD_PRELOAD shim), runs
# `KEXEC --root ROOT --dry-run --json --dump-segments DIR OURS_FLAGS -p …` with the same
# arguments, and compares the two sets of segment bytes with tests/diff/compare.py (its docstring lists what is compared and the deliberate
# differences, printed as DIFF-OK lines). INITRD = 1 MiB of seeded pseudo-random bytes.
# Jobs: "<fixture>"          tests/tools/mkroot.py defaults (4-level, no KASLR, 2 cpus);
#       "<fixture>+kaslr"    mkroot.py --kaslr-text 0xffffffffa0a00000
#                            --page-offset 0xffff9d2a80000000 --cpus 4;
#       "<root>+captured"    a copy of the captured root plus proc/kallsyms for the peer
#                            (tests/diff/complete-root.py: _stext from the kcore VMCOREINFO);
#                            ours gets --crash-cma when the root exports crash CMA ranges
#       "…+160-holes"        (default run only) the qemu listing with its RAM above 4 GiB cut by
#                            160 Reserved holes (tests/tools/punch-holes.py): 168 e820 entries,
#                            so both sides use SETUP_E820_EXT.
# Output: one "PASS: diff: NAME" / "FAIL: diff: NAME: what" / "SKIP: diff: NAME: why" per
# job; work files in tests/e2e/work/diff/NAME/ (root/, peer/, ours-segs/, ours.json, ours.stderr,
# compare.log). Exit 1 if any FAIL. Needs root (unshare -m) for the peer.
set -uo pipefail
D=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$D/../.." && pwd)
WORK=${E2E_WORK:-$REPO/tests/e2e/work}/diff
KEXEC=${KEXEC:-$REPO/kexec/kexec}
OURS_FLAGS=${OURS_FLAGS--c}
VMLINUZ=${VMLINUZ:-${E2E_CACHE:-$REPO/tests/e2e/cache}/x86_64/vmlinuz}
APPEND="console=ttyS0 reset_devices nr_cpus=1 irqpoll nousb panic=-1"
mkdir -p "$WORK"

FIX=()     # iomem listings (mkroot.py builds the roots)
ROOTS=()   # captured roots (kexec --capture-root trees, e.g. from tests/e2e/extract-capture.sh)
named=0   # fixtures or roots given on the command line
for a in "$@"; do
	if [ -d "$a" ]; then ROOTS+=("$a"); named=1; else case $a in *.txt) FIX+=("$a"); named=1 ;; *) KEXEC=$a ;; esac; fi
done
is_x86_root() { # DIR: a captured root whose proc/kcore is an x86_64 ELF core
	[ -s "$1/proc/iomem" ] && [ -s "$1/proc/kcore" ] &&
		[ "$(od -An -tx1 -j18 -N2 "$1/proc/kcore" 2>/dev/null | tr -d ' ')" = 3e00 ]
}
if [ ${#FIX[@]} = 0 ] && [ ${#ROOTS[@]} = 0 ]; then
	FDIRS=${DIFF_FIXTURES:-"$REPO/tests/golden/fixtures $REPO/tests/golden/captured"}
	mapfile -t FIX < <(find $FDIRS -maxdepth 2 -name 'x86_64-*.txt' ! -name '*.zones.txt' 2>/dev/null | LC_ALL=C sort)
	while IFS= read -r k; do
		r=$(dirname "$(dirname "$k")"); is_x86_root "$r" && ROOTS+=("$r")
	done < <(find $FDIRS -maxdepth 3 -path '*/proc/iomem' 2>/dev/null | LC_ALL=C sort)
	[ ${#FIX[@]} -gt 0 ] || [ ${#ROOTS[@]} -gt 0 ] || { echo "FAIL: diff: no x86_64 fixtures in $FDIRS"; exit 1; }
fi
# jobs: NAME|KIND|PATH  (KIND: plain/kaslr = mkroot variant of an iomem listing, captured = a root)
JOBS=()
for f in "${FIX[@]}"; do b=$(basename "$f" .txt); JOBS+=("$b|plain|$f" "$b+kaslr|kaslr|$f"); done
for r in "${ROOTS[@]}"; do JOBS+=("$(basename "$r")+captured|captured|$r"); done
# more than 128 e820 entries (SETUP_E820_EXT on both sides), unless fixtures were named
[ $named = 1 ] ||
	JOBS+=("x86_64-qemu-i440fx-vm-crash-low+160-holes|holes|$REPO/tests/golden/fixtures/x86_64-qemu-i440fx-vm-crash-low.txt")
names() { local j; for j in "${JOBS[@]}"; do echo "${j%%|*}"; done; }

if [ "$(id -u)" != 0 ] || ! command -v unshare >/dev/null; then
	names | sed 's/^/SKIP: diff: /; s/$/: needs root and unshare (the peer runs in a mount namespace)/'
	exit 0
fi
if [ ! -s "$VMLINUZ" ]; then
	"$REPO/tests/e2e/setup.sh" x86_64 >/dev/null || { echo "FAIL: diff: tests/e2e/setup.sh failed (no kernel)"; exit 1; }
fi
PEER=${PEER:-/usr/sbin/kexec}
if [ ! -x "$PEER" ]; then
	"$REPO/tests/e2e/setup.sh" x86_64 >/dev/null
	[ -x "$PEER" ] || { names | sed "s|^|SKIP: diff: |; s|\$|: peer $PEER not installed (apt-get install kexec-tools)|"; exit 0; }
fi
export PEER
pv=$("$PEER" -v 2>&1 | head -1)
case $pv in *2.0.25*) ;; *) echo "NOTE: peer is '$pv'; the deliberate-difference table assumes kexec-tools 2.0.25" ;; esac
if [ "${SELFTEST:-0}" != 1 ] && [ ! -x "$KEXEC" ]; then
	names | sed "s|^|FAIL: diff: |; s|\$|: our kexec not built ($KEXEC)|"
	exit 1
fi
INITRD=$WORK/initrd.bin   # 1 MiB of deterministic pseudo-random bytes
[ -s "$INITRD" ] || python3 -c 'import random,sys; random.seed(20240601); sys.stdout.buffer.write(random.randbytes(1 << 20))' > "$INITRD"

fails=0
for j in "${JOBS[@]}"; do
	name=${j%%|*}; kind=${j#*|}; kind=${kind%%|*}; src=${j##*|}
	W=$WORK/$name; rm -rf "$W"; mkdir -p "$W"
	case $kind in
	plain | holes) mk=() ;;
	kaslr) mk=(--kaslr-text 0xffffffffa0a00000 --page-offset 0xffff9d2a80000000 --cpus 4) ;;
	esac
	if [ $kind = holes ]; then
		"$REPO/tests/tools/punch-holes.py" "$src" "$W/iomem.txt" 2>"$W/mkroot.err" || {
			echo "FAIL: diff: $name: punch-holes.py: $(head -1 "$W/mkroot.err")"; fails=$((fails+1)); continue; }
		src=$W/iomem.txt
	fi
	if [ $kind = captured ]; then
		cp -a "$src" "$W/root" && "$D/complete-root.py" "$W/root" 2>"$W/mkroot.err" || {
			echo "FAIL: diff: $name: cannot prepare the captured root: $(head -1 "$W/mkroot.err")"; fails=$((fails+1)); continue; }
	elif ! "$REPO/tests/tools/mkroot.py" "$src" "$W/root" --quiet "${mk[@]}" 2>"$W/mkroot.err"; then
		echo "FAIL: diff: $name: mkroot.py: $(head -1 "$W/mkroot.err")"; fails=$((fails+1)); continue
	fi
	"$D/run-peer.sh" "$W/root" "$W/peer" -c -p "$VMLINUZ" --initrd="$INITRD" --append="$APPEND"
	prc=$?
	if [ $prc != 0 ] || [ ! -s "$W/peer/manifest" ]; then
		echo "FAIL: diff: $name: peer failed rc=$prc: $(head -2 "$W/peer/peer.stderr" 2>/dev/null | tr '\n' ' ')"
		fails=$((fails+1)); continue
	fi
	if [ "${SELFTEST:-0}" = 1 ]; then
		"$D/peer2json.py" "$W/peer" --like-kernel --dump-segments "$W/ours-segs" > "$W/ours.json" 2>"$W/ours.stderr"
	else
		# a machine that reserved crash CMA (a root captured in a 7.3 guest with crashkernel=…,cma)
		# is loaded the way it should be, with --crash-cma (compare.py's CMA row)
		cmaflag=""
		[ -s "$W/root/sys/kernel/kexec/crash_cma_ranges" ] || [ -s "$W/root/sys/kernel/kexec_crash_cma_ranges" ] &&
			cmaflag=--crash-cma
		"$KEXEC" --root "$W/root" --dry-run --json --dump-segments "$W/ours-segs" $OURS_FLAGS $cmaflag -p "$VMLINUZ" \
			--initrd="$INITRD" --append="$APPEND" > "$W/ours.json" 2>"$W/ours.stderr"
	fi
	orc=$?
	if [ $orc != 0 ]; then
		echo "FAIL: diff: $name: our kexec --dry-run --json exited $orc: $(head -2 "$W/ours.stderr" | tr '\n' ' ')"
		fails=$((fails+1)); continue
	fi
	"$D/compare.py" --name "$name" --root "$W/root" --peer "$W/peer" --ours "$W/ours.json" \
		--ours-segs "$W/ours-segs" --initrd "$INITRD" --append "$APPEND" > "$W/compare.log" 2>&1
	crc=$?
	grep '^DIFF-OK\|^MISMATCH' "$W/compare.log" | sed "s/^/  [$name] /"
	grep '^PASS: diff:\|^FAIL: diff:' "$W/compare.log" ||
		{ echo "FAIL: diff: $name: compare.py crashed: $(tail -1 "$W/compare.log")"; crc=1; }
	[ $crc = 0 ] || fails=$((fails+1))
done
[ $fails = 0 ]
