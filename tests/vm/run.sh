#!/bin/bash
# run.sh [OPTIONS] -- COMMAND [ARGS...]
#
# Boot Debian 12's kernel in QEMU with the host's / as the (read-only,
# overlay-writable) guest root, run COMMAND once inside it (same working
# directory as the caller), and exit with COMMAND's exit status.
#
# Options:
#   --cache DIR     kernel/initramfs cache (default ~/.cache/lio-vm);
#                   $LIO_VM_CACHE, when set, overrides this option
#   --mem MB        guest memory (default: $LIO_VM_MEM, else 1024)
#   --smp N         guest CPUs (default: $LIO_VM_SMP, else 2)
#   --timeout SECS  kill the guest after SECS (default: $LIO_VM_TIMEOUT, else 900)
#   --out DIR       host directory shared read-write as $LIO_VM_OUT (kept);
#                   default: a temporary directory, removed afterwards
#   --keep          keep the temporary results directory
#   --interactive   connect COMMAND to this terminal (an interactive shell);
#                   no timeout
#   --verbose       show the kernel's boot messages and init's progress
#   --debug         like --verbose, plus `set -x` in the guest's init
#
# Exit status: COMMAND's status, or
#   124  the guest did not finish within the timeout (killed)
#   125  the guest died without reporting a status (panic, init failure,
#        QEMU error); the kernel log is printed if there is one
#
# In the guest: / is the host's / (read-only 9p) under an overlay with a
# tmpfs upper layer, so writes succeed but are thrown away at power-off.
# Only $LIO_VM_OUT (same absolute path on host and guest) comes back.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
PROG=run.sh
die() { printf '%s: error: %s\n' "$PROG" "$*" >&2; exit 125; }
log() { [ "$VERBOSE" = 0 ] || printf '%s: %s\n' "$PROG" "$*" >&2; }

CACHE=${HOME:-/root}/.cache/lio-vm
MEM=${LIO_VM_MEM:-1024}
SMP=${LIO_VM_SMP:-2}
TIMEOUT=${LIO_VM_TIMEOUT:-900}
OUTDIR=""
KEEP=${LIO_VM_KEEP:-0}
VERBOSE=${LIO_VM_VERBOSE:-0}
DEBUG=0
INTERACTIVE=0

while [ $# -gt 0 ]; do
    case $1 in
        --cache) CACHE=${2:?--cache needs a directory}; shift 2 ;;
        --cache=*) CACHE=${1#*=}; shift ;;
        --mem) MEM=${2:?--mem needs a size in MB}; shift 2 ;;
        --mem=*) MEM=${1#*=}; shift ;;
        --smp) SMP=${2:?--smp needs a count}; shift 2 ;;
        --smp=*) SMP=${1#*=}; shift ;;
        --timeout) TIMEOUT=${2:?--timeout needs seconds}; shift 2 ;;
        --timeout=*) TIMEOUT=${1#*=}; shift ;;
        --out) OUTDIR=${2:?--out needs a directory}; shift 2 ;;
        --out=*) OUTDIR=${1#*=}; shift ;;
        --keep) KEEP=1; shift ;;
        --interactive) INTERACTIVE=1; shift ;;
        --verbose) VERBOSE=1; shift ;;
        --debug) VERBOSE=1; DEBUG=1; shift ;;
        --) shift; break ;;
        -h|--help) sed -n '2,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown option '$1' (COMMAND must follow --)" ;;
    esac
done
[ -z "${LIO_VM_CACHE:-}" ] || CACHE=$LIO_VM_CACHE
[ $# -gt 0 ] || die "no command given (usage: run.sh [OPTIONS] -- COMMAND [ARGS...])"
case $MEM in *[!0-9]*|'') die "--mem must be a number of MB" ;; esac
case $SMP in *[!0-9]*|'') die "--smp must be a number" ;; esac
case $TIMEOUT in *[!0-9]*|'') die "--timeout must be a number of seconds" ;; esac

# --- host packages --------------------------------------------------------
missing=""
command -v qemu-system-x86_64 >/dev/null 2>&1 || missing="$missing qemu-system-x86"
command -v timeout >/dev/null 2>&1 || missing="$missing coreutils"
# Guest tools come from the host's root: the smoke test and the kernel
# tests use libiscsi's iscsi-* utilities.
command -v iscsi-inq >/dev/null 2>&1 || missing="$missing libiscsi-bin"
command -v qemu-img >/dev/null 2>&1 || missing="$missing qemu-utils"
dpkg -s qemu-block-extra >/dev/null 2>&1 || missing="$missing qemu-block-extra"
if [ -n "$missing" ]; then
    [ "$(id -u)" = 0 ] || die "missing host packages:$missing (run as root or install them)"
    printf '%s: installing%s\n' "$PROG" "$missing" >&2
    apt-get install -y --no-install-recommends $missing >&2 ||
        { apt-get update >&2 && apt-get install -y --no-install-recommends $missing >&2; } ||
        die "apt-get install$missing failed"
fi
if [ "$(id -u)" != 0 ]; then
    printf '%s: warning: not root; the guest sees only what this user may read\n' "$PROG" >&2
fi

mkdir -p "$CACHE" || die "cannot create cache directory $CACHE"
CACHE=$(cd "$CACHE" && pwd)
# Serialise cache creation between concurrent runs (parallel ctest).
command -v flock >/dev/null 2>&1 || die "flock (util-linux) not found"
flock "$CACHE/.lock" env LIO_VM_CACHE="$CACHE" "$HERE/build-initramfs.sh" "$CACHE" ||
    die "building the kernel/initramfs cache failed"
KVER=$(cat "$CACHE/kernel-version")

# --- results share --------------------------------------------------------
if [ -n "$OUTDIR" ]; then
    mkdir -p "$OUTDIR" || die "cannot create $OUTDIR"
    RESULTS=$(cd "$OUTDIR" && pwd)
    KEEP=1
else
    RESULTS=$(mktemp -d "${TMPDIR:-/tmp}/lio-vm.XXXXXX") || die "mktemp failed"
fi
case $RESULTS in
    *[!A-Za-z0-9._/+-]*) die "results path '$RESULTS' must not contain spaces or special characters" ;;
esac
CTL=$RESULTS/.lio-vm
rm -rf "$CTL"
mkdir -p "$CTL"

QPID=""
cleanup() {
    if [ -n "$QPID" ]; then kill "$QPID" 2>/dev/null || true; wait "$QPID" 2>/dev/null || true; fi
    if [ "$KEEP" = 0 ]; then rm -rf "$RESULTS"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

sq() { # single-quote $1 for sh
    printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

# Environment for the command: a fixed base plus the test-related variables.
{
    path=$PATH
    case ":$path:" in *:/usr/sbin:*) ;; *) path=$path:/usr/sbin ;; esac
    case ":$path:" in *:/sbin:*) ;; *) path=$path:/sbin ;; esac
    printf 'export PATH=%s\n' "$(sq "$path")"
    if [ "$INTERACTIVE" = 1 ]; then
        printf 'export HOME=/root USER=root LOGNAME=root TERM=%s\n' "$(sq "${TERM:-vt100}")"
        # The serial console cannot tell the guest this terminal's size.
        size=$(stty size 2>/dev/null || echo "24 80")
        printf 'stty rows %s cols %s 2>/dev/null\n' "${size% *}" "${size#* }"
    else
        printf 'export HOME=/root USER=root LOGNAME=root TERM=dumb\n'
    fi
    printf 'export LIO_VM=1 LIO_VM_OUT=%s\n' "$(sq "$RESULTS")"
    env | sed -n 's/^\(\(LIO\|CTEST\|ASAN\|UBSAN\|LSAN\|LANG\|LC\)_[A-Za-z0-9_]*\)=.*/\1/p; s/^\(LANG\|TZ\|TMPDIR\)=.*/\1/p' |
        sort -u | while read -r name; do
            case $name in LIO_VM_OUT|LIO_VM) continue ;; esac
            printf 'export %s=%s\n' "$name" "$(sq "$(printenv "$name")")"
        done
} >"$CTL/env"

{
    echo '#!/bin/sh'
    printf '. %s\n' "$(sq "$CTL/env")"
    printf 'cd %s || { echo "lio-vm: cannot cd to %s in the guest" >&2; exit 125; }\n' \
        "$(sq "$PWD")" "$(sq "$PWD")"
    printf 'exec'
    for a in "$@"; do printf ' %s' "$(sq "$a")"; done
    printf '\n'
} >"$CTL/cmd"
chmod 0755 "$CTL/cmd"

# --- QEMU -------------------------------------------------------------------
# A /dev/kvm that opens is not a KVM that runs a guest: nested under
# another hypervisor it can abort QEMU at the first MSR write or stop the
# guest with an emulation failure. So KVM is used only once a probe boot
# with it has run a command; the verdict is kept per host boot and QEMU.
kvm_works() {
    local verdict=$CACHE/kvm-verdict key rc
    [ -w /dev/kvm ] && [ "${LIO_VM_NO_KVM:-0}" != 1 ] || return 1
    [ "${LIO_VM_KVM_PROBE:-0}" = 1 ] && return 0
    key="$(cat /proc/sys/kernel/random/boot_id 2>/dev/null) $(qemu-system-x86_64 --version | head -n 1)"
    exec 9>"$CACHE/.kvm-lock"
    flock 9
    if [ "$(sed -n 1p "$verdict" 2>/dev/null)" != "$key" ]; then
        rc=0
        LIO_VM_KVM_PROBE=1 LIO_VM_VERBOSE=0 \
            "$0" --cache "$CACHE" --mem 256 --smp 1 --timeout 60 -- true >/dev/null 2>&1 || rc=$?
        printf '%s\n%s\n' "$key" "$([ "$rc" = 0 ] && echo kvm || echo tcg)" >"$verdict.tmp" &&
            mv "$verdict.tmp" "$verdict"
        [ "$rc" = 0 ] || printf '%s: KVM does not run a guest here (probe exit %s): using TCG\n' \
            "$PROG" "$rc" >&2
    fi
    exec 9>&-
    [ "$(sed -n 2p "$verdict" 2>/dev/null)" = kvm ]
}
accel=(-accel tcg -cpu max)
if kvm_works; then
    accel=(-accel kvm -cpu host)
fi
kernel=${LIO_VM_KERNEL_IMAGE:-}
if [ -z "$kernel" ]; then
    kernel=$CACHE/vmlinuz
    [ -f "$CACHE/vmlinux" ] && kernel=$CACHE/vmlinux
fi
bios=()
for b in /usr/share/qemu/qboot.rom /usr/share/seabios/qboot.rom; do
    if [ -f "$b" ]; then bios=(-bios "$b"); break; fi
done
append="console=ttyS0 panic=-1 8250.nr_uarts=1 mitigations=off random.trust_cpu=on"
append="$append i8042.noaux i8042.nomux i8042.nopnp liovm.results=$RESULTS"
if [ "$VERBOSE" = 0 ]; then append="$append quiet loglevel=3"; else append="$append liovm.verbose=1"; fi
[ "$DEBUG" = 0 ] || append="$append liovm.debug=1"
[ "$INTERACTIVE" = 0 ] || append="$append liovm.interactive=1"

qemu=(qemu-system-x86_64 -nodefaults -no-user-config -nographic -no-reboot
      "${accel[@]}" "${bios[@]}" -machine pc -smp "$SMP" -m "$MEM"
      -kernel "$kernel" -initrd "$CACHE/initramfs.cpio.gz"
      -append "$append"
      -chardev stdio,id=con0,signal=off -serial chardev:con0
      -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap
      -virtfs "local,path=$RESULTS,mount_tag=results,security_model=none,multidevs=remap"
      -device virtio-rng-pci -nic none)

log "kernel $KVER, ${MEM}M, $SMP cpu(s), accel ${accel[1]}, results $RESULTS"
start=$(date +%s)
set +e
if [ "$INTERACTIVE" = 1 ]; then
    # QEMU owns the terminal (raw mode); Ctrl-C goes to the guest.
    "${qemu[@]}"
    qrc=$?
else
    timeout -k 10 "$TIMEOUT" "${qemu[@]}" </dev/null &
    QPID=$!
    wait "$QPID"
    qrc=$?
    QPID=""
fi
set -e
log "guest ran $(( $(date +%s) - start ))s"

if [ -f "$CTL/dmesg" ] &&
   grep -qE 'BUG:|Oops|general protection fault|WARNING: CPU|Kernel panic|hung_task|soft lockup' "$CTL/dmesg"; then
    printf '%s: warning: the guest kernel logged a BUG/Oops/WARNING:\n' "$PROG" >&2
    grep -E -A20 'BUG:|Oops|general protection fault|WARNING: CPU|Kernel panic|hung_task|soft lockup' \
        "$CTL/dmesg" | head -n 60 >&2
fi

if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
    printf '%s: error: the guest did not finish within %ss\n' "$PROG" "$TIMEOUT" >&2
    KEEP=1; printf '%s: results kept in %s\n' "$PROG" "$RESULTS" >&2
    exit 124
fi
if [ ! -s "$CTL/status" ]; then
    printf '%s: error: the guest stopped without a command status (QEMU exit %s)\n' "$PROG" "$qrc" >&2
    [ -f "$CTL/init-error" ] && printf '%s: guest init: %s\n' "$PROG" "$(cat "$CTL/init-error")" >&2
    if [ -f "$CTL/dmesg" ]; then
        printf '%s: last kernel messages:\n' "$PROG" >&2
        tail -n 40 "$CTL/dmesg" >&2
    fi
    KEEP=1; printf '%s: results kept in %s\n' "$PROG" "$RESULTS" >&2
    exit 125
fi
rc=$(cat "$CTL/status")
case $rc in *[!0-9]*|'') die "bad status '$rc' from the guest" ;; esac
exit "$rc"
