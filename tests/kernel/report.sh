#!/bin/sh
# report.sh OUTDIR TEST: print what the test printed in the VM and exit
# with its status (1 if the VM never ran it).
out=$1 t=$2
if [ ! -f "$out/$t.rc" ]; then
    echo "$t did not run in the test VM (see the kernel/boot test's output)" >&2
    exit 1
fi
cat "$out/$t.log"
exit "$(cat "$out/$t.rc")"
