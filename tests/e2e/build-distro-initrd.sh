#!/bin/bash
# tests/e2e/build-distro-initrd.sh — a distro-sized kdump initramfs for bench/bench-reload.sh.
#
# usage: build-distro-initrd.sh ARCH OUT
# env:   KERNEL=6.1|7.3, E2E_CACHE (default tests/e2e/cache), E2E_WORK (default tests/e2e/work)
#        ZSTDLEVEL=3 (zstd's own default; initramfs-tools compresses with zstd -T0 at the
#        configured COMPRESSLEVEL)
# OUT is shaped like Debian initramfs-tools' output with MODULES=most for that kernel: an
# uncompressed early cpio (kernel/x86/microcode/, here a placeholder file) followed by the
# zstd-compressed main newc cpio that holds busybox (+ the e2e /init and tools, so it also boots
# as a kdump initrd) and the kernel's own modules, the sets auto_add_modules copies for "most":
# filesystems, crypto, lib, and the storage, input, USB host/storage, bus/clock/PHY/pinctrl and
# (wired) network drivers, with modules.builtin/order/dep. The modules come from the kernel's deb
# that tests/e2e/setup.sh already put in cache/<kernel>/<arch>/debs (6.1: linux-image-*, which
# carries lib/modules; 7.3: linux-modules-*, usr/lib/modules); nothing is downloaded here.
# modules.dep is a placeholder (no depmod on the host is assumed): nothing in the bench loads
# a module; the size is what matters. Typical size (6.1): ~30 MB. Exit 0 ok, 2 error.
set -euo pipefail
E2E=$(cd "$(dirname "$0")" && pwd)
CACHE=${E2E_CACHE:-$E2E/cache}
WORK=${E2E_WORK:-$E2E/work}
ARCH=${1:?usage: build-distro-initrd.sh ARCH OUT}
OUTF=${2:?usage: build-distro-initrd.sh ARCH OUT}
KERNEL=${KERNEL:-6.1}
err() { echo "build-distro-initrd: ERROR: $*" >&2; exit 2; }
[ "$ARCH" = x86_64 ] || err "unsupported arch $ARCH"
KDIR=$CACHE/$KERNEL/$ARCH
BUSYBOX=$CACHE/$ARCH/sysroot/bin/busybox
TOOLS=$WORK/tools/$ARCH
[ -x "$BUSYBOX" ] || err "cache missing: run tests/e2e/setup.sh $ARCH"
command -v zstd >/dev/null || err "zstd missing (apt-get install zstd)"
deb=$(ls "$KDIR"/debs/linux-modules-*.deb 2>/dev/null | head -n1 || true)
[ -n "$deb" ] || deb=$(ls "$KDIR"/debs/linux-image-*.deb 2>/dev/null | head -n1 || true)
[ -n "$deb" ] || err "no linux-modules-*/linux-image-* deb in $KDIR/debs: run E2E_KERNELS=$KERNEL tests/e2e/setup.sh $ARCH"

# the whole module tree, extracted once per deb (~400 MB for 6.1) under work/
MT=$WORK/$KERNEL/$ARCH/distro-modules
if [ ! -e "$MT/.done-$(basename "$deb")" ]; then
	rm -rf "$MT"; mkdir -p "$MT"
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$MT" --wildcards './lib/modules/*' './usr/lib/modules/*' 2>/dev/null || true
fi
kt=""; for k in "$MT"/lib/modules/*/kernel "$MT"/usr/lib/modules/*/kernel; do [ -d "$k" ] && { kt=$k; break; }; done
[ -n "$kt" ] || err "no modules in $deb"
touch "$MT/.done-$(basename "$deb")"
mdir=$(dirname "$kt"); ver=$(basename "$mdir")

W=$(mktemp -d); trap 'rm -rf "$W"' EXIT
R=$W/main
mkdir -p "$R"/{bin,sbin,proc,sys,dev,root,tmp,etc/e2e,run,var,usr/lib,lib/modules/"$ver"/kernel}
install -m755 "$BUSYBOX" "$R/bin/busybox"; ln -s busybox "$R/bin/sh"
install -m755 "$E2E/init.sh" "$R/init"
for t in vmcore-check marker-pin timeit; do [ -x "$TOOLS/$t" ] && install -m755 "$TOOLS/$t" "$R/bin/$t"; done
echo "console=ttyS0 reset_devices nr_cpus=1 irqpoll nousb panic=-1" > "$R/etc/e2e/kdump-append"
echo "distro-sized kdump initrd ($KERNEL, $ver)" > "$R/etc/e2e/part-distro"

# auto_add_modules "most": directories under kernel/ (those absent in this kernel are skipped)
DIRS="fs crypto lib arch/x86/crypto
 drivers/ata drivers/block drivers/nvme drivers/md drivers/scsi drivers/ufs drivers/mmc
 drivers/virtio drivers/firewire drivers/hid drivers/input/keyboard drivers/input/serio
 drivers/usb/host drivers/usb/storage drivers/usb/common drivers/bus drivers/clk drivers/i2c/busses
 drivers/i2c/muxes drivers/mfd drivers/pci/controller drivers/phy drivers/pinctrl drivers/regulator
 drivers/reset drivers/rtc drivers/net drivers/nvdimm drivers/dax"
# network: what auto_add_modules net leaves out
NOTNET="drivers/net/wireless drivers/net/usb drivers/net/can drivers/net/hamradio drivers/net/wan
 drivers/net/ieee802154 drivers/net/wwan drivers/net/arcnet drivers/net/team drivers/net/bonding"
for d in $DIRS; do
	[ -d "$kt/$d" ] || continue
	mkdir -p "$R/lib/modules/$ver/kernel/$(dirname "$d")"
	cp -a "$kt/$d" "$R/lib/modules/$ver/kernel/$d"
done
for d in $NOTNET; do rm -rf "$R/lib/modules/$ver/kernel/$d"; done
for f in modules.builtin modules.builtin.modinfo modules.order; do
	[ -f "$mdir/$f" ] && cp "$mdir/$f" "$R/lib/modules/$ver/"
done
(cd "$R/lib/modules/$ver" && find kernel -name '*.ko*' | LC_ALL=C sort | sed 's/$/:/' > modules.dep)
nmod=$(grep -c . "$R/lib/modules/$ver/modules.dep")

mkdir -p "$W/early/kernel/x86/microcode"
echo "not microcode: kexec-ng bench distro-sized initrd" > "$W/early/kernel/x86/microcode/.bench-early"
mkcpio() { (cd "$1" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0); }
mkcpio "$W/early" > "$W/early.cpio"
mkcpio "$R" > "$W/main.cpio"
{ cat "$W/early.cpio"; zstd -q -T0 "-${ZSTDLEVEL:-3}" -c "$W/main.cpio"; } > "$OUTF.tmp"
mv "$OUTF.tmp" "$OUTF"
echo "build-distro-initrd: [$KERNEL $ver] $OUTF: $(stat -c %s "$OUTF") bytes (zstd -${ZSTDLEVEL:-3}; $nmod modules, main cpio $(stat -c %s "$W/main.cpio") bytes uncompressed)"
