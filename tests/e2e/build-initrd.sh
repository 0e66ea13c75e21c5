#!/bin/bash
# tests/e2e/build-initrd.sh — build the initramfs images of the QEMU e2e tests for one kernel.
#
# usage: build-initrd.sh ARCH LOADER
#   ARCH    x86_64 (arm64 later)
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
# A static LOADER is copied as is; for a dynamic one the DT_NEEDED closure is found with
# readelf in cache/<arch>/sysroot first, then (x86_64) in the host's /lib, /usr/lib.
# The first kernel's image is an uncompressed newc cpio; ~1 s. Exit: 0 ok, 2 error.
set -euo pipefail
E2E=$(cd "$(dirname "$0")" && pwd)
CACHE=${E2E_CACHE:-$E2E/cache}
WORK=${E2E_WORK:-$E2E/work}
ARCH=${1:?usage: build-initrd.sh ARCH LOADER}
LOADER=${2:?usage: build-initrd.sh ARCH LOADER}
KERNEL=${KERNEL:-6.1}
err() { echo "build-initrd: ERROR: $*" >&2; exit 2; }
case $ARCH in
x86_64) TRIPLET=x86_64-linux-gnu; CC=gcc
	KAPPEND="console=ttyS0 reset_devices nr_cpus=1 irqpoll nousb panic=-1" ;;
*) err "unsupported arch $ARCH" ;;
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
	[ "$TOOLS/$t" -nt "$E2E/tools/$t.c" ] ||
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
