#!/bin/bash
# tests/e2e/build-initrd.sh — build the two initramfs images of the QEMU e2e tests.
#
# usage: build-initrd.sh ARCH LOADER
#   ARCH    x86_64 (arm64 later)
#   LOADER  the kexec binary under test (ours: kexec/kexec; any kexec-tools-CLI loader works)
# env:   E2E_CACHE (default tests/e2e/cache), E2E_WORK (default tests/e2e/work)
#        PEER=path  the reference loader put at /sbin/kexec-peer (default: Debian's kexec-tools
#                   from cache/<arch>/sysroot, i.e. the same binary on every machine)
# out:   work/<arch>/initrd-kdump.img  busybox + /init + test tools (the kdump/second kernel's)
#        work/<arch>/initrd.img        the above + /sbin/kexec (LOADER) + /sbin/kexec-peer, their
#                                      shared libs, /boot/vmlinuz and /boot/initrd-kdump.img
#        work/<arch>/bin/{vmcore-check,marker-pin,timeit} (static helpers, rebuilt when stale)
# A static LOADER is copied as is; for a dynamic one the DT_NEEDED closure is found with
# readelf in cache/<arch>/sysroot first, then (x86_64) in the host's /lib, /usr/lib.
# Uncompressed newc cpio; ~0.3 s. Exit: 0 ok, 2 error.
set -euo pipefail
E2E=$(cd "$(dirname "$0")" && pwd)
CACHE=${E2E_CACHE:-$E2E/cache}
WORK=${E2E_WORK:-$E2E/work}
ARCH=${1:?usage: build-initrd.sh ARCH LOADER}
LOADER=${2:?usage: build-initrd.sh ARCH LOADER}
err() { echo "build-initrd: ERROR: $*" >&2; exit 2; }
case $ARCH in
x86_64) TRIPLET=x86_64-linux-gnu; CC=gcc
	KAPPEND="console=ttyS0 reset_devices nr_cpus=1 irqpoll nousb panic=-1" ;;
*) err "unsupported arch $ARCH" ;;
esac
SYSROOT=$CACHE/$ARCH/sysroot
VMLINUZ=$CACHE/$ARCH/vmlinuz
BUSYBOX=$SYSROOT/bin/busybox
PEER=${PEER:-$SYSROOT/sbin/kexec}
OUT=$WORK/$ARCH
[ -s "$VMLINUZ" ] && [ -x "$BUSYBOX" ] || err "cache missing: run tests/e2e/setup.sh $ARCH"
[ -f "$LOADER" ] || err "loader '$LOADER' not found"
[ -f "$PEER" ] || err "peer loader '$PEER' not found"
mkdir -p "$OUT/bin"
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT

for t in vmcore-check marker-pin timeit; do
	[ "$OUT/bin/$t" -nt "$E2E/tools/$t.c" ] ||
		$CC -O2 -Wall -static -o "$OUT/bin/$t" "$E2E/tools/$t.c" || err "building $t"
done

resolve() { # follow symlinks inside $SYSROOT (absolute link targets are sysroot-relative)
	local f=$1 t n=0
	while [ -L "$f" ] && [ $n -lt 20 ]; do
		t=$(readlink "$f"); n=$((n+1))
		case $t in /*) [[ $f == "$SYSROOT"/* ]] && f=$SYSROOT$t || f=$t ;; *) f=$(dirname "$f")/$t ;; esac
	done
	echo "$f"
}

copy_with_libs() { # BIN DESTROOT DESTPATH
	local bin=$1 root=$2 dest=$3 interp lib src dst sr d
	install -D -m755 "$bin" "$root$dest"
	readelf -h "$bin" >/dev/null 2>&1 || return 0   # a script: copied as is
	interp=$(readelf -lW "$bin" | sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')
	local todo=()
	[ -n "$interp" ] && todo+=("$interp")
	for lib in $(readelf -dW "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do todo+=("$lib"); done
	for lib in "${todo[@]}"; do
		src=""
		if [[ $lib == /* ]]; then
			src=$SYSROOT$lib; dst=$lib
			[ -e "$src" ] || src=$lib
		else
			for sr in "$SYSROOT" /; do
				for d in lib/$TRIPLET usr/lib/$TRIPLET lib usr/lib; do
					[ -e "$sr/$d/$lib" ] && { src=$sr/$d/$lib; dst=/$d/$lib; break 2; }
				done
			done
		fi
		[ -n "$src" ] && [ -e "$src" ] || err "missing shared library $lib (needed by $bin)"
		[ -e "$root$dst" ] && continue
		copy_with_libs "$(resolve "$src")" "$root" "$dst"
	done
}

mkbase() { # DIR
	local r=$1 t
	mkdir -p "$r"/{bin,sbin,proc,sys,dev,root,tmp,etc/e2e,boot}
	install -m755 "$BUSYBOX" "$r/bin/busybox"
	ln -s busybox "$r/bin/sh"
	install -m755 "$E2E/init.sh" "$r/init"
	for t in vmcore-check marker-pin timeit; do install -m755 "$OUT/bin/$t" "$r/bin/$t"; done
	echo "$KAPPEND" > "$r/etc/e2e/kdump-append"
}
mkcpio() { (cd "$1" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) > "$2.tmp" && mv "$2.tmp" "$2"; }

mkbase "$W/kdump"
mkcpio "$W/kdump" "$OUT/initrd-kdump.img"

mkbase "$W/main"
copy_with_libs "$(readlink -f "$LOADER")" "$W/main" /sbin/kexec
copy_with_libs "$(resolve "$PEER")" "$W/main" /sbin/kexec-peer
install -m644 "$VMLINUZ" "$W/main/boot/vmlinuz"
install -m644 "$OUT/initrd-kdump.img" "$W/main/boot/initrd-kdump.img"
{ echo "loader=$(readlink -f "$LOADER")"; echo "peer=$PEER"; echo "kernel=$(cat "$CACHE/$ARCH/kernel-package" 2>/dev/null)"; } \
	> "$W/main/etc/e2e/build-info"
mkcpio "$W/main" "$OUT/initrd.img"
echo "build-initrd: $OUT/initrd.img ($(stat -c %s "$OUT/initrd.img") bytes), $OUT/initrd-kdump.img ($(stat -c %s "$OUT/initrd-kdump.img") bytes)"
