#!/bin/bash
# Install what building and testing kexec-ng needs on Debian 12 (as root).
# usage: tests/deps.sh [build]   (build = only the compiler side; default = everything incl. e2e)
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
pkgs="build-essential autoconf automake pkg-config libfdt-dev libelf-dev zlib1g-dev libssl-dev libzstd-dev liblzma-dev python3"
[ "${1:-all}" = build ] || pkgs="$pkgs qemu-system-x86 ovmf cpio gzip zstd xz-utils debian-archive-keyring binutils bc file kexec-tools util-linux clang libclang-rt-14-dev"
missing=$(for p in $pkgs; do dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"; done)
if [ -n "$missing" ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "deps.sh: missing packages ($missing); run as root or install them" >&2
		exit 1
	fi
	apt-get update -q >/dev/null
	# kexec-tools asks whether to handle reboots; keep it out of the boot path
	echo "kexec-tools kexec-tools/load_kexec boolean false" | debconf-set-selections 2>/dev/null || true
	apt-get install -y -q --no-install-recommends $missing >/dev/null
fi
