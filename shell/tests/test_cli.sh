#!/bin/sh
# The targetcli command line on a fake configfs: one-shot, piped, -f batch.
# usage: test_cli.sh TARGETCLI MKFIXTURE
set -u
T=$1
FX=$($2) || exit 1
export TARGETCLI_CONFIGFS=$FX TARGETCLI_HOME=$FX/home
# never save to the real /etc/target when a session ends
for h in home home2; do
	mkdir -p "$FX/$h" && echo 'auto_save_on_exit = false' > "$FX/$h/prefs.conf"
done
fail=0
check() { # name expected actual
	if [ "$2" != "$3" ]; then
		printf 'FAIL %s\n--- want\n%s\n--- got\n%s\n' "$1" "$2" "$3"
		fail=1
	fi
}

# one-shot: runs from /, errors on stderr alone, exit 1
out=$($T /backstores/fileio/nope status 2>/dev/null); rc=$?
check "one-shot error rc" 1 "$rc"
check "one-shot error stdout" "" "$out"
err=$($T /backstores/fileio/nope status 2>&1 >/dev/null)
check "one-shot error text" "No such path /backstores/fileio/nope" "$err"
out=$($T /backstores/fileio/disk1 status); rc=$?
check "one-shot ok" "0 Status for /backstores/fileio/disk1: /var/tmp/disk1.img (100.0MiB) write-back activated" "$rc $out"
out=$($T 'cd /iscsi' && $T pwd)
check "one-shot starts at /" "/" "$out"

# piped: prompts echoed, comments ignored, errors do not stop the session
# (a fresh home: the one-shot `cd /iscsi` above moved the path history)
export TARGETCLI_HOME=$FX/home2
out=$(printf '\n# comment\ncd /iscsi\nbogus\npwd\n' | $T 2>&1); rc=$?
want="targetcli shell version $($T --version 2>&1 | sed 's/.* version //')
For help on commands, type 'help'.

/> /> /> /iscsi> Command not found bogus
/iscsi> /iscsi
/iscsi> exit"
check "piped session" "$want" "$out"
check "piped rc" 0 "$rc"
# the next piped session starts where the last one ended
out=$(echo pwd | $T 2>&1 | tail -n 2)
check "piped resumes path" "/iscsi> /iscsi
/iscsi> exit" "$out"

# -f: strict, FILE:LINE: message, non-zero; --keep-going runs the rest
printf 'cd /iscsi\nbogus\npwd\n' > "$FX/script"
out=$($T -f "$FX/script" 2>&1); rc=$?
check "-f stops" "1 $FX/script:2: Command not found bogus" "$rc $out"
out=$($T -f "$FX/script" --keep-going 2>&1); rc=$?
check "-f --keep-going" "1 $FX/script:2: Command not found bogus
/iscsi" "$rc $out"

# prefs are a readable text file
$T set global tree_max_depth=2 >/dev/null
grep -q "^tree_max_depth = 2$" "$TARGETCLI_HOME/prefs.conf" || { echo "FAIL prefs.conf"; fail=1; }

# saveconfig / restoreconfig messages (never the default file here)
rmdir "$FX"/target/iscsi/*/tpgt_1/lun/lun_10  # a broken LUN cannot be saved
out=$($T saveconfig "$FX/save.json" 2>&1); rc=$?
check "saveconfig" "0 Configuration saved to $FX/save.json" "$rc $out"
out=$($T /backstores/fileio/disk1 saveconfig "$FX/so.json" 2>&1); rc=$?
check "so saveconfig" "0 Storage Object 'fileio:disk1' config saved to $FX/so.json." "$rc $out"
out=$($T restoreconfig "$FX/nope.json" 2>&1); rc=$?
check "restoreconfig missing" "1 Restore file $FX/nope.json not found" "$rc $out"

# fabric-level groups follow the fabric's directory; version reads its file
mkdir -p "$FX/target/iscsi/param" && echo 7 > "$FX/target/iscsi/param/knob"
echo "Example iSCSI Target v9" > "$FX/target/iscsi/lio_version"
out=$($T /iscsi get parameter knob 2>&1); rc=$?
check "fabric parameter group" "0 knob=7 " "$rc $out"
out=$($T /iscsi get attribute 2>&1); rc=$?
check "no fabric attribute group" "1 Unknown configuration group: attribute" "$rc $out"
out=$($T /iscsi version 2>&1); rc=$?
check "fabric version" "0 Target fabric module iscsi: Example iSCSI Target v9" "$rc $out"
out=$($T ls /iscsi 1 2>&1 | grep -c 'o- param')
check "param is not a target" 0 "$out"

rm -rf "$FX"
[ $fail = 0 ] && echo "test_cli: ok"
exit $fail
