#!/bin/bash
# tests/demo.sh — kexec-ng in five minutes, on a fresh Debian 12 machine, as root:
#   1. installs what it needs (tests/e2e/setup.sh: QEMU, Debian's 6.1 kernel, busybox, kexec-tools;
#      plus the build dependencies),
#   2. builds kexec-ng,
#   3. boots Debian's kernel in QEMU (TCG, 1 GiB, crashkernel=256M, 4-level paging), where
#      our kexec first prints its plan for this very machine (--dry-run), then really loads the
#      crash kernel; the guest panics (sysrq-c) and the kdump kernel checks /proc/vmcore,
#      including a random marker string at the physical address where it was written.
# usage: tests/demo.sh          env: DEMO_LOADER=path  use that kexec instead of building one
# Exit 0 when the kdump worked (RESULT: PASS), 1 if not, 2 on setup/build errors.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
E2E=$top/tests/e2e
cd "$top"
t0=$(date +%s)
hr() { if [ -t 1 ]; then printf '\n\033[1m== %s ==\033[0m\n' "$*"; else printf '\n== %s ==\n' "$*"; fi; }
die() { echo "demo: $*" >&2; exit 2; }

[ "$(id -u)" = 0 ] || die "run me as root (apt-get, and QEMU needs nothing else)"

hr "1. dependencies (apt-get; Debian's kernel + kexec-tools are downloaded, not installed)"
E2E_KERNELS=6.1 "$E2E/setup.sh" x86_64 || die "tests/e2e/setup.sh failed"
BUILDPKGS="autoconf automake libtool pkg-config make gcc libc6-dev libfdt-dev libelf-dev zlib1g-dev libssl-dev"
missing=$(for p in $BUILDPKGS; do dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"; done)
if [ -n "$missing" ]; then
	echo "installing:" $missing
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >/dev/null ||
		die "apt-get install failed"
else
	echo "build dependencies present"
fi

hr "2. build"
if [ -n "${DEMO_LOADER:-}" ]; then
	LOADER=$(readlink -f "$DEMO_LOADER"); echo "using DEMO_LOADER=$LOADER"
elif [ -x tests/build.sh ]; then
	# the same out-of-tree static build the test suite puts in the initramfs (build/static)
	b=$(tests/build.sh static | tail -1) || die "build failed (tests/build.sh static)"
	LOADER=$b/kexec/kexec
else
	{ autoreconf -fi && ./configure && make -j2; } >build-demo.log 2>&1 || { tail -20 build-demo.log; die "build failed"; }
	LOADER=$top/kexec/kexec
fi
[ -x "$LOADER" ] || die "no kexec binary at $LOADER"
echo "kexec: $LOADER"
"$LOADER" --version 2>/dev/null | head -1

hr "3. a real kdump in QEMU: $(cat "$E2E/cache/6.1/x86_64/kernel-package"), TCG, -cpu max,la57=off -m 1G -smp 2, crashkernel=256M"
KERNEL=6.1 "$E2E/build-initrd.sh" x86_64 "$LOADER" >/dev/null || die "build-initrd.sh failed"
out=$(mktemp); trap 'rm -f "$out"' EXIT
KERNEL=6.1 MODE=kdump KFLAGS=-c CPU=max,la57=off DRYRUN=1 "$E2E/run-scenario.sh" demo >"$out" 2>&1
rc=$?
LOG=$E2E/work/logs/6.1/demo.log
if [ $rc = 2 ]; then cat "$out"; die "could not start the scenario"; fi

echo
echo "--- first kernel (what the guest's /init did) ---"
grep -a '^E2E: \(FIRST-KERNEL\|iomem:\|marker\)' "$LOG" | sed 's/^E2E: /  /' | cut -c1-160
echo
echo "--- our plan for this machine: kexec -c --dry-run -p ... (run inside the guest, right before the real load) ---"
awk '/^E2E: DRYRUN-BEGIN/ {on=1; next} /^E2E: DRYRUN-END/ {on=0; print "  (" $0 ")"; next} on {print "  " $0}' "$LOG" |
	sed 's/(E2E: DRYRUN-END /(/' | cut -c1-200
echo
echo "--- the real load and the crash ---"
grep -a '^E2E: \(loading\|loader rc\|TRIGGER-PANIC\)\|Kernel panic - not syncing' "$LOG" | sed 's/^E2E: /  /' | cut -c1-200
echo
echo "--- the kdump kernel: /proc/vmcore checked by vmcore-check ---"
grep -a '^E2E: \(KDUMP-KERNEL\|kdump-\)' "$LOG" | sed 's/^E2E: /  /'
awk '/^E2E: VMCORE-CHECK-BEGIN/ {on=1; next} /^E2E: VMCORE-CHECK-END/ {on=0} on {print "  " $0}' "$LOG"
grep -a '^KDUMP-' "$LOG" | sed 's/^/  /'
echo
grep -a '^scenario demo: qemu' "$out" | sed "s|$E2E/||"
if [ $rc != 0 ]; then
	echo; sed -n '/^---- last 40 lines/,/^----$/p' "$out"
fi
echo "demo wall time: $(( $(date +%s) - t0 )) s   (serial log: tests/e2e/work/logs/6.1/demo.log)"
grep -a '^RESULT: ' "$out" | tail -1
exit $rc
