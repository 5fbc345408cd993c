#!/bin/bash
# build-initramfs.sh [CACHE_DIR]
#
# Build CACHE_DIR/initramfs.cpio.gz for the LIO test VM: static busybox,
# tests/vm/init.sh as /init, and the kernel module tree fetched by
# fetch-kernel.sh (which this script runs first if needed).
# Rebuilt only when an input changes (CACHE_DIR/initramfs.stamp).
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
log() { printf 'build-initramfs: %s\n' "$*" >&2; }
die() { printf 'build-initramfs: error: %s\n' "$*" >&2; exit 1; }

# $LIO_VM_CACHE, when set, wins over the argument (one cache across build dirs).
CACHE=${LIO_VM_CACHE:-${1:-${HOME:-/root}/.cache/lio-vm}}
BUSYBOX=${LIO_VM_BUSYBOX:-/bin/busybox}

# Modules insmod'ed by /init before anything else (with their deps).
# Deliberately NOT target_core_* / iscsi_target_mod / tcm_loop: the code
# under test must load those itself (libkmod).
BOOT_MODULES="virtio_pci virtio_rng 9pnet_virtio 9p overlay configfs crc32c_generic loop scsi_mod sd_mod sg"

# --- host packages --------------------------------------------------------
missing=""
dpkg -s busybox-static >/dev/null 2>&1 || missing="$missing busybox-static"
command -v cpio >/dev/null 2>&1 || missing="$missing cpio"
command -v gzip >/dev/null 2>&1 || missing="$missing gzip"
if [ -n "$missing" ]; then
    [ "$(id -u)" = 0 ] || die "missing host packages:$missing (run as root or install them)"
    log "installing$missing"
    apt-get install -y --no-install-recommends $missing >&2 ||
        { apt-get update >&2 && apt-get install -y --no-install-recommends $missing >&2; } ||
        die "apt-get install$missing failed"
fi
PATH=$PATH:/usr/sbin:/sbin
[ -x "$BUSYBOX" ] || die "$BUSYBOX not found"
if ldd "$BUSYBOX" >/dev/null 2>&1; then
    die "$BUSYBOX is dynamically linked; install busybox-static"
fi

"$HERE/fetch-kernel.sh" "$CACHE"
KVER=$(cat "$CACHE/kernel-version")
MODDIR=$CACHE/lib/modules/$KVER

inputs_hash() {
    {
        cat "$CACHE/kernel.stamp" "$CACHE/kernel-version"
        echo "$BOOT_MODULES"
        cat "$HERE/init.sh" "$HERE/build-initramfs.sh"
        sha256sum <"$BUSYBOX"
    } | sha256sum | cut -d' ' -f1
}
WANT=$(inputs_hash)
OUT=$CACHE/initramfs.cpio.gz
if [ -f "$OUT" ] && [ -f "$CACHE/initramfs.stamp" ] &&
   [ "$(cat "$CACHE/initramfs.stamp")" = "$WANT" ]; then
    exit 0
fi

log "building $OUT"
WORK=$(mktemp -d "$CACHE/.initramfs.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
R=$WORK/root
mkdir -p "$R"/bin "$R"/sbin "$R"/usr/bin "$R"/usr/sbin "$R"/etc/lio-vm \
         "$R"/proc "$R"/sys "$R"/dev "$R"/tmp "$R"/run "$R"/mnt "$R"/newroot "$R"/lib/modules
cp "$BUSYBOX" "$R/bin/busybox"
ln -s busybox "$R/bin/sh"
cp "$HERE/init.sh" "$R/init"
chmod 0755 "$R/init"
# Lets the kernel open an initial console; /init also reopens it after
# mounting devtmpfs, so this is best effort (needs root).
mknod -m 600 "$R/dev/console" c 5 1 2>/dev/null || true
cp -a "$MODDIR" "$R/lib/modules/"

# Boot module load order, relative to lib/modules/$KVER.
: >"$R/etc/lio-vm/boot-modules"
for m in $BOOT_MODULES; do
    out=$(modprobe -d "$CACHE" -S "$KVER" --show-depends "$m" 2>/dev/null) || {
        log "warning: boot module $m not in the cache (built in?)"
        continue
    }
    printf '%s\n' "$out" | while read -r kind path _rest; do
        [ "$kind" = insmod ] || continue
        rel=${path#"$MODDIR"/}
        grep -qxF "$rel" "$R/etc/lio-vm/boot-modules" ||
            printf '%s\n' "$rel" >>"$R/etc/lio-vm/boot-modules"
    done
done

(cd "$R" && find . -print0 | LC_ALL=C sort -z |
    cpio --null -o -H newc --owner=0:0 --quiet) | gzip -6 >"$WORK/initramfs.cpio.gz" ||
    die "cpio failed"
mv "$WORK/initramfs.cpio.gz" "$OUT"
printf '%s\n' "$WANT" >"$CACHE/initramfs.stamp"
log "done: $(du -h "$OUT" | cut -f1)"
