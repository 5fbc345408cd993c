#!/bin/bash
# fetch-kernel.sh [CACHE_DIR]
#
# Download Debian 12's current linux-image-6.1.*-amd64 package and keep
# only what the LIO kernel-test VM needs:
#
#   CACHE_DIR/vmlinuz                      the kernel (bzImage)
#   CACHE_DIR/vmlinux                      the same, decompressed (ELF, PVH
#                                          entry): saves ~3 s of in-guest
#                                          decompression per boot under TCG
#   CACHE_DIR/config                       its .config
#   CACHE_DIR/kernel-version               e.g. 6.1.0-56-amd64
#   CACHE_DIR/kernel-package               e.g. linux-image-6.1.0-56-amd64 6.1.192-2
#   CACHE_DIR/lib/modules/VERSION/...      the needed modules + deps, depmod'ed
#   CACHE_DIR/kernel.stamp                 written last; present == complete
#
# Idempotent: does nothing when the stamp exists and matches this recipe.
# Cache location: $LIO_VM_CACHE if set (it overrides CACHE_DIR, so one cache
# can serve every build dir), else CACHE_DIR, else ~/.cache/lio-vm.
# Environment:
#   LIO_VM_REFRESH=1        ignore the stamp and fetch again
#   LIO_VM_KERNEL_PKG=NAME  use this package instead of the one
#                           linux-image-amd64 depends on
set -eu

# Bump when the module list or layout changes: invalidates old caches.
RECIPE=4

# Modules the tests need.  Missing ones are fatal unless built in.
REQUIRED_MODULES="
configfs
target_core_mod target_core_iblock target_core_file target_core_pscsi
target_core_user iscsi_target_mod tcm_loop
crc32c_generic libcrc32c crc_t10dif
9p 9pnet 9pnet_virtio virtio_pci overlay
loop scsi_debug scsi_mod sd_mod sg
"
# Nice to have; a warning only if absent.
#   crc32c-intel/crct10dif-*: faster crcs (softdeps of libcrc32c/crc-t10dif)
#   virtio_rng: entropy for the guest
#   iscsi_tcp: kernel iSCSI initiator (open-iscsi) for later tests
#   vhost_scsi, tcm_fc: more fabrics for fabric-discovery tests
#   brd, null_blk: extra block devices for iblock backstores
OPTIONAL_MODULES="
crc32c_intel crct10dif_generic crct10dif_pclmul virtio_rng
iscsi_tcp vhost_scsi tcm_fc brd null_blk
"

log() { printf 'fetch-kernel: %s\n' "$*" >&2; }
die() { printf 'fetch-kernel: error: %s\n' "$*" >&2; exit 1; }

# $LIO_VM_CACHE, when set, wins over the argument (one cache across build dirs).
CACHE=${LIO_VM_CACHE:-${1:-${HOME:-/root}/.cache/lio-vm}}
STAMP_WANT="recipe=$RECIPE pkg=${LIO_VM_KERNEL_PKG:-auto}"

if [ "${LIO_VM_REFRESH:-0}" != 1 ] && [ -f "$CACHE/kernel.stamp" ] &&
   [ "$(cat "$CACHE/kernel.stamp")" = "$STAMP_WANT" ] &&
   [ -f "$CACHE/vmlinuz" ] && [ -f "$CACHE/kernel-version" ]; then
    exit 0
fi

# --- host tools ---------------------------------------------------------
need_pkgs=""
command -v depmod  >/dev/null 2>&1 || need_pkgs="$need_pkgs kmod"
command -v modprobe >/dev/null 2>&1 || need_pkgs="$need_pkgs kmod"
command -v xz      >/dev/null 2>&1 || need_pkgs="$need_pkgs xz-utils"
command -v dpkg    >/dev/null 2>&1 || die "dpkg not found: this script needs a Debian host"
command -v apt-get >/dev/null 2>&1 || die "apt-get not found: this script needs a Debian host"
if [ -n "$need_pkgs" ]; then
    [ "$(id -u)" = 0 ] || die "missing host packages:$need_pkgs (run as root or install them)"
    log "installing$need_pkgs"
    apt-get install -y --no-install-recommends $need_pkgs >&2 ||
        { apt-get update >&2 && apt-get install -y --no-install-recommends $need_pkgs >&2; } ||
        die "apt-get install$need_pkgs failed"
fi
# depmod/modprobe live in /sbin, which a non-root PATH may lack.
PATH=$PATH:/usr/sbin:/sbin

# --- resolve the package --------------------------------------------------
have_candidate() {
    apt-cache policy "$1" 2>/dev/null | grep -q 'Candidate: [^(]'
}
if ! have_candidate linux-image-amd64; then
    log "no apt candidate for linux-image-amd64; running apt-get update"
    apt-get update >&2 || die "apt-get update failed"
    have_candidate linux-image-amd64 || die "linux-image-amd64 not available from apt sources"
fi

if [ -n "${LIO_VM_KERNEL_PKG:-}" ]; then
    PKG=$LIO_VM_KERNEL_PKG
else
    PKG=$(apt-cache show --no-all-versions linux-image-amd64 |
          sed -n 's/^Depends: *//p' | head -n1 | tr ',|' '\n\n' |
          sed 's/^ *//; s/ .*//' | grep -E '^linux-image-[0-9].*-amd64$' | head -n1)
    [ -n "$PKG" ] || die "could not find linux-image-*-amd64 in linux-image-amd64's Depends"
fi
PKGVER=$(apt-cache policy "$PKG" | sed -n 's/^ *Candidate: *//p')
[ -n "$PKGVER" ] && [ "$PKGVER" != "(none)" ] || die "package $PKG has no apt candidate"
log "kernel package: $PKG $PKGVER"

# --- download + unpack ----------------------------------------------------
mkdir -p "$CACHE"
WORK=$(mktemp -d "$CACHE/.fetch.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
# apt's _apt sandbox user must be able to write the download dir.
chmod 0777 "$WORK"
mkdir "$WORK/dl"; chmod 0777 "$WORK/dl"

deb=""
# Reuse an already downloaded .deb (apt archive cache) if present.
for f in /var/cache/apt/archives/"${PKG}"_*_amd64.deb; do
    case $f in *"_$(printf %s "$PKGVER" | sed 's/:/%3a/')_"*) deb=$f ;; esac
done
if [ -z "$deb" ]; then
    log "apt-get download $PKG=$PKGVER"
    (cd "$WORK/dl" && apt-get download "$PKG=$PKGVER" >&2) ||
        die "apt-get download $PKG failed"
    deb=$(ls "$WORK/dl"/*.deb)
fi
log "unpacking $(basename "$deb")"
dpkg -x "$deb" "$WORK/x" || die "dpkg -x failed"

KVER=$(ls "$WORK/x/lib/modules" | head -n1)
[ -n "$KVER" ] || die "no lib/modules/<version> in $PKG"
[ -f "$WORK/x/boot/vmlinuz-$KVER" ] || die "no boot/vmlinuz-$KVER in $PKG"
SRC=$WORK/x/lib/modules/$KVER
CONFIG=$WORK/x/boot/config-$KVER

# The .deb ships no modules.dep (postinst makes it); build one to resolve deps.
depmod -b "$WORK/x" "$KVER" || die "depmod on the unpacked tree failed"

# --- resolve the module closure -----------------------------------------
# `modprobe --show-depends` prints hard deps and softdeps (pre:/post:) in
# load order: "insmod /abs/path.ko [opts]" or "builtin NAME".
: >"$WORK/keep"
resolve() { # $1 = module, $2 = required|optional
    out=$(modprobe -d "$WORK/x" -S "$KVER" --show-depends "$1" 2>/dev/null) || {
        if grep -q "/$(printf %s "$1" | sed 's/[-_]/[-_]/g')\.ko" "$SRC/modules.builtin" 2>/dev/null; then
            log "  $1: built in"
            return 0
        fi
        [ "$2" = required ] && die "module $1 is neither a module nor built into $KVER"
        log "  $1: not available (optional, skipped)"
        return 0
    }
    printf '%s\n' "$out" | while read -r kind path _rest; do
        case $kind in
            insmod) printf '%s\n' "${path#"$SRC"/}" >>"$WORK/keep" ;;
            builtin) log "  $path: built in" ;;
        esac
    done
}
for m in $REQUIRED_MODULES; do resolve "$m" required; done
for m in $OPTIONAL_MODULES; do resolve "$m" optional; done

# --- assemble the result ----------------------------------------------
OUT=$WORK/out
mkdir -p "$OUT/lib/modules/$KVER"
sort -u "$WORK/keep" | while read -r rel; do
    mkdir -p "$OUT/lib/modules/$KVER/$(dirname "$rel")"
    cp "$SRC/$rel" "$OUT/lib/modules/$KVER/$rel"
done
for f in modules.builtin modules.builtin.modinfo modules.order; do
    [ -f "$SRC/$f" ] && cp "$SRC/$f" "$OUT/lib/modules/$KVER/"
done
depmod -b "$OUT" "$KVER" || die "depmod on the kept tree failed"
cp "$WORK/x/boot/vmlinuz-$KVER" "$OUT/vmlinuz"
# Decompress the bzImage payload (Debian uses xz) into an ELF vmlinux.
# QEMU boots it through its PVH entry point (CONFIG_PVH=y), skipping the
# slow emulated decompression.  Best effort: run.sh falls back to vmlinuz.
if grep -q '^CONFIG_PVH=y' "$CONFIG" && grep -q '^CONFIG_KERNEL_XZ=y' "$CONFIG"; then
    off=$(LC_ALL=C grep -aboP '\xfd7zXZ\x00' "$OUT/vmlinuz" | head -n1 | cut -d: -f1)
    if [ -n "$off" ]; then
        # xz complains about the data after the stream; the ELF is complete.
        tail -c +$((off + 1)) "$OUT/vmlinuz" | xz -dc >"$OUT/vmlinux" 2>/dev/null || true
    fi
    if [ "$(head -c 4 "$OUT/vmlinux" 2>/dev/null | od -An -tx1 | tr -d ' ')" != 7f454c46 ]; then
        log "warning: could not extract an ELF vmlinux; booting the bzImage"
        rm -f "$OUT/vmlinux"
    fi
fi
cp "$CONFIG" "$OUT/config"
printf '%s\n' "$KVER" >"$OUT/kernel-version"
printf '%s %s\n' "$PKG" "$PKGVER" >"$OUT/kernel-package"

# Replace the old result (if any), stamp last.
rm -f "$CACHE/kernel.stamp" "$CACHE/initramfs.stamp"
rm -rf "${CACHE:?}/lib" "$CACHE/vmlinuz" "$CACHE/vmlinux" "$CACHE/config" "$CACHE/kernel-version" "$CACHE/kernel-package"
mv "$OUT"/* "$CACHE/"
printf '%s\n' "$STAMP_WANT" >"$CACHE/kernel.stamp"
log "kept $(sort -u "$WORK/keep" | wc -l) modules for $KVER in $CACHE ($(du -sh "$CACHE/lib" | cut -f1))"
