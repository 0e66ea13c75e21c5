#!/bin/bash
# tests/diff/run-diff.sh — differential test: kexec-ng's --dry-run plan vs Debian's kexec-tools.
#
# usage: tests/diff/run-diff.sh [KEXEC] [FIXTURE.txt...]
#   KEXEC        our loader (default: $KEXEC, else kexec/kexec); arguments ending in .txt are
#                fixtures (default: every x86_64-*.txt in DIFF_FIXTURES)
# env:   DIFF_FIXTURES=dir  where the x86_64-*.txt iomem fixtures are (searched two levels deep;
#                           default tests/golden/fixtures; while that has none, ../shared/
#                           fixtures/iomem next to the repo is used and a NOTE says so)
#        OURS_FLAGS="-c"    flags given to ours before -p (kexec_load, like the peer's -c)
#        PEER=path          the peer (default /usr/sbin/kexec; tests/e2e/setup.sh installs it)
#        VMLINUZ=path       kernel (default tests/e2e/cache/x86_64/vmlinuz, from tests/e2e/setup.sh,
#                           which is run when it is missing)
#        SELFTEST=1         compare the peer with itself rendered like the kernel would do it
#                           (tests/diff/peer2json.py --like-kernel) instead of running ours:
#                           checks this harness without our loader
# For each fixture and variant it builds a root (tests/tools/mkroot.py), records the peer's
# `kexec -c -p VMLINUZ --initrd=INITRD --append=APPEND` (tests/diff/run-peer.sh: mount
# namespace + LD_PRELOAD shim), runs `KEXEC --root ROOT --dry-run --json OURS_FLAGS -p …` with
# the same arguments, and compares them with tests/diff/compare.py (its docstring lists what is
# compared and the deliberate differences, printed as DIFF-OK lines).
# Variants: "<fixture>" = mkroot defaults (4-level, no KASLR, 2 cpus);
#           "<fixture>+kaslr" = --kaslr-text 0xffffffffa0a00000 --page-offset 0xffff9d2a80000000
#                               --cpus 4.
# Output: one "PASS: diff: NAME" / "FAIL: diff: NAME: what" / "SKIP: diff: NAME: why" per
# variant; work files in tests/e2e/work/diff/NAME/ (root/, peer/, ours.json, ours.stderr,
# compare.log). Exit 1 if any FAIL. Needs root (unshare -m) for the peer.
set -uo pipefail
D=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$D/../.." && pwd)
WORK=${E2E_WORK:-$REPO/tests/e2e/work}/diff
KEXEC=${KEXEC:-$REPO/kexec/kexec}
OURS_FLAGS=${OURS_FLAGS--c}
VMLINUZ=${VMLINUZ:-$REPO/tests/e2e/cache/x86_64/vmlinuz}
APPEND="console=ttyS0 reset_devices nr_cpus=1 irqpoll nousb panic=-1"
mkdir -p "$WORK"

FIX=()
for a in "$@"; do
	case $a in *.txt) FIX+=("$a") ;; *) KEXEC=$a ;; esac
done
if [ ${#FIX[@]} = 0 ]; then
	FDIR=${DIFF_FIXTURES:-$REPO/tests/golden/fixtures}
	mapfile -t FIX < <(find "$FDIR" -maxdepth 2 -name 'x86_64-*.txt' ! -name '*.zones.txt' 2>/dev/null | LC_ALL=C sort)
	if [ ${#FIX[@]} = 0 ] && [ -z "${DIFF_FIXTURES:-}" ] && [ -d "$REPO/../shared/fixtures/iomem" ]; then
		FDIR=$(cd "$REPO/../shared/fixtures/iomem" && pwd)
		echo "NOTE: tests/golden/fixtures has no x86_64 iomem fixtures yet; using $FDIR"
		mapfile -t FIX < <(find "$FDIR" -maxdepth 1 -name 'x86_64-*.txt' ! -name '*.zones.txt' | LC_ALL=C sort)
	fi
	[ ${#FIX[@]} -gt 0 ] || { echo "FAIL: diff: no x86_64-*.txt fixtures in $FDIR"; exit 1; }
fi
VARIANTS=("" "+kaslr")
names() { local f n; for f in "${FIX[@]}"; do n=$(basename "$f" .txt); for v in "${VARIANTS[@]}"; do echo "$n$v"; done; done; }

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
case $pv in *2.0.25*) ;; *) echo "NOTE: peer is '$pv', the deliberate-difference table assumes kexec-tools 2.0.25" ;; esac
if [ "${SELFTEST:-0}" != 1 ] && [ ! -x "$KEXEC" ]; then
	names | sed "s|^|FAIL: diff: |; s|\$|: our kexec not built ($KEXEC)|"
	exit 1
fi
INITRD=$WORK/initrd.bin   # 1 MiB of deterministic pseudo-random bytes
[ -s "$INITRD" ] || python3 -c 'import random,sys; random.seed(20240601); sys.stdout.buffer.write(random.randbytes(1 << 20))' > "$INITRD"

fails=0
for f in "${FIX[@]}"; do
	base=$(basename "$f" .txt)
	for v in "${VARIANTS[@]}"; do
		name=$base$v
		W=$WORK/$name; rm -rf "$W"; mkdir -p "$W"
		case $v in
		"") mk=() ;;
		+kaslr) mk=(--kaslr-text 0xffffffffa0a00000 --page-offset 0xffff9d2a80000000 --cpus 4) ;;
		esac
		if ! "$REPO/tests/tools/mkroot.py" "$f" "$W/root" --quiet "${mk[@]}" 2>"$W/mkroot.err"; then
			echo "FAIL: diff: $name: mkroot.py: $(head -1 "$W/mkroot.err")"; fails=$((fails+1)); continue
		fi
		"$D/run-peer.sh" "$W/root" "$W/peer" -c -p "$VMLINUZ" --initrd="$INITRD" --append="$APPEND"
		prc=$?
		if [ $prc != 0 ] || [ ! -s "$W/peer/manifest" ]; then
			echo "FAIL: diff: $name: peer failed rc=$prc: $(head -2 "$W/peer/peer.stderr" 2>/dev/null | tr '\n' ' ')"
			fails=$((fails+1)); continue
		fi
		if [ "${SELFTEST:-0}" = 1 ]; then
			"$D/peer2json.py" "$W/peer" --like-kernel > "$W/ours.json" 2>"$W/ours.stderr"
		else
			"$KEXEC" --root "$W/root" --dry-run --json $OURS_FLAGS -p "$VMLINUZ" --initrd="$INITRD" \
				--append="$APPEND" > "$W/ours.json" 2>"$W/ours.stderr"
		fi
		orc=$?
		if [ $orc != 0 ]; then
			echo "FAIL: diff: $name: our kexec --dry-run --json exited $orc: $(head -2 "$W/ours.stderr" | tr '\n' ' ')"
			fails=$((fails+1)); continue
		fi
		"$D/compare.py" --name "$name" --root "$W/root" --peer "$W/peer" --ours "$W/ours.json" > "$W/compare.log" 2>&1
		crc=$?
		grep '^DIFF-OK\|^MISMATCH' "$W/compare.log" | sed "s/^/  [$name] /"
		grep '^PASS: diff:\|^FAIL: diff:' "$W/compare.log" ||
			{ echo "FAIL: diff: $name: compare.py crashed: $(tail -1 "$W/compare.log")"; crc=1; }
		[ $crc = 0 ] || fails=$((fails+1))
	done
done
[ $fails = 0 ]
