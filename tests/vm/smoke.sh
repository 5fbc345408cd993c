#!/bin/bash
# smoke.sh - proves the VM rig with raw configfs operations (no project code).
# Runs INSIDE the guest:   tests/vm/run.sh -- tests/vm/smoke.sh
#
# Checks: target_core_mod/iscsi_target_mod load through modprobe; an rd_mcp
# ramdisk, a fileio and an iblock (on a loop device) backstore; an iSCSI
# target with IPv4 and IPv6 portals that libiscsi (iscsi-inq,
# iscsi-readcapacity16, qemu-img's iscsi driver) can log in to, write and
# read back; a tcm_loop target that shows up as a local SCSI disk; full
# teardown back to an empty configfs and unloadable modules; loop devices;
# scsi_debug giving /dev/sdX and /dev/sgX.
# Writes a summary to $LIO_VM_OUT/smoke-summary.txt.
set -eu

if [ "${LIO_VM:-}" != 1 ]; then
    echo "smoke.sh: refusing to run outside the test VM (it loads target modules);" >&2
    echo "          use: tests/vm/run.sh -- tests/vm/smoke.sh" >&2
    exit 2
fi

CFG=/sys/kernel/config/target
IQN=iqn.2003-01.org.example:t1
TPG=$CFG/iscsi/$IQN/tpgt_1
LOOP_WWN=naa.5001405000000001
LOOP_NEXUS=naa.5001405000000002
LTPG=$CFG/loopback/$LOOP_WWN/tpgt_1
SCRATCH=$(mktemp -d /tmp/smoke.XXXXXX)
SUMMARY=${LIO_VM_OUT:-/tmp}/smoke-summary.txt
: >"$SUMMARY"

step() { printf '\n== [%s] %s\n' "$(cut -d' ' -f1 /proc/uptime)" "$*"; }
ok()   { printf 'ok: %s\n' "$*"; printf 'ok: %s\n' "$*" >>"$SUMMARY"; }
fail() { printf 'FAIL: %s\n' "$*" >&2; printf 'FAIL: %s\n' "$*" >>"$SUMMARY"; exit 1; }
run()  { printf '+ %s\n' "$*"; "$@" || fail "command failed ($?): $*"; }
put()  { # put VALUE FILE
    printf '+ echo %s > %s\n' "$1" "$2"
    printf '%s\n' "$1" >"$2" || fail "write '$1' to $2"
}
wait_for() { # wait_for SECONDS TEST...
    t=$1; shift
    i=0
    while ! "$@"; do
        i=$((i + 1)); [ "$i" -le $((t * 10)) ] || return 1; sleep 0.1
    done
}
sd_list() { for d in /sys/block/sd*; do [ -e "$d" ] && echo "${d##*/}"; done; return 0; }
trap 'rc=$?; [ $rc = 0 ] || { echo "--- dmesg tail"; dmesg | tail -n 30; }' EXIT

echo "kernel $(uname -r), $(nproc) cpu(s), cwd $PWD"

# ---------------------------------------------------------------------------
step "guest sanity"
[ -d /sys/kernel/config ] || fail "no /sys/kernel/config"
grep -q ' /sys/kernel/config configfs' /proc/mounts || fail "configfs not mounted"
[ -f "/lib/modules/$(uname -r)/modules.dep" ] || fail "no modules.dep for $(uname -r)"
grep -q '^target_core_mod ' /proc/modules && fail "target_core_mod is pre-loaded (must not be)"
grep -q '^crc32c_generic ' /proc/modules || fail "crc32c_generic not pre-loaded"
ok "configfs mounted, modules.dep present, target modules not pre-loaded"

# ---------------------------------------------------------------------------
step "target core + backstores"
run modprobe target_core_mod
[ -d "$CFG/core" ] || fail "$CFG/core missing after modprobe target_core_mod"
echo "version: $(cat "$CFG/version")"
ok "target_core_mod loaded ($(head -n1 "$CFG/version"))"

# rd_mcp ramdisk, 32 MiB
run mkdir -p "$CFG/core/rd_mcp_0/r0"
put rd_pages=8192 "$CFG/core/rd_mcp_0/r0/control"
put 1 "$CFG/core/rd_mcp_0/r0/enable"
ok "rd_mcp backstore r0"

# fileio on a sparse file, 16 MiB
run modprobe target_core_file
run truncate -s 16M "$SCRATCH/fileio.img"
run mkdir -p "$CFG/core/fileio_0/f0"
put "fd_dev_name=$SCRATCH/fileio.img,fd_dev_size=16777216" "$CFG/core/fileio_0/f0/control"
put 1 "$CFG/core/fileio_0/f0/enable"
ok "fileio backstore f0"

# iblock on a loop device over a sparse file, 64 MiB
run truncate -s 64M "$SCRATCH/loop.img"
LOOPDEV=$(losetup -f --show "$SCRATCH/loop.img") || fail "losetup failed"
[ -b "$LOOPDEV" ] || fail "$LOOPDEV is not a block device"
[ "$(blockdev --getsize64 "$LOOPDEV")" = 67108864 ] || fail "$LOOPDEV has the wrong size"
ok "loop device $LOOPDEV"
run modprobe target_core_iblock
run mkdir -p "$CFG/core/iblock_0/b0"
put "udev_path=$LOOPDEV" "$CFG/core/iblock_0/b0/control"
put 1 "$CFG/core/iblock_0/b0/enable"
ok "iblock backstore b0 on $LOOPDEV"

# ---------------------------------------------------------------------------
step "iSCSI target"
run modprobe iscsi_target_mod
run mkdir "$CFG/iscsi"
[ -f "$CFG/iscsi/discovery_auth/enforce_discovery_auth" ] || fail "iscsi fabric did not register"
run mkdir -p "$TPG"
n=0
for so in rd_mcp_0/r0 fileio_0/f0 iblock_0/b0; do
    run mkdir "$TPG/lun/lun_$n"
    run ln -s "$CFG/core/$so" "$TPG/lun/lun_$n/port_$n"
    n=$((n + 1))
done
run mkdir "$TPG/np/127.0.0.1:3260"
run mkdir "$TPG/np/[::1]:3260"
put 1 "$TPG/attrib/generate_node_acls"
put 1 "$TPG/attrib/cache_dynamic_acls"
put 0 "$TPG/attrib/demo_mode_write_protect"
put 0 "$TPG/attrib/authentication"
put 1 "$TPG/enable"
ok "iSCSI target $IQN (3 LUNs, portals 127.0.0.1:3260 and [::1]:3260)"

U4=iscsi://127.0.0.1/$IQN
U6="iscsi://[::1]/$IQN"

step "libiscsi: inquiry / read capacity"
out=$(iscsi-inq "$U4/0" 2>&1) || fail "iscsi-inq $U4/0: $out"
echo "$out"
echo "$out" | grep -q 'LIO-ORG' || fail "iscsi-inq: not a LIO LUN"
ok "iscsi-inq over IPv4"
out=$(iscsi-readcapacity16 "$U4/0" 2>&1) || fail "iscsi-readcapacity16 $U4/0: $out"
echo "$out"
size=$(iscsi-readcapacity16 -s "$U4/0") || fail "iscsi-readcapacity16 -s $U4/0"
[ "$size" = 33554432 ] || fail "rd LUN size over IPv4 is $size, want 33554432"
ok "iscsi-readcapacity16 over IPv4 (rd LUN 0: $size bytes)"
size=$(iscsi-readcapacity16 -s "$U6/0") || fail "iscsi-readcapacity16 -s $U6/0"
[ "$size" = 33554432 ] || fail "rd LUN size over IPv6 is $size, want 33554432"
ok "iscsi-readcapacity16 over IPv6 (rd LUN 0: $size bytes)"
size=$(iscsi-readcapacity16 -s "$U6/1") || fail "iscsi-readcapacity16 -s $U6/1"
[ "$size" = 16777216 ] || fail "fileio LUN size is $size, want 16777216"
size=$(iscsi-readcapacity16 -s "$U4/2") || fail "iscsi-readcapacity16 -s $U4/2"
[ "$size" = 67108864 ] || fail "iblock LUN size is $size, want 67108864"
ok "fileio LUN 1 and iblock LUN 2 report the right sizes"
out=$(iscsi-ls "iscsi://127.0.0.1" 2>&1) || fail "iscsi-ls: $out"
echo "$out"
echo "$out" | grep -q "$IQN" || fail "iscsi-ls does not list $IQN"
ok "iscsi-ls discovery"

step "libiscsi: write and read back (qemu-img iscsi driver)"
run dd if=/dev/urandom of="$SCRATCH/data" bs=1M count=4 status=none
# rd LUN 0: write over IPv4, read back over IPv6.
run qemu-img convert -n -f raw -O raw "$SCRATCH/data" "$U4/0"
run qemu-img convert -f raw -O raw "$U6/0" "$SCRATCH/back0"
cmp -n 4194304 "$SCRATCH/data" "$SCRATCH/back0" || fail "LUN 0: data read back differs"
rm -f "$SCRATCH/back0"
# fileio LUN 1 (over IPv6) and iblock LUN 2 (over IPv4): check the backing store.
run qemu-img convert -n -f raw -O raw "$SCRATCH/data" "$U6/1"
cmp -n 4194304 "$SCRATCH/data" "$SCRATCH/fileio.img" || fail "fileio backing file does not hold the data"
run qemu-img convert -n -f raw -O raw "$SCRATCH/data" "$U4/2"
run blockdev --flushbufs "$LOOPDEV"
cmp -n 4194304 "$SCRATCH/data" "$LOOPDEV" || fail "loop device does not hold the data"
ok "4 MiB written/read back over IPv4+IPv6 on rd, fileio and iblock LUNs"

# ---------------------------------------------------------------------------
step "tcm_loop"
before=$(sd_list)
run modprobe tcm_loop
run mkdir -p "$LTPG/lun/lun_0"
put "$LOOP_NEXUS" "$LTPG/nexus"
run ln -s "$CFG/core/rd_mcp_0/r0" "$LTPG/lun/lun_0/port_0"
newsd() { # prints the first new sd* that wasn't in $before
    for d in $(sd_list); do
        echo "$before" | grep -qx "$d" || { echo "$d"; return 0; }
    done
    return 1
}
wait_for 10 newsd >/dev/null || fail "tcm_loop LUN did not appear as /dev/sdX"
sd=$(newsd)
[ -b "/dev/$sd" ] || fail "/dev/$sd missing"
run cmp -n 4194304 "$SCRATCH/data" "/dev/$sd"
ok "tcm_loop LUN is /dev/$sd and reads back the rd data"

# ---------------------------------------------------------------------------
step "teardown"
run rm "$LTPG/lun/lun_0/port_0"
run rmdir "$LTPG/lun/lun_0"
put NULL "$LTPG/nexus"
run rmdir "$LTPG" "$CFG/loopback/$LOOP_WWN" "$CFG/loopback"
put 0 "$TPG/enable"
for n in 0 1 2; do
    run rm "$TPG/lun/lun_$n/port_$n"
    run rmdir "$TPG/lun/lun_$n"
done
run rmdir "$TPG/np/127.0.0.1:3260" "$TPG/np/[::1]:3260"
run rmdir "$TPG" "$CFG/iscsi/$IQN" "$CFG/iscsi"
run rmdir "$CFG/core/rd_mcp_0/r0" "$CFG/core/rd_mcp_0"
run rmdir "$CFG/core/fileio_0/f0" "$CFG/core/fileio_0"
run rmdir "$CFG/core/iblock_0/b0" "$CFG/core/iblock_0"
left=$(ls "$CFG/core")
[ "$left" = alua ] || fail "core/ not empty after teardown: $left"
for d in "$CFG"/*; do
    [ -d "$d" ] || continue
    case ${d##*/} in core) ;; *) fail "fabric dir ${d##*/} left after teardown" ;; esac
done
ok "configfs back to core/alua only"
run losetup -d "$LOOPDEV"
# target_core_mod request_module()s every backend (iblock, file, pscsi, user)
# when the first HBA is created, so unload whatever is there.
for m in tcm_loop iscsi_target_mod target_core_iblock target_core_file \
         target_core_pscsi target_core_user target_core_mod; do
    if grep -q "^$m " /proc/modules; then run modprobe -r "$m"; fi
done
[ ! -e "$CFG" ] || fail "$CFG still exists after unloading target_core_mod"
ok "target modules unloaded cleanly"

# ---------------------------------------------------------------------------
step "scsi_debug"
before=$(sd_list)
run modprobe scsi_debug dev_size_mb=16
wait_for 10 newsd >/dev/null || fail "scsi_debug did not give a /dev/sdX"
sd=$(newsd)
[ -b "/dev/$sd" ] || fail "/dev/$sd missing"
sg=$(ls "/sys/block/$sd/device/scsi_generic" 2>/dev/null | head -n1)
[ -n "$sg" ] && [ -c "/dev/$sg" ] || fail "no /dev/sgN for scsi_debug's $sd"
echo "scsi_debug: /dev/$sd, /dev/$sg, model $(cat "/sys/block/$sd/device/model")"
run dd if="/dev/$sd" of=/dev/null bs=1M count=4 status=none
ok "scsi_debug gives /dev/$sd and /dev/$sg"
run modprobe -r scsi_debug

rm -rf "$SCRATCH"
echo
echo "SMOKE TEST PASSED"
echo "PASSED" >>"$SUMMARY"
