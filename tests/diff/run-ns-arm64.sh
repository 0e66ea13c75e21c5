#!/bin/bash
# tests/diff/run-ns-arm64.sh — run an arm64 program under qemu-user against a fake machine root.
#
# usage: run-ns-arm64.sh ROOT OUTDIR COMMAND...
#   ROOT     a machine root (proc/, sys/), e.g. from tests/golden/mk-arm64-roots.sh
#   OUTDIR   receives COMMAND's stdout, stderr and exit status (out.stdout, out.stderr, out.rc)
#   COMMAND  run as is, e.g. `qemu-aarch64 -L SYSROOT -E LD_PRELOAD=shim.so -E KSHIM_OUT=DIR
#            SYSROOT/sbin/kexec -c -p …` (the peer) or `qemu-aarch64 KEXEC --root / …` (ours)
# How: like run-peer.sh, in a private mount namespace (unshare -m, needs root) tmpfs is mounted
# over /proc and /sys and ROOT's trees are copied in ("sysfs /sys" is added to /proc/mounts).
# qemu-user itself needs the real /proc/self (it reads /proc/self/maps and friends at start-up),
# so the real procfs is bind-mounted on OUTDIR/.proc first and /proc/self in the tmpfs is a
# symlink to OUTDIR/.proc/self; nothing else of the real /proc is visible under /proc.
# Why ours runs here too: qemu-aarch64 7.2 (Debian 12) does not implement openat2 (syscall 437),
# and kexec-ng's --root confines its reads with openat2 (RESOLVE_IN_ROOT); without it, only
# --root / is allowed. So ours reads the same tmpfs copy as the peer, with --root /.
# Exit status = COMMAND's (90 = setting up the namespace failed).
set -uo pipefail
[ $# -ge 3 ] || { sed -n '3,20p' "$0" >&2; exit 2; }
ROOT=$(readlink -f "$1"); OUT=$(readlink -f "$2"); shift 2
[ "$(id -u)" = 0 ] || { echo "run-ns-arm64: needs root (unshare -m, mount)" >&2; exit 2; }
command -v unshare >/dev/null || { echo "run-ns-arm64: unshare not found" >&2; exit 2; }
[ -d "$ROOT/proc" ] && [ -d "$ROOT/sys" ] || { echo "run-ns-arm64: $ROOT has no proc/ and sys/" >&2; exit 2; }
mkdir -p "$OUT/.proc"
unshare -m --propagation private bash -c '
ROOT=$1 OUT=$2; shift 2
mount --bind /proc "$OUT/.proc" || exit 90
mount -t tmpfs none /proc && cp -a "$ROOT/proc/." /proc/ && echo "sysfs /sys sysfs rw 0 0" >> /proc/mounts &&
	ln -s "$OUT/.proc/self" /proc/self || exit 90
mount -t tmpfs none /sys && cp -a "$ROOT/sys/." /sys/ || exit 90
"$@"
' _ "$ROOT" "$OUT" "$@" >"$OUT/out.stdout" 2>"$OUT/out.stderr"
rc=$?
rmdir "$OUT/.proc" 2>/dev/null
echo $rc > "$OUT/out.rc"
[ $rc = 90 ] && echo "run-ns-arm64: setting up the mount namespace failed" >&2
exit $rc
