#!/bin/bash
# tests/e2e/build-initrd.sh — build the initramfs images of the QEMU e2e tests for one kernel.
#
# usage: build-initrd.sh ARCH LOADER
#   ARCH    x86_64 | arm64 (arm64: the tools are built with aarch64-linux-gnu-gcc -static; busybox,
#           the peer and its libraries come from the arm64 debs extracted into cache/arm64/sysroot)
#   LOADER  the kexec binary under test (ours: kexec/kexec; any kexec-tools-CLI loader works)
# env:   KERNEL=6.1|7.3  the guest kernel (cache/<kernel>/<arch>/vmlinuz, from setup.sh); it is both
#                        the first kernel and, as /boot/vmlinuz, the kdump / kexec'd kernel
#        E2E_CACHE (default tests/e2e/cache), E2E_WORK (default tests/e2e/work)
#        PEER=path  the reference loader put at /sbin/kexec-peer (default: Debian's kexec-tools
#                   from cache/<arch>/sysroot, i.e. the same binary on every machine)
#        KDUMP_ELF=path  kdump-elf put at /sbin/kdump-elf (default: ../kdump-elf/kdump-elf next to
#                   LOADER's directory, i.e. the same build; left out when absent)
# out:   work/<kernel>/<arch>/initrd-kdump.img  busybox + /init + test tools (the kdump/second
#                                     kernel's); uncompressed newc cpio
#        work/<kernel>/<arch>/initrd-kdump-gzip2.img  the same as TWO concatenated gzip members
#                                     (gzip a > x; gzip b >> x): the first holds everything except
#                                     /bin/vmcore-check, the second /bin/vmcore-check. Each member
#                                     adds /etc/e2e/part-gz1|gz2, which the kdump /init checks
#                                     (e2e_parts=); a loader that keeps only the first member fails
#        work/<kernel>/<arch>/initrd-kdump-concat.img  an uncompressed early cpio (the microcode
#                                     directory kernel/x86/microcode/ with a harmless non-microcode
#                                     file, and /etc/e2e/part-early) followed by the zstd-compressed
#                                     main cpio (+ /etc/e2e/part-main), as dracut/initramfs-tools
#                                     build them
#        work/<kernel>/<arch>/initrd.img  the first kernel's: the kdump image + /sbin/kexec (LOADER)
#                                     + /sbin/kexec-peer, their shared libs, /boot/vmlinuz, the
#                                     three kdump images under /boot, and bench/bench-reload.sh
#                                     as /bin/bench-reload
#        work/tools/<arch>/{vmcore-check,marker-pin,timeit} (static helpers, rebuilt when stale)
#        The first kernel's image also holds /lib/modules/*.ko + /etc/e2e/modules when setup.sh
#        wrote cache/<kernel>/<arch>/modules/virtio-mem.order (insmod'ed with e2e_modules=1)
# A static LOADER is copied as is; for a dynamic one the DT_NEEDED closure is found with
# readelf in cache/<arch>/sysroot first, then (x86_64 only) in the host's /lib, /usr/lib.
# The first kernel's image is an uncompressed newc cpio; ~1 s. Exit: 0 ok, 2 error.
set -euo pipefail
E2E=$(cd "$(dirname "$0")" && pwd)
CACHE=${E2E_CACHE:-$E2E/cache}
WORK=${E2E_WORK:-$E2E/work}
ARCH=${1:?usage: build-initrd.sh ARCH LOADER}
LOADER=${2:?usage: build-initrd.sh ARCH LOADER}
KERNEL=${KERNEL:-6.1}
err() { echo "build-initrd: ERROR: $*" >&2; exit 2; }
# KAPPEND: the kdump kernel's base command line, as distros' kdump configurations pass it.
# arm64 adds cma=0 (Fedora's kdump-utils does on aarch64): else the kdump kernel spends 64 MiB
# of its crash region on its own default CMA area (Debian's arm64 CONFIG_CMA_SIZE_MBYTES=64).
case $ARCH in
x86_64) TRIPLET=x86_64-linux-gnu; CC=gcc
	KAPPEND="console=ttyS0 reset_devices nr_cpus=1 irqpoll nousb panic=-1" ;;
arm64)	TRIPLET=aarch64-linux-gnu; CC=aarch64-linux-gnu-gcc
	command -v $CC >/dev/null || err "$CC missing (apt-get install gcc-aarch64-linux-gnu libc6-dev-arm64-cross; tests/e2e/setup.sh arm64)"
	KAPPEND="console=ttyAMA0 reset_devices nr_cpus=1 irqpoll nousb panic=-1 cma=0" ;;
*) err "unsupported arch $ARCH (x86_64|arm64)" ;;
esac
SYSROOT=$CACHE/$ARCH/sysroot
KDIR=$CACHE/$KERNEL/$ARCH
VMLINUZ=$KDIR/vmlinuz
BUSYBOX=$SYSROOT/bin/busybox
PEER=${PEER:-$SYSROOT/sbin/kexec}
OUT=$WORK/$KERNEL/$ARCH
TOOLS=$WORK/tools/$ARCH
[ -s "$VMLINUZ" ] || err "kernel cache missing: run E2E_KERNELS=$KERNEL tests/e2e/setup.sh $ARCH"
[ -x "$BUSYBOX" ] || err "cache missing: run tests/e2e/setup.sh $ARCH"
[ -f "$LOADER" ] || err "loader '$LOADER' not found"
[ -f "$PEER" ] || err "peer loader '$PEER' not found"
command -v zstd >/dev/null || err "zstd missing (apt-get install zstd)"
mkdir -p "$OUT" "$TOOLS"
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT

for t in vmcore-check marker-pin timeit; do
	[ "$TOOLS/$t" -nt "$E2E/tools/$t.c" ] && [ "$TOOLS/$t" -nt "$0" ] ||
		$CC -O2 -Wall -static -o "$TOOLS/$t" "$E2E/tools/$t.c" || err "building $t"
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
			srs="$SYSROOT /"; [ "$ARCH" = x86_64 ] || srs=$SYSROOT   # never the host's libraries for arm64
			for sr in $srs; do
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
	for t in vmcore-check marker-pin timeit; do install -m755 "$TOOLS/$t" "$r/bin/$t"; done
	echo "$KAPPEND" > "$r/etc/e2e/kdump-append"
}
mkcpio() { (cd "$1" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) > "$2.tmp" && mv "$2.tmp" "$2"; }

part() { echo "$2" > "$1/etc/e2e/part-$3"; } # DIR TEXT NAME: a marker the kdump /init lists

mkbase "$W/kdump"
mkcpio "$W/kdump" "$OUT/initrd-kdump.img"

# two gzip members; the second carries what the kdump /init cannot do without
mkbase "$W/gz1"; rm "$W/gz1/bin/vmcore-check"; part "$W/gz1" "first gzip member" gz1
mkdir -p "$W/gz2/bin" "$W/gz2/etc/e2e"; install -m755 "$TOOLS/vmcore-check" "$W/gz2/bin/vmcore-check"
part "$W/gz2" "second gzip member" gz2
mkcpio "$W/gz1" "$W/gz1.cpio"; mkcpio "$W/gz2" "$W/gz2.cpio"
gzip -9 -n -c "$W/gz1.cpio" > "$OUT/initrd-kdump-gzip2.img.tmp"
gzip -9 -n -c "$W/gz2.cpio" >> "$OUT/initrd-kdump-gzip2.img.tmp"
mv "$OUT/initrd-kdump-gzip2.img.tmp" "$OUT/initrd-kdump-gzip2.img"

# early (uncompressed) cpio + zstd main cpio
mkdir -p "$W/early/kernel/x86/microcode" "$W/early/etc/e2e"
echo "not microcode: kexec-ng e2e early cpio" > "$W/early/kernel/x86/microcode/.e2e-early"
part "$W/early" "early uncompressed cpio" early
mkbase "$W/zmain"; part "$W/zmain" "zstd main cpio" main
mkcpio "$W/early" "$W/early.cpio"; mkcpio "$W/zmain" "$W/zmain.cpio"
{ cat "$W/early.cpio"; zstd -q -3 -c "$W/zmain.cpio"; } > "$OUT/initrd-kdump-concat.img.tmp"
mv "$OUT/initrd-kdump-concat.img.tmp" "$OUT/initrd-kdump-concat.img"

mkbase "$W/main"
# virtio-mem (arm64 hot-add scenario): the modules setup.sh put into modules/virtio-mem.order,
# in that order; the first kernel insmods them when its command line has e2e_modules=1
if [ -s "$KDIR/modules/virtio-mem.order" ]; then
	mkdir -p "$W/main/lib/modules"
	for m in $(cat "$KDIR/modules/virtio-mem.order"); do
		install -m644 "$KDIR/modules/$m.ko" "$W/main/lib/modules/$m.ko" || err "module $m.ko missing from $KDIR/modules"
	done
	cp "$KDIR/modules/virtio-mem.order" "$W/main/etc/e2e/modules"
fi
copy_with_libs "$(readlink -f "$LOADER")" "$W/main" /sbin/kexec
copy_with_libs "$(resolve "$PEER")" "$W/main" /sbin/kexec-peer
# kdump-elf (show --state after a hot-add) when it sits next to an in-tree loader build
KDUMP_ELF=${KDUMP_ELF:-$(dirname "$(readlink -f "$LOADER")")/../kdump-elf/kdump-elf}
[ -f "$KDUMP_ELF" ] && copy_with_libs "$(readlink -f "$KDUMP_ELF")" "$W/main" /sbin/kdump-elf
# the guest half of bench/bench-reload.sh (e2e_mode=bench)
BENCH=$E2E/../../bench/bench-reload.sh
[ -f "$BENCH" ] && install -m755 "$BENCH" "$W/main/bin/bench-reload"
install -m644 "$VMLINUZ" "$W/main/boot/vmlinuz"
for f in initrd-kdump initrd-kdump-gzip2 initrd-kdump-concat; do
	install -m644 "$OUT/$f.img" "$W/main/boot/$f.img"
done
{ echo "loader=$(readlink -f "$LOADER")"; echo "peer=$PEER"
  echo "kernel=$(cat "$KDIR/kernel-package" 2>/dev/null) ($KERNEL)"; } > "$W/main/etc/e2e/build-info"
mkcpio "$W/main" "$OUT/initrd.img"
sz() { stat -c %s "$OUT/$1"; }
echo "build-initrd: [$KERNEL] $OUT/initrd.img ($(sz initrd.img) bytes), initrd-kdump.img ($(sz initrd-kdump.img)), -gzip2 ($(sz initrd-kdump-gzip2.img)), -concat ($(sz initrd-kdump-concat.img))"
