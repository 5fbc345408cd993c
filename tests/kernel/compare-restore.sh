#!/bin/sh
# compare-restore.sh OUTDIR NAME EXPECTED_DIR : what kt_restore left in
# configfs after restoring savefiles/NAME.json (OUTDIR/kt_restore.NAME.cfs,
# cfsdump.py's lines) against what targetcli-fb left
# (EXPECTED_DIR/restore-NAME.cfs), and kt_restore's status (0, or 1 when
# items were skipped) against targetcli-fb's exit status
# (EXPECTED_DIR/restore-NAME.json "exit_codes").
out=$1 name=$2 exp=$3
if [ ! -f "$out/kt_restore.$name.cfs" ]; then
    echo "kt_restore left no dump for $name (see kernel/boot and kernel/kt_restore)" >&2
    exit 1
fi
rc=0
diff -u "$exp/restore-$name.cfs" "$out/kt_restore.$name.cfs" || rc=1
want=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["exit_codes"][0])' \
       "$exp/restore-$name.json")
got=$(cat "$out/kt_restore.$name.rc" 2>/dev/null)
if [ "$want" != "$got" ]; then
    echo "status: ours $got, targetcli-fb's $want" >&2
    rc=1
fi
[ $rc = 0 ] && echo "configfs and status match targetcli-fb's for restore-$name"
exit $rc
