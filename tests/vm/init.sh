#!/bin/busybox sh
# shellcheck shell=dash
# /init of the LIO test VM (copied into the initramfs by build-initramfs.sh).
#
# Stage 1 (pid 1 in the initramfs):
#   mount proc/sys/dev, insmod the boot modules (virtio, 9p, overlay, ...),
#   mount the host's / (9p "hostroot", read-only) under an overlayfs whose
#   upper layer is a tmpfs, give that tree its own proc/sys/dev/run and
#   configfs, copy the depmod'ed module tree to /lib/modules/$(uname -r),
#   mount the read-write 9p share "results" at the host path given as
#   liovm.results=PATH, then switch_root into the overlay (so the kernel's
#   own modprobe helper also sees the new root) running stage 2.
# Stage 2 (pid 1 in the overlay root):
#   bring up lo, run PATH/.lio-vm/cmd with the environment from
#   PATH/.lio-vm/env, write its exit status to PATH/.lio-vm/status, save
#   dmesg, sync and power off.
#
# Kernel command line parameters (set by run.sh):
#   liovm.results=ABS_PATH   host path of the results share (required)
#   liovm.verbose=1          progress messages
#   liovm.debug=1            trace this script (set -x)

BB=/bin/busybox
export PATH=/bin:/sbin:/usr/bin:/usr/sbin

msg() { echo "[lio-vm] $*"; }
vmsg() { [ "${VERBOSE:-0}" = 0 ] || msg "$@"; }

poweroff_now() {
    sync
    $BB poweroff -f
    echo o >/proc/sysrq-trigger
    sleep 5
}

die() {
    msg "FATAL: $*"
    if [ -n "${CTL:-}" ] && [ -d "$CTL" ]; then
        echo "$*" >"$CTL/init-error" 2>/dev/null
        dmesg >"$CTL/dmesg" 2>/dev/null
    fi
    poweroff_now
}

cmdline_arg() { # $1 = key; prints value of key=value from /proc/cmdline
    for w in $(cat /proc/cmdline); do
        case $w in "$1"=*) echo "${w#*=}"; return 0 ;; esac
    done
    return 1
}

stage1() {
    $BB mkdir -p /proc /sys /dev /tmp /run /mnt
    $BB mount -t proc proc /proc
    $BB mount -t sysfs sysfs /sys
    $BB mount -t devtmpfs devtmpfs /dev
    $BB mount -t tmpfs tmpfs /tmp
    # The kernel may have found no /dev/console before devtmpfs was up.
    exec </dev/console >/dev/console 2>&1
    $BB --install -s
    VERBOSE=$(cmdline_arg liovm.verbose) || VERBOSE=0
    [ "$(cmdline_arg liovm.debug)" = 1 ] && set -x

    KVER=$(uname -r)
    RESULTS=$(cmdline_arg liovm.results) || die "no liovm.results= on the kernel command line"
    [ -d "/lib/modules/$KVER" ] ||
        die "initramfs has no modules for kernel $KVER (cache/initramfs mismatch?)"

    # Boot modules, in dependency order (computed by build-initramfs.sh).
    while read -r ko; do
        [ -n "$ko" ] || continue
        name=$(basename "$ko" .ko | tr - _)
        grep -q "^$name " /proc/modules && continue
        insmod "/lib/modules/$KVER/$ko" 2>/tmp/insmod.err ||
            msg "warning: insmod $ko failed: $(cat /tmp/insmod.err)"
    done </etc/lio-vm/boot-modules
    grep -q '9p$' /proc/filesystems || die "9p filesystem not available"

    mkdir -p /mnt/host /mnt/rw /newroot
    mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=262144,cache=loose \
        hostroot /mnt/host || die "cannot mount 9p hostroot"
    mount -t tmpfs -o mode=0755 tmpfs /mnt/rw
    mkdir -p /mnt/rw/upper /mnt/rw/work
    mount -t overlay -o lowerdir=/mnt/host,upperdir=/mnt/rw/upper,workdir=/mnt/rw/work \
        overlay /newroot || die "cannot mount overlay on the host root"

    # The guest's own pseudo file systems, never the host's via 9p.
    R=/newroot
    mount -t proc proc $R/proc || die "mount proc"
    mount -t sysfs sysfs $R/sys || die "mount sysfs"
    mount -t devtmpfs devtmpfs $R/dev || die "mount devtmpfs"
    mkdir -p $R/dev/pts $R/dev/shm
    mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts $R/dev/pts
    mount -t tmpfs -o mode=1777 tmpfs $R/dev/shm
    mount -t tmpfs -o mode=0755 tmpfs $R/run
    mkdir -p $R/run/lock
    if grep -q configfs /proc/filesystems; then
        mount -t configfs configfs $R/sys/kernel/config || die "mount configfs"
    else
        msg "warning: configfs not available"
    fi
    mount -t debugfs debugfs $R/sys/kernel/debug 2>/dev/null

    # Kernel modules where modprobe/libkmod look for them.
    rm -rf "$R/lib/modules/$KVER"
    mkdir -p "$R/lib/modules"
    cp -a "/lib/modules/$KVER" "$R/lib/modules/" || die "cannot copy modules"

    # Results share at the same absolute path as on the host.
    mkdir -p "$R$RESULTS" || die "cannot create $RESULTS"
    mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144,cache=none,access=any \
        results "$R$RESULTS" || die "cannot mount 9p results share at $RESULTS"
    CTL=$R$RESULTS/.lio-vm
    [ -f "$CTL/cmd" ] || die "no $RESULTS/.lio-vm/cmd"

    # Stage 2 lives on the new root's /run (tmpfs).
    mkdir -p $R/run/lio-vm
    cp /bin/busybox /init $R/run/lio-vm/
    echo "$RESULTS" >$R/run/lio-vm/results
    umount /tmp 2>/dev/null
    exec switch_root $R /run/lio-vm/busybox sh /run/lio-vm/init stage2
    die "switch_root failed"
}

stage2() {
    BB=/run/lio-vm/busybox
    # Prefer busybox for the few tools used here; the host's are later in PATH.
    mkdir -p /run/lio-vm/bin
    for t in ip hostname sync poweroff dmesg cat sleep env stty setsid; do
        ln -sf $BB /run/lio-vm/bin/$t
    done
    export PATH=/run/lio-vm/bin:/usr/sbin:/usr/bin:/sbin:/bin
    VERBOSE=$(cmdline_arg liovm.verbose) || VERBOSE=0
    [ "$(cmdline_arg liovm.debug)" = 1 ] && set -x
    RESULTS=$(cat /run/lio-vm/results)
    CTL=$RESULTS/.lio-vm

    hostname lio-vm
    ip link set lo up || msg "warning: cannot bring up lo"
    # lo gets 127.0.0.1/8 and ::1 by itself once it is up.

    # Plain \n line ends for the command's output on the serial console.
    stty -onlcr 2>/dev/null
    vmsg "running command"
    if [ "$(cmdline_arg liovm.interactive)" = 1 ]; then
        stty onlcr 2>/dev/null
        # A session with the console as controlling tty, so Ctrl-C reaches it.
        env -i setsid -c /bin/sh "$CTL/cmd" </dev/ttyS0 >/dev/ttyS0 2>&1
    else
        env -i /bin/sh "$CTL/cmd" </dev/null
    fi
    rc=$?
    echo "$rc" >"$CTL/status"
    dmesg >"$CTL/dmesg" 2>/dev/null
    sync
    umount "$RESULTS" 2>/dev/null
    # Silence the kernel's "reboot: Power down" line unless verbose.
    [ "$VERBOSE" != 0 ] || echo 0 >/proc/sys/kernel/printk
    poweroff_now
}

case ${1:-} in
    stage2) stage2 ;;
    *) stage1 ;;
esac
die "init fell through"
