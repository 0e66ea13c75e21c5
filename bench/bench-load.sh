#!/bin/bash
# bench-load.sh KEXEC [N] — how long `kexec -c -p` takes, ours vs Debian's kexec-tools 2.0.25,
# measured in the same run on the same captured machine and the same kernel/initrd.
# Both run N times in one private mount namespace whose /proc and /sys hold a root made by
# tests/tools/mkroot.py, under the LD_PRELOAD recorder tests/diff/shim.c (kexec_load is
# recorded, not made), so both do their whole load path including writing the segments out.
# Prints milliseconds per load for each and the ratio peer/ours (>1: ours is faster).
# Needs root, unshare, kexec-tools (apt) and python3.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
OURS=$(readlink -f "${1:?usage: bench-load.sh KEXEC [N]}"); N=${2:-20}
PEER=${PEER:-/usr/sbin/kexec}
[ "$(id -u)" = 0 ] || { echo "bench-load: needs root" >&2; exit 2; }
[ -x "$PEER" ] || { echo "bench-load: $PEER missing (apt-get install kexec-tools)" >&2; exit 2; }
w=$(mktemp -d); trap 'rm -rf "$w"' EXIT
python3 "$top/tests/tools/mkroot.py" "$top/tests/golden/fixtures/x86_64-qemu-i440fx-vm-crash-low.txt" "$w/root" --quiet
K=${KERNEL:-$top/tests/e2e/cache/x86_64/vmlinuz}
[ -f "$K" ] || { python3 "$top/tests/tools/mkbzimage.py" "$w/bzImage" --payload 0x800000; K=$w/bzImage; }
head -c 20000000 /dev/urandom > "$w/initrd"
gcc -shared -fPIC -O2 -o "$w/shim.so" "$top/tests/diff/shim.c" -ldl
mkdir -p "$w/out"
unshare -m --propagation private bash -c '
set -e
R=$1 W=$2 OURS=$3 PEER=$4 K=$5 N=$6
mount -t tmpfs none /proc && cp -a "$R/proc/." /proc/ && echo "sysfs /sys sysfs rw 0 0" >> /proc/mounts
mount -t tmpfs none /sys && cp -a "$R/sys/." /sys/
run() { # BIN -> ns per load
	local t0 t1 i
	"$1" -c -p "$K" --initrd="$W/initrd" --append="console=ttyS0 nr_cpus=1" >/dev/null 2>&1 || { echo fail; return; }
	t0=$(date +%s%N)
	for i in $(seq "$N"); do
		KSHIM_OUT=$W/out LD_PRELOAD=$W/shim.so "$1" -c -p "$K" --initrd="$W/initrd" --append="console=ttyS0 nr_cpus=1" >/dev/null 2>&1
	done
	t1=$(date +%s%N)
	echo $(( (t1 - t0) / N ))
}
export KSHIM_OUT=$W/out LD_PRELOAD=$W/shim.so
p=$(run "$PEER"); o=$(run "$OURS")
unset LD_PRELOAD
echo "$p $o" > "$W/result"
' _ "$w/root" "$w" "$OURS" "$PEER" "$K" "$N"
read -r p o < "$w/result"
[ "$p" != fail ] && [ "$o" != fail ] || { echo "bench-load: a loader failed (peer=$p ours=$o)" >&2; exit 1; }
printf 'kexec -c -p (kernel %s, 20 MB initrd, %d runs each, same namespace)\n' "$(basename "$K")" "$N"
printf '  Debian kexec-tools 2.0.25: %7.2f ms/load\n' "$(echo "$p / 1000000" | bc -l)"
printf '  kexec-ng:                  %7.2f ms/load\n' "$(echo "$o / 1000000" | bc -l)"
printf '  ratio peer/ours:           %7.2f\n' "$(echo "$p / $o" | bc -l)"
