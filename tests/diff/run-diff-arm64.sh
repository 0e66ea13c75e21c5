#!/bin/bash
# tests/diff/run-diff-arm64.sh — arm64 differential test: kexec-ng's --dry-run plan vs Debian's
# kexec-tools 2.0.25 arm64, both run under qemu-aarch64 on the same synthetic machine roots.
#
# usage: tests/diff/run-diff-arm64.sh KEXEC_ARM64 [ROOTNAME ...]
#   KEXEC_ARM64  our static arm64 kexec (tests/build.sh arm64: build/arm64/kexec/kexec)
#   ROOTNAME     only these roots of tests/golden/mk-arm64-roots.sh (default: all of them)
# env:   QEMU_USER=qemu-aarch64   the qemu-user binary
#        PEER_SYSROOT=dir          an arm64 sysroot with sbin/kexec from Debian's kexec-tools:arm64
#                                  and its libraries (default: $E2E_CACHE/arm64/sysroot from
#                                  tests/e2e/setup.sh arm64 when it has sbin/kexec, else
#                                  tests/e2e/work/diff-arm64/sysroot, filled here with
#                                  `apt-get download kexec-tools:arm64` + its library closure and
#                                  dpkg-deb -x: nothing is installed on the host)
#        VMLINUZ_ARM64=path        a real arm64 kernel for extra "+vmlinuz" jobs (default
#                                  $E2E_CACHE/arm64/vmlinuz when present; Debian's is a plain Image)
#        SELFTEST=1                compare the peer with itself (checks this harness without ours;
#                                  KEXEC_ARM64 may then be "")
#        KEEP=1                    keep the segment files over 4 MiB (the kernels) of passing jobs
# Jobs, each in tests/e2e/work/diff-arm64/<job>/ (root/, peer/, ours/, compare.log):
#   "<root>"              the root (copied; tests/diff/complete-root-arm64.py adds __init_begin
#                         to kallsyms when _text is there, so the peer's text PT_LOAD is right),
#                         kernel = a synthetic Image (tests/tools/mkimage-arm64.py, 3 MiB)
#   "<root>+vmlinuz"      the same with VMLINUZ_ARM64
#   "arm64-emag+no-init-begin"  the eMAG root as made (no __init_begin): shows the peer's 64 KiB
#                         text skew (DIFF-OK PEER_KTEXT)
# Both loaders run inside tests/diff/run-ns-arm64.sh (mount namespace, tmpfs /proc and /sys
# filled from the root): the peer with LD_PRELOAD=shim.so (tests/diff/shim.c cross-built with
# aarch64-linux-gnu-gcc) recording its kexec_load, ours as `KEXEC_ARM64 --root / --dry-run --json
# --dump-segments DIR -c -p KERNEL --initrd=… --append=…` (qemu-aarch64 7.2 has no openat2, which
# --root ROOT needs). tests/diff/compare-arm64.py compares the two; its docstring lists the checks
# and the DIFF-OK differences. INITRD = 1 MiB of seeded pseudo-random bytes.
# Output: "PASS: diff-arm64: NAME" / "FAIL: diff-arm64: NAME: what" / "SKIP: diff-arm64: …" per
# job, DIFF-OK/MISMATCH lines indented below. Exit 1 if any FAIL. Needs root (unshare -m).
set -uo pipefail
D=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$D/../.." && pwd)
WORK=${E2E_WORK:-$REPO/tests/e2e/work}/diff-arm64
CACHE=${E2E_CACHE:-$REPO/tests/e2e/cache}
QEMU_USER=${QEMU_USER:-qemu-aarch64}
APPEND="console=ttyAMA0 reset_devices nr_cpus=1 panic=-1"
KEXEC=${1:-}
[ $# -gt 0 ] && shift
[ -n "$KEXEC" ] || [ "${SELFTEST:-0}" = 1 ] || { sed -n '5,6p' "$0" >&2; exit 2; }
[ -n "$KEXEC" ] && KEXEC=$(readlink -f "$KEXEC")
mkdir -p "$WORK"
skip_all() { echo "SKIP: diff-arm64: $1"; exit 0; }
[ "$(id -u)" = 0 ] && command -v unshare >/dev/null || skip_all "needs root and unshare (the loaders run in a mount namespace)"
command -v "$QEMU_USER" >/dev/null || skip_all "$QEMU_USER not found (apt-get install qemu-user)"
command -v aarch64-linux-gnu-gcc >/dev/null || skip_all "aarch64-linux-gnu-gcc not found (the shim is cross-built)"
if [ "${SELFTEST:-0}" != 1 ] && [ ! -x "$KEXEC" ]; then echo "FAIL: diff-arm64: our kexec not built ($KEXEC)"; exit 1; fi

# ---- the real arm64 kernel for the +vmlinuz jobs and the peer's sysroot: tests/e2e/setup.sh
# arm64 (what the e2e suite runs later anyway; idempotent, no network once its cache is whole)
if [ "${SELFTEST:-0}" != 1 ] && [ -z "${VMLINUZ_ARM64:-}" ] && [ ! -s "$CACHE/arm64/vmlinuz" ]; then
	"$REPO/tests/e2e/setup.sh" arm64 >"$WORK/setup.log" 2>&1 ||
		echo "NOTE: diff-arm64: tests/e2e/setup.sh arm64 failed (see $WORK/setup.log): no real arm64 kernel"
fi

# ---- the peer: an arm64 sysroot with Debian's kexec-tools 2.0.25 and its libraries
peer_sysroot() {
	local s
	for s in "${PEER_SYSROOT:-}" "$CACHE/arm64/sysroot" "$WORK/sysroot"; do
		[ -n "$s" ] && [ -x "$s/sbin/kexec" ] && [ -e "$s/lib/ld-linux-aarch64.so.1" ] && { echo "$s"; return 0; }
	done
	s=$WORK/sysroot
	mkdir -p "$WORK/debs" "$s"
	# kexec-tools:arm64 and its lib* Depends, transitively (libc6 included, so the sysroot is whole)
	local -a todo=(kexec-tools:arm64) all=(); local -A seen=(); local p d
	while [ ${#todo[@]} -gt 0 ]; do
		p=${todo[0]}; todo=("${todo[@]:1}")
		[ -n "${seen[$p]:-}" ] && continue; seen[$p]=1; all+=("$p")
		case $p in libc6:*) continue ;; esac
		for d in $(apt-cache depends "$p" 2>/dev/null | sed -n 's/^ *|\{0,1\}Depends: \(\(lib\|zlib\)[^ <>]*\)$/\1/p'); do
			case $d in *:arm64) ;; *) d=$d:arm64 ;; esac
			todo+=("$d")
		done
	done
	(cd "$WORK/debs" && apt-get download "${all[@]}" >download.log 2>&1) || return 1
	for d in "$WORK"/debs/*.deb; do dpkg-deb -x "$d" "$s" || return 1; done
	[ -x "$s/sbin/kexec" ] && [ -e "$s/lib/ld-linux-aarch64.so.1" ] && echo "$s"
}
SYSROOT=$(peer_sysroot) || skip_all "cannot fetch Debian's kexec-tools:arm64 (apt-get download failed: see $WORK/debs/download.log)"
PEER=$SYSROOT/sbin/kexec
SHIM=$WORK/shim.so
if [ ! "$SHIM" -nt "$D/shim.c" ]; then
	aarch64-linux-gnu-gcc -shared -fPIC -O2 -Wall -o "$SHIM" "$D/shim.c" -ldl ||
		{ echo "FAIL: diff-arm64: building the arm64 shim.so failed"; exit 1; }
fi
pv=$("$QEMU_USER" -L "$SYSROOT" "$PEER" -v 2>&1 | head -1)
case $pv in *2.0.25*) ;; *) echo "NOTE: arm64 peer is '$pv'; the DIFF-OK table assumes kexec-tools 2.0.25" ;; esac

# ---- inputs
INITRD=$WORK/initrd.bin
[ -s "$INITRD" ] || python3 -c 'import random,sys; random.seed(20240601); sys.stdout.buffer.write(random.randbytes(1 << 20))' > "$INITRD"
IMAGE=$WORK/Image
[ -s "$IMAGE" ] || python3 "$REPO/tests/tools/mkimage-arm64.py" "$IMAGE" || { echo "FAIL: diff-arm64: mkimage-arm64.py failed"; exit 1; }
ROOTS=$WORK/roots
rm -rf "$ROOTS"
"$REPO/tests/golden/mk-arm64-roots.sh" "$ROOTS" >"$WORK/mkroots.log" 2>&1 ||
	{ echo "FAIL: diff-arm64: mk-arm64-roots.sh failed: $(tail -1 "$WORK/mkroots.log")"; exit 1; }
VMLINUZ=${VMLINUZ_ARM64:-$CACHE/arm64/vmlinuz}
[ -s "$VMLINUZ" ] || VMLINUZ=

# jobs: NAME|ROOT|KERNEL|COMPLETE(1/0)
JOBS=()
while read -r r; do
	[ -n "$r" ] || continue
	if [ $# -gt 0 ]; then case " $* " in *" $r "*) ;; *) continue ;; esac; fi
	JOBS+=("$r|$ROOTS/$r|$IMAGE|1")
	[ -n "$VMLINUZ" ] && JOBS+=("$r+vmlinuz|$ROOTS/$r|$VMLINUZ|1")
done < "$ROOTS/NAMES"
if [ $# = 0 ] || [[ " $* " == *" arm64-emag "* ]]; then JOBS+=("arm64-emag+no-init-begin|$ROOTS/arm64-emag|$IMAGE|0"); fi
[ -n "$VMLINUZ" ] || echo "SKIP: diff-arm64: +vmlinuz jobs: no real arm64 kernel ($CACHE/arm64/vmlinuz; tests/e2e/setup.sh arm64)"

fails=0
for j in "${JOBS[@]}"; do
	IFS='|' read -r name src kernel complete <<<"$j"
	W=$WORK/$name; rm -rf "$W"; mkdir -p "$W"
	cp -a "$src" "$W/root" || { echo "FAIL: diff-arm64: $name: cannot copy the root"; fails=$((fails+1)); continue; }
	if [ "$complete" = 1 ]; then "$D/complete-root-arm64.py" "$W/root" >"$W/complete.log" 2>&1; fi
	mkdir -p "$W/peer"
	"$D/run-ns-arm64.sh" "$W/root" "$W/peer" "$QEMU_USER" -L "$SYSROOT" -E "LD_PRELOAD=$SHIM" -E "KSHIM_OUT=$W/peer" \
		"$PEER" -d -c -p "$kernel" --initrd="$INITRD" --append="$APPEND"
	prc=$?
	grep -v '^machine_apply_elf_rel\|^sym:' "$W/peer/out.stderr" > "$W/peer/peer.log" 2>/dev/null
	if [ $prc != 0 ] || [ ! -s "$W/peer/manifest" ]; then
		echo "FAIL: diff-arm64: $name: peer failed rc=$prc: $(grep -v '^kernel symbol\|^arch_process\|^[a-z_]*: \|^get_\|^[0-9a-f]\{16\}' "$W/peer/peer.log" | head -2 | tr '\n' ' ')"
		fails=$((fails+1)); continue
	fi
	grep -h "Can't get\|Cannot get\|Warning" "$W/peer/peer.log" | sort -u | sed "s/^/  [$name] peer says: /"
	mkdir -p "$W/ours"
	if [ "${SELFTEST:-0}" = 1 ]; then
		cp -a "$W/peer" "$W/ours/segs"; echo '{}' > "$W/ours/out.stdout"; orc=0
	else
		"$D/run-ns-arm64.sh" "$W/root" "$W/ours" "$QEMU_USER" "$KEXEC" --root / --dry-run --json \
			--dump-segments "$W/ours/segs" -c -p "$kernel" --initrd="$INITRD" --append="$APPEND"
		orc=$?
		if [ $orc != 0 ] && grep -q 'above the DMA limit' "$W/ours/out.stderr"; then
			echo "  [$name] DIFF-OK DMA_LIMIT: ours refuses: $(grep -o 'the crash kernel memory lies entirely above the DMA limit [^ ]*' "$W/ours/out.stderr" | head -1); the peer loads; comparing ours with --ignore-dma-limit"
			mv "$W/ours" "$W/ours-refused"; mkdir -p "$W/ours"
			"$D/run-ns-arm64.sh" "$W/root" "$W/ours" "$QEMU_USER" "$KEXEC" --root / --dry-run --json --ignore-dma-limit \
				--dump-segments "$W/ours/segs" -c -p "$kernel" --initrd="$INITRD" --append="$APPEND"
			orc=$?
		fi
	fi
	if [ $orc != 0 ]; then
		echo "FAIL: diff-arm64: $name: our kexec --dry-run --json exited $orc: $(head -2 "$W/ours/out.stderr" | tr '\n' ' ')"
		fails=$((fails+1)); continue
	fi
	"$D/compare-arm64.py" --name "$name" --root "$W/root" --peer "$W/peer" --ours "$W/ours/out.stdout" \
		--ours-segs "$W/ours/segs" --kernel "$kernel" --initrd "$INITRD" --append "$APPEND" > "$W/compare.log" 2>&1
	crc=$?
	grep '^DIFF-OK\|^MISMATCH' "$W/compare.log" | sed "s/^/  [$name] /"
	grep '^PASS: diff-arm64:\|^FAIL: diff-arm64:' "$W/compare.log" ||
		{ echo "FAIL: diff-arm64: $name: compare-arm64.py crashed: $(tail -1 "$W/compare.log")"; crc=1; }
	if [ $crc = 0 ]; then   # the kernel copies are the bulk (2 x 32 MiB with a real kernel)
		[ "${KEEP:-0}" = 1 ] || find "$W" -name 'seg*.bin' -size +4M -delete
	else
		fails=$((fails+1))
	fi
done
[ $fails = 0 ]
