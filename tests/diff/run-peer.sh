#!/bin/bash
# tests/diff/run-peer.sh — run the peer (Debian's kexec-tools 2.0.25) against a fixture root.
#
# usage: run-peer.sh ROOT OUTDIR KEXEC-ARGS...
#   ROOT    a fake machine root (proc/, sys/), e.g. made by tests/tools/mkroot.py
#   OUTDIR  receives manifest + seg<N>.bin (what the peer would have passed to kexec_load),
#           peer.stdout, peer.stderr, peer.rc
# env:  PEER=path   the kexec binary (default /usr/sbin/kexec, from apt's kexec-tools)
#       SHIM=path   the recorder (default: tests/diff/shim.so next to this script, or
#                   $E2E_WORK/diff/shim.so; built from shim.c when missing or stale)
# How: in a private mount namespace (unshare -m, needs root) tmpfs is mounted over /proc and
# /sys, ROOT's trees are copied in, a "sysfs /sys" line is put in /proc/mounts, and the peer
# runs with LD_PRELOAD=shim.so, which records kexec_load, fails kexec_file_load (ENOSYS) and
# reboot (EPERM). Nothing reaches the running kernel. Exit status = the peer's.
set -uo pipefail
D=$(cd "$(dirname "$0")" && pwd)
[ $# -ge 3 ] || { sed -n '3,16p' "$0" >&2; exit 2; }
ROOT=$(readlink -f "$1"); OUT=$(readlink -f "$2"); shift 2
PEER=${PEER:-/usr/sbin/kexec}
[ "$(id -u)" = 0 ] || { echo "run-peer: needs root (unshare -m, mount)" >&2; exit 2; }
command -v unshare >/dev/null || { echo "run-peer: unshare not found" >&2; exit 2; }
[ -x "$PEER" ] || { echo "run-peer: peer $PEER not found (apt-get install kexec-tools)" >&2; exit 2; }
[ -d "$ROOT/proc" ] && [ -d "$ROOT/sys" ] || { echo "run-peer: $ROOT has no proc/ and sys/" >&2; exit 2; }
if [ -z "${SHIM:-}" ]; then
	SHIM=$D/../e2e/work/diff/shim.so
	mkdir -p "$(dirname "$SHIM")"
	[ "$SHIM" -nt "$D/shim.c" ] || gcc -shared -fPIC -O2 -Wall -o "$SHIM" "$D/shim.c" -ldl ||
		{ echo "run-peer: building shim.so failed" >&2; exit 2; }
fi
SHIM=$(readlink -f "$SHIM")
rm -rf "$OUT"; mkdir -p "$OUT"
unshare -m --propagation private bash -c '
ROOT=$1 OUT=$2 SHIM=$3 PEER=$4; shift 4
mount -t tmpfs none /proc && cp -a "$ROOT/proc/." /proc/ && echo "sysfs /sys sysfs rw 0 0" >> /proc/mounts || exit 90
mount -t tmpfs none /sys && cp -a "$ROOT/sys/." /sys/ || exit 90
KSHIM_OUT=$OUT LD_PRELOAD=$SHIM "$PEER" "$@"
' _ "$ROOT" "$OUT" "$SHIM" "$PEER" "$@" >"$OUT/peer.stdout" 2>"$OUT/peer.stderr"
rc=$?
echo $rc > "$OUT/peer.rc"
[ $rc = 90 ] && echo "run-peer: setting up the mount namespace failed" >&2
exit $rc
