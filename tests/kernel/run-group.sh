#!/bin/bash
# run-group.sh BINDIR OUTDIR TEST... : run inside the test VM. Runs each
# kernel test program once, in order, keeping OUTDIR/<test>.log and
# OUTDIR/<test>.rc for report.sh. Exits non-zero only if the group itself
# could not run.
set -u
bindir=$1 out=$2
shift 2
mkdir -p "$out" || exit 1
rm -f "$out"/*.rc "$out"/*.log
export PATH="$bindir:$PATH"
# The libraries find these on their own; the tests must not depend on init.
grep -q configfs /proc/mounts || { echo "configfs is not mounted" >&2; exit 1; }
for t in "$@"; do
    start=$(date +%s.%N)
    "$bindir/$t" "$bindir/kt-iscsi-io" >"$out/$t.log" 2>&1
    rc=$?
    end=$(date +%s.%N)
    echo "$rc" >"$out/$t.rc"
    awk -v t="$t" -v rc="$rc" -v s="$start" -v e="$end" \
        'BEGIN { printf "%-20s exit %d  %.1fs\n", t, rc, e - s }'
done
sync
exit 0
