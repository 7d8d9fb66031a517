#!/usr/bin/env bash
# Builds a flashable SD card image of cartable for the Raspberry Pi 3, 4, 5 and Zero 2 W (64-bit)
# with Debian's own tools: vmdb2 and debootstrap make Debian 12 bookworm arm64 with raspi-firmware
# (non-free-firmware) from image/cartable-pi.yaml, and image/install.sh --root bakes cartable in
# (service, USB sticks, journald limits; no first admin: create it at first boot, see README).
#
# Usage: sudo image/build-image.sh [--binary PATH] [--password-file FILE]
#   --binary PATH         the aarch64 binary (default target/dist/cartable-aarch64, from image/build.sh)
#   --password-file FILE  first line: the password of the login `technicien` (sudo); default
#                         "cartable". Either way it must be changed at the first login.
# Writes target/cartable-pi.img (3.5 GB, sparse) and a vmdb2 log beside it; a rootfs cache
# (target/cartable-pi-rootfs.tar.gz) makes later builds skip debootstrap and apt.
#
# Needs root on a Debian 12 machine whose kernel has loop devices, device-mapper (vmdb2 maps the
# partitions with kpartx) and the vfat file system (the firmware partition is mounted to fill it),
# binfmt_misc with qemu-user-static for arm64 (debootstrap's second stage and apt run arm64
# programs), and the Debian mirror (deb.debian.org). It checks all that first and says what lacks.
set -euo pipefail
cd "$(dirname "$0")/.."

binary=target/dist/cartable-aarch64
password_file=""
while [ $# -gt 0 ]; do
  case "$1" in
    --binary) binary=${2:?--binary needs a path}; shift ;;
    --password-file) password_file=${2:?--password-file needs a file}; shift ;;
    *) sed -n '2,/^set -euo/p' "$0" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//' >&2; exit 2 ;;
  esac
  shift
done

die() { echo "build-image.sh: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "run it as root (vmdb2 makes loop devices and mounts)"
[ -f "$binary" ] || die "no binary at $binary: run image/build.sh aarch64 first"
case "$(file -b "$binary")" in
  *"ARM aarch64"*"statically linked"* | *"ARM aarch64"*static-pie*) ;;
  *) die "$binary is not a static aarch64 binary: $(file -b "$binary")" ;;
esac

missing=()
need() { command -v "$1" >/dev/null 2>&1 || missing+=("$2"); }
need vmdb2 vmdb2
need debootstrap debootstrap
need qemu-aarch64-static qemu-user-static
need update-binfmts binfmt-support
need kpartx kpartx
need parted parted
need mkfs.vfat dosfstools
need mkfs.ext4 e2fsprogs
need openssl openssl
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# What the kernel must offer; a container or a small VM often lacks one of them.
problems=()
[ -e /dev/loop-control ] || problems+=("no loop devices (/dev/loop-control)")
grep -qw device-mapper /proc/devices || modprobe dm_mod 2>/dev/null || problems+=("no device-mapper in this kernel (kpartx cannot map the image's partitions)")
grep -qw vfat /proc/filesystems || modprobe vfat 2>/dev/null || problems+=("no vfat file system in this kernel (the firmware partition cannot be mounted)")
if ! grep -qs '^enabled' /proc/sys/fs/binfmt_misc/qemu-aarch64; then
  mountpoint -q /proc/sys/fs/binfmt_misc || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc || true
  update-binfmts --enable qemu-aarch64 2>/dev/null || problems+=("arm64 programs cannot run: binfmt_misc with qemu-aarch64 unavailable")
fi
if [ ${#problems[@]} -gt 0 ]; then
  printf 'build-image.sh: this machine cannot build the image:\n' >&2
  printf '  - %s\n' "${problems[@]}" >&2
  exit 1
fi

password=cartable
[ -z "$password_file" ] || password=$(head -n1 "$password_file")
TECHNICIAN_PASSWORD_HASH=$(printf '%s' "$password" | openssl passwd -6 -stdin)
CARTABLE_REPO=$PWD
CARTABLE_BINARY=$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")
export TECHNICIAN_PASSWORD_HASH CARTABLE_REPO CARTABLE_BINARY

mkdir -p target
image=target/cartable-pi.img
started=$(date +%s)
vmdb2 --verbose --rootfs-tarball target/cartable-pi-rootfs.tar.gz --output "$image" \
  --log target/cartable-pi.log image/cartable-pi.yaml
seconds=$(($(date +%s) - started))
echo "$image: $(du -h --apparent-size "$image" | cut -f1) (sparse: $(du -h "$image" | cut -f1) used), sha256 $(sha256sum "$image" | cut -d' ' -f1)"
echo "built in $((seconds / 60))m$((seconds % 60))s. Flash it: Raspberry Pi Imager (custom image), or dd if=$image of=/dev/sdX bs=4M conv=fsync"
