#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# run.sh [OPTIONS] : the benchmark. Builds our tools and the benchmark's
# programs (Release), writes the configurations, boots the real-kernel VM
# once and measures in it our targetcli, Debian's targetcli-fb and the
# configfs floor (guest.sh), then prints the table of times, ratios and
# targets, and draws the plot (report.py, plot.gp). Debian 12, as root.
#
#   --sizes LIST        configuration sizes (default 10,100,1000,10000);
#                       the empty configuration (0) is always measured too
#   --contenders LIST   floor,ours,fb (default all three)
#   --timeout SECS      time limit of each command (default 1200)
#   --fb-timeout SECS   time limit of each targetcli-fb command (default 600)
#   --build DIR         build directory (default build-bench)
#   --out DIR           results (default DIR/bench-results)
#   --mem MB            guest memory (default 2048)
#   --publish           also copy the table and plot to docs/bench/
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
here=$top/tests/bench
sizes=10,100,1000,10000 contenders=floor,ours,fb timeout=1200 fb_timeout=600 mem=2048 publish=
build=$top/build-bench out=
while [ $# -gt 0 ]; do
    case $1 in
    --sizes) sizes=$2; shift ;;
    --contenders) contenders=$2; shift ;;
    --timeout) timeout=$2; shift ;;
    --fb-timeout) fb_timeout=$2; shift ;;
    --build) build=$2; shift ;;
    --out) out=$2; shift ;;
    --mem) mem=$2; shift ;;
    --publish) publish=1 ;;
    -h | --help) sed -n '3,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done
out=${out:-$build/bench-results}
case ",$sizes," in *,0,*) ;; *) sizes=0,$sizes ;; esac

"$top/scripts/install-deps.sh" bench
# Release, as shipped; the benchmark's programs come with the tools.
[ -f "$build/CMakeCache.txt" ] ||
    cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=Release -DLIO_KERNEL_TESTS=OFF
cmake --build "$build" -j "$(nproc)" --target targetcli targetctl bench_measure bench_floor bench_complete

rm -rf "$out"
mkdir -p "$out/cfg"
IFS=, read -r -a list <<<"$sizes"
for n in "${list[@]}"; do
    /usr/bin/python3 "$here/gen.py" "$n" "$out/cfg/cfg-$n.json"
done

# What the numbers were measured on.
cache=${LIO_VM_CACHE:-$HOME/.cache/lio-vm}
{
    echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "host CPU: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(nproc) cores"
    echo "guest: QEMU ACCEL, 2 vCPUs, ${mem} MiB"
    echo "guest kernel: $(cat "$cache/kernel-version" 2>/dev/null || echo '(see guest.log)')"
    echo "host kernel: $(uname -r)"
    echo "ours: $(git -C "$top" log -1 --format='commit %h (%cd)' --date=short 2>/dev/null)$(git -C "$top" diff --quiet HEAD 2>/dev/null || echo ', with uncommitted changes'), Release build"
    echo "targetcli-fb: $(dpkg-query -W -f='${Version}' targetcli-fb 2>/dev/null || echo '?')"
    echo "time limit per command: ${timeout} s (targetcli-fb: ${fb_timeout} s)"
} >"$out/machine.txt"

start=$(date +%s)
# The whole run gets a generous wall-clock limit: every command has its own.
status=0
"$top/tests/vm/run.sh" --mem "$mem" --timeout 21600 --out "$out" -- \
    "$here/guest.sh" --build "$build" --cfg "$out/cfg" --out "$out" --sizes "$sizes" \
    --contenders "$contenders" --timeout "$timeout" --fb-timeout "$fb_timeout" --complete-sizes "$sizes" || status=$?
echo "run time: $(( ($(date +%s) - start) / 60 )) min" >>"$out/machine.txt"
# run.sh decides on KVM only once a probe guest ran with it (tests/vm/).
accel=TCG
[ "$(sed -n 2p "$cache/kvm-verdict" 2>/dev/null)" = kvm ] && [ "${LIO_VM_NO_KVM:-0}" != 1 ] && accel=KVM
sed -i "s/^guest: QEMU ACCEL,/guest: QEMU $accel,/" "$out/machine.txt"
rm -rf "$out/cfg"
[ "$status" = 0 ] || echo "run.sh: the guest exited with status $status; reporting what it measured" >&2

/usr/bin/python3 "$here/report.py" "$out"
gnuplot -e "datafile='$out/plot.dat'; outfile='$out/bench.png'" "$here/plot.gp"
echo "results: $out/results.md, $out/bench.png"
if [ -n "$publish" ]; then
    mkdir -p "$top/docs/bench"
    cp "$out/results.md" "$out/results.tsv" "$out/complete.tsv" "$out/bench.png" "$top/docs/bench/"
    echo "copied to docs/bench/"
fi
exit "$status"
