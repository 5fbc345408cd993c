#!/bin/sh
# compare-case.sh OUTDIR ID : diff what a case left with our targetcli
# (OUTDIR/<ID>.cfs and .json, from run-cases.sh in the VM) against what
# targetcli-fb left (expected/<ID>.cfs and .json). Prints the case output
# and the differences; exits non-zero on any difference.
here=$(cd "$(dirname "$0")" && pwd)
out=$1 id=$2
if [ ! -f "$out/$id.cfs" ]; then
    echo "$id did not run in the test VM (see compat/boot)" >&2
    exit 1
fi
cat "$out/$id.out"
rc=0
diff -u "$here/expected/$id.cfs" "$out/$id.cfs" || rc=1
diff -u "$here/expected/$id.json" "$out/$id.json" || rc=1
[ $rc = 0 ] && echo "configfs and saveconfig.json match targetcli-fb's for $id"
exit $rc
