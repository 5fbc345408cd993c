#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# guest.sh OPTIONS : the benchmark's measurements, run inside the test VM
# (tests/bench/run.sh boots it). For each size N and each contender it
# starts from an empty configfs, restores the configuration of size N,
# runs the one-shot commands on it, reads it (ls, save) and clears it, each
# command measured by bench_measure with a time limit. Appends one line per
# command to OUT/results.tsv:
#   N CONTENDER STEP STATUS WALL USER SYS MAXRSS_KIB
# STATUS is the exit status, "timeout" (killed at the limit: DNF),
# "failed(S)" (exit status S), or why the step did not run: "skipped"
# (predicted to take longer than the limit), "gaveup" (the contender's
# restore did not finish at this or a smaller size), "blocked" (an
# earlier one-shot failed), "handed" (the floor's clear, when its
# configuration went on to the next contender; see below), "refused" (it
# failed at a smaller size). The size 0 configuration
# (the target, TPG, ACLs and portal, no storage objects or LUNs) is the
# "empty" baseline of the one-shot commands.
#
# A restore that would run past the limit is not started. targetcli-fb's
# restore is then not tried at larger sizes either, and its other commands
# run on the configuration loaded by the floor, each while it is predicted
# to finish within the limit. Ours gets the configuration from the floor
# too, when its restore does not finish, so that its other commands are
# still measured:
# the floor's own configuration when it is still there (the floor's clear
# is then not measured at that size: a kernel-bound clear of a large
# configuration costs many minutes under emulation), else a fresh one.
#
#   --build DIR        build directory with shell/targetcli and tests/bench/*
#   --cfg DIR          cfg-N.json files (gen.py)
#   --out DIR          results (normally $LIO_VM_OUT)
#   --sizes LIST       e.g. 0,10,100
#   --contenders LIST  floor,ours,fb
#   --timeout SECS     limit per command
#   --fb-timeout SECS  limit per targetcli-fb command (default: --timeout)
#   --complete-sizes LIST  sizes at which to time Tab completion (ours)
#   --repeat R         run each of the floor's and our commands up to R
#                      times (default 5) while they take under 10 s (the
#                      report keeps the fastest run: on a shared host,
#                      noise only adds)
set -u
sizes=0,10,100 contenders=floor,ours,fb timeout=1200 fb_timeout= complete_sizes= repeat=5
build= cfg= out=${LIO_VM_OUT:-}
while [ $# -gt 0 ]; do
    case $1 in
    --build) build=$2 ;;
    --cfg) cfg=$2 ;;
    --out) out=$2 ;;
    --sizes) sizes=$2 ;;
    --contenders) contenders=$2 ;;
    --timeout) timeout=$2 ;;
    --fb-timeout) fb_timeout=$2 ;;
    --complete-sizes) complete_sizes=$2 ;;
    --repeat) repeat=$2 ;;
    *) echo "guest.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift 2
done
fb_timeout=${fb_timeout:-$timeout}
[ -n "$build" ] && [ -n "$cfg" ] && [ -n "$out" ] || { echo "guest.sh: --build, --cfg and --out are required" >&2; exit 2; }

measure=$build/tests/bench/bench_measure
floor=$build/tests/bench/bench_floor
ours_cli=$build/shell/targetcli
ours_ctl=$build/shell/targetctl
fb_cli=/usr/bin/targetcli
iqn=iqn.2024-01.org.example.bench:target
res=$out/results.tsv
log=$out/guest.log
work=/tmp/bench-work
mkdir -p "$work/logs" "$out/logs"
: >"$res"
: >"$out/complete.tsv"

say() { echo "[$(date +%T)] $*" | tee -a "$log"; }

# Everything the contenders need loaded before any clock runs: the module
# loads are a one-time cost of the first command after boot.
setup() {
    # The files are read from the guest's own memory, as a restore at boot
    # reads them from the page cache, not over the 9p share.
    mkdir -p "$work/cfg" && cp "$cfg"/cfg-*.json "$work/cfg/" || { say "cannot copy $cfg"; exit 1; }
    cfg=$work/cfg
    modprobe target_core_mod && modprobe iscsi_target_mod ||
        { say "cannot load the target modules"; exit 1; }
    # The first HBA makes the kernel load every backend module: not a
    # cost of whichever command happens to come first.
    for m in target_core_iblock target_core_file target_core_pscsi target_core_user; do
        modprobe "$m" 2>/dev/null
    done
    # targetcli-fb (Debian) keeps its files in /etc/rtslib-fb-target.
    mkdir -p /etc/target /etc/rtslib-fb-target /run/dbus
    # targetcli-fb talks to the system bus at start-up.
    case ",$contenders," in *,fb,*) dbus-daemon --system --fork ;; esac
    # Keep every contender's preferences out of the way of the others.
    export HOME=$work/home
    mkdir -p "$HOME"
    # Warm up: the binaries, libraries and Python modules come over 9p the
    # first time; every later command finds them in the page cache.
    "$floor" create-so 0 && "$floor" delete-so 0 || { say "floor cannot create a ramdisk"; exit 1; }
    "$ours_cli" ls >/dev/null 2>&1
    "$ours_ctl" status >/dev/null 2>&1
    case ",$contenders," in *,fb,*) "$fb_cli" ls >/dev/null 2>&1 ;; esac
}

# cmd CONTENDER STEP N: the command line of a step, one word per line.
cmd() {
    local c=$1 step=$2 n=$3 cli
    if [ "$c" = floor ]; then
        case $step in
        start) echo "$floor start" ;;
        restore) echo "$floor restore $n" ;;
        save) echo "$floor save" ;;
        ls) echo "$floor ls" ;;
        create_so) echo "$floor create-so $n" ;;
        create_lun) echo "$floor create-lun $n" ;;
        delete_lun) echo "$floor delete-lun $n" ;;
        delete_so) echo "$floor delete-so $n" ;;
        clear) echo "$floor clear" ;;
        esac
        return
    fi
    [ "$c" = ours ] && cli=$ours_cli || cli=$fb_cli
    case $step in
    start) echo "$cli --version" ;;
    restore) echo "$cli restoreconfig $cfg/cfg-$n.json" ;;
    save) echo "$cli saveconfig $work/saved.json" ;;
    ls) echo "$cli ls" ;;
    create_so) echo "$cli /backstores/ramdisk create benchx 1G nullio=true" ;;
    create_lun) echo "$cli /iscsi/$iqn/tpg1/luns create /backstores/ramdisk/benchx" ;;
    delete_lun) echo "$cli /iscsi/$iqn/tpg1/luns delete $n" ;;
    delete_so) echo "$cli /backstores/ramdisk delete benchx" ;;
    clear) echo "$cli clearconfig confirm=true" ;;
    esac
}

limit() { [ "$1" = fb ] && echo "$fb_timeout" || echo "$timeout"; }

# Fastest wall time of an earlier result, or nothing.
prev_wall() {
    awk -v n="$1" -v c="$2" -v s="$3" '$1==n && $2==c && $3==s && $4=="0" && (m=="" || $5<m) {m=$5}
        END {if (m != "") print m}' "$res"
}

# Whether STEP of CONTENDER at N would run past the limit, judged from the
# two sizes before N: the time grows at least in proportion to N, and at
# least as fast as it did between those two sizes.
predicted_over() {
    local c=$1 step=$2 n=$3 p=$4 pp=$5 t tt
    [ -n "$p" ] || return 1
    t=$(prev_wall "$p" "$c" "$step")
    [ -n "$t" ] || return 1
    [ -n "$pp" ] && [ "$pp" -gt 0 ] && tt=$(prev_wall "$pp" "$c" "$step") || tt=
    awk -v t="$t" -v tt="$tt" -v n="$n" -v p="$p" -v lim="$(limit "$c")" 'BEGIN {
        g = (p > 0) ? n / p : 1
        if (tt != "" && tt > 0 && t / tt > g) g = t / tt
        exit !(t * g > lim)
    }'
}

# Whether STEP of CONTENDER failed (not timed out) at size P: a command
# that refuses the configuration (targetcli-fb: mapped LUN numbers above
# 255) refuses a larger one too.
failed_before() {
    [ -n "$3" ] && awk -v n="$3" -v c="$1" -v s="$2" \
        '$1==n && $2==c && $3==s && $4 ~ /^failed/ {f=1} END {exit !f}' "$res"
}

# run N CONTENDER STEP: measure one step; returns non-zero when it did
# not finish or failed.
run() {
    local n=$1 c=$2 step=$3 line status rest f
    # Output goes to the guest's memory: writing it over 9p would cost the
    # tools that print (ls!) more than the floor, which prints nothing.
    # shellcheck disable=SC2046
    line=$("$measure" -t "$(limit "$c")" -o "$work/logs/$c-$n-$step.out" \
        -e "$work/logs/$c-$n-$step.err" -- $(cmd "$c" "$step" "$n"))
    status=${line%% *} rest=${line#* }
    last_wall=${rest%% *}
    # Keep what a command printed, but not ls's tree: big and nothing new.
    [ "$step" = ls ] && rm -f "$work/logs/$c-$n-$step.out"
    for f in "$work/logs/$c-$n-$step.out" "$work/logs/$c-$n-$step.err"; do
        [ -s "$f" ] && cp "$f" "$out/logs/"
        rm -f "$f"
    done
    case $status in
    0) ;;
    timeout) ;;
    *) status="failed($status)" ;;
    esac
    printf '%s\t%s\t%s\t%s\t%s\n' "$n" "$c" "$step" "$status" "$(echo "$rest" | tr ' ' '\t')" >>"$res"
    say "N=$n $c $step: $status ${last_wall}s"
    [ "$status" = 0 ]
}

# skip N CONTENDER STEP [STATUS]: a step not run, and why.
skip() {
    local why
    case ${4:-skipped} in
    skipped) why="would exceed $(limit "$2") s" ;;
    gaveup) why="its restore did not finish at this or a smaller size" ;;
    blocked) why="an earlier one-shot failed" ;;
    handed) why="the floor's configuration went on to the next contender" ;;
    refused) why="it failed at a smaller size" ;;
    esac
    printf '%s\t%s\t%s\t%s\t-\t-\t-\t-\n' "$1" "$2" "$3" "${4:-skipped}" >>"$res"
    say "N=$1 $2 $3: not run: $why"
}

# Empty configfs, whatever a stopped contender left: the floor's clear
# needs no knowledge of the configuration.
reset() {
    "$floor" clear 2>>"$log" || { say "reset failed"; ls -R /sys/kernel/config/target | head -50 >>"$log"; exit 1; }
}

# Load the configuration with the floor, for the steps of a contender
# that could not restore it itself.
load() {
    reset
    say "N=$1: configuration loaded by the floor"
    "$floor" restore "$1" 2>>"$log" || { say "floor restore $1 failed"; exit 1; }
}

# The state a contender's restore left, as our save sees it, against the
# file (small sizes only: the check costs more than the restore).
check_restore() {
    local n=$1 c=$2
    [ "$n" -le 100 ] || return 0
    "$ours_ctl" save "$work/check.json" >/dev/null 2>&1 &&
        /usr/bin/python3 "$(dirname "$0")/check_save.py" "$cfg/cfg-$n.json" "$work/check.json" \
            >"$out/logs/$c-$n-check.txt" 2>&1
    local rc=$?
    say "N=$n $c restore check: $([ $rc = 0 ] && echo ok || echo "MISMATCH (logs/$c-$n-check.txt)")"
    printf '%s\t%s\tcheck\t%s\t-\t-\t-\t-\n' "$n" "$c" "$([ $rc = 0 ] && echo ok || echo mismatch)" >>"$res"
}


# complete N: time Tab completion in the shell engine among N siblings.
complete() {
    local n=$1 last=$(($1 - 1))
    case ",$complete_sizes," in *,"$n",*) ;; *) return 0 ;; esac
    [ "$n" -gt 0 ] || return 0
    # The last of N siblings (one candidate), then a prefix that many
    # share, then all of them.
    "$build/tests/bench/bench_complete" -n 5 "cd /backstores/ramdisk/rd$last" \
        "cd /iscsi/$iqn/tpg1/luns/lun$last" \
        "cd /iscsi/$iqn/tpg1/acls/iqn.2024-01.org.example.bench:init0/mapped_lun$last" \
        "cd /backstores/ramdisk/rd1" "cd /backstores/ramdisk/" 2>>"$log" |
        awk -v n="$n" '{ line = $0; sub(/^[^ ]+ [^ ]+ [^ ]+ [^ ]+ /, "", line);
                         printf "%s\t%s\t%s\t%s\t%s\t%s\n", n, $1, $2, $3, $4, line }' \
            >>"$out/complete.tsv"
    say "N=$n Tab completion timed"
}

setup
say "kernel $(uname -r); sizes $sizes; contenders $contenders; limit ${timeout}s per command (targetcli-fb ${fb_timeout}s)"
IFS=, read -r -a size_list <<<"$sizes"
IFS=, read -r -a cont_list <<<"$contenders"
oneshots="create_so create_lun delete_lun delete_so"
declare -A gave_up restore_gave_up
# The floor's configuration of size $floor_left is in configfs and its
# clear not yet measured.
floor_left=

# Empty configfs for the next restore: the floor's pending clear is
# measured on the way.
empty() {
    if [ -n "$floor_left" ]; then
        run "$floor_left" floor clear || reset
        floor_left=
    else
        reset
    fi
}

# steps N CONTENDER STEP...: run the steps on the loaded configuration;
# returns non-zero when one did not finish. Sets steps_wall to their sum.
steps() {
    local n=$1 c=$2 s bad= failed=
    shift 2
    steps_wall=0
    for s in "$@"; do
        case $s in
        # The one-shots build on each other: after a failed create the
        # rest of them would measure something else.
        create_lun | delete_lun | delete_so)
            if [ -n "$failed" ]; then
                skip "$n" "$c" "$s" blocked
                bad=1
                continue
            fi ;;
        esac
        if failed_before "$c" "$s" "$p"; then
            skip "$n" "$c" "$s" refused
            case $s in create_so | create_lun) failed=1 ;; esac
            bad=1
            continue
        fi
        if predicted_over "$c" "$s" "$n" "$p" "$pp"; then
            skip "$n" "$c" "$s"
            case $s in create_so | create_lun) failed=1 ;; esac
            bad=1
            continue
        fi
        if ! run "$n" "$c" "$s"; then
            case $s in create_so | create_lun) failed=1 ;; esac
            bad=1
        fi
        steps_wall=$(awk -v a="$steps_wall" -v b="$last_wall" 'BEGIN {print a + b}')
    done
    [ -z "$bad" ]
}

# repeated N CONTENDER STEP...: steps, run again (up to --repeat times in
# all) while they finish within 10 s: on a shared host noise only adds,
# and the report keeps the fastest run. targetcli-fb runs once.
repeated() {
    local n=$1 c=$2 i
    steps "$@" || return 1
    [ "$c" = fb ] && return 0
    for i in $(seq 2 "$repeat"); do
        awk -v t="$steps_wall" 'BEGIN {exit !(t < 10)}' || return 0
        steps "$@" || return 1
    done
}

# sequence N CONTENDER REP: one contender's commands on the configuration
# of size N; after the first time (REP 1) only the restore and the clear,
# the commands that cannot be repeated on their own. Returns non-zero when
# it should not be repeated (something did not finish, or the restore
# took 10 s or more).
sequence() {
    local n=$1 c=$2 rep=$3 loaded= s t
    if [ -n "${restore_gave_up[$c]:-}" ]; then
        skip "$n" "$c" restore gaveup
    elif predicted_over "$c" restore "$n" "$p" "$pp"; then
        skip "$n" "$c" restore
    else
        empty
        if run "$n" "$c" restore; then
            loaded=1
            [ "$rep" = 1 ] && check_restore "$n" "$c"
        fi
    fi
    if [ -z "$loaded" ]; then
        if [ "$c" = floor ]; then
            for s in $oneshots ls save clear; do skip "$n" "$c" "$s" gaveup; done
            reset
            return 1
        fi
        # targetcli-fb's commands on a configuration it could not restore
        # in time: the same kernel state, loaded by the floor, as long as
        # one of them can finish.
        if [ "$c" = fb ]; then
            restore_gave_up[$c]=1
            local any=
            for s in $oneshots ls save clear; do
                predicted_over "$c" "$s" "$n" "$p" "$pp" || failed_before "$c" "$s" "$p" || any=1
            done
            if [ -z "$any" ]; then
                for s in $oneshots ls save clear; do
                    if failed_before "$c" "$s" "$p"; then
                        skip "$n" "$c" "$s" refused
                    else
                        skip "$n" "$c" "$s"
                    fi
                done
                return 1
            fi
        fi
        if [ "$floor_left" = "$n" ]; then
            skip "$n" floor clear "handed"
            say "N=$n $c: works on the floor's configuration"
            floor_left=
        else
            load "$n"
        fi
    fi
    if [ "$rep" = 1 ]; then
        repeated "$n" "$c" $oneshots || loaded=
        # Back to the configuration itself: time the Tab completion.
        [ "$c" = ours ] && complete "$n"
        repeated "$n" "$c" ls || loaded=
        repeated "$n" "$c" save || loaded=
    fi
    # The floor's clear waits for the next restore (see empty()).
    if [ "$c" = floor ]; then
        floor_left=$n
    else
        steps "$n" "$c" clear || loaded=
    fi
    [ -n "$loaded" ] || return 1
    t=$(awk -v n="$n" -v c="$c" '$1==n && $2==c && $3=="restore" {t=$5} END {print t}' "$res")
    awk -v t="$t" 'BEGIN {exit !(t < 10)}'
}

reset
p= pp=
for n in "${size_list[@]}"; do
    for c in "${cont_list[@]}"; do
        if [ -n "${gave_up[$c]:-}" ]; then
            for s in restore $oneshots ls save clear; do
                skip "$n" "$c" "$s" gaveup
            done
            continue
        fi
        # Process start-up alone, on the empty configuration.
        [ "$n" = 0 ] && repeated 0 "$c" start
        reps=$repeat
        [ "$c" = fb ] && reps=1
        for rep in $(seq 1 "$reps"); do
            sequence "$n" "$c" "$rep" || break
        done
    done
    pp=$p p=$n
done
# The floor's last clear, when no contender took its configuration over.
# Nothing else is cleaned up: the guest is thrown away.
[ -n "$floor_left" ] && run "$floor_left" floor clear
say "done"
