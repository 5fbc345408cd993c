#!/bin/bash
# run-cases.sh TARGETCLI OUTDIR CASE... : run inside the test VM. Runs each
# compatibility case the way tests/compat/README.md describes (fresh state,
# loop devices, bash -x, stdin /dev/null), then records what it left:
# OUTDIR/<id>.cfs (cfsdump.py), OUTDIR/<id>.json (savenorm.py) and
# OUTDIR/<id>.out. A CASE is public/<name>.sh or savefiles/<name>.json
# (id restore-<name>). LIO_CLEAR is the command that empties configfs.
set -u
here=$(cd "$(dirname "$0")" && pwd)
targetcli=$(realpath "$1") out=$2
shift 2
: "${LIO_CLEAR:?LIO_CLEAR must name a command that clears the LIO configuration}"
export LABDATA=/var/tmp/lab-data
# Debian's interpreter: a pyenv shim costs seconds per start in the guest.
py=python3
[ -x /usr/bin/python3 ] && py=/usr/bin/python3
lab=/run/lab
mkdir -p "$out" "$lab/bin"
cat >"$lab/bin/targetcli" <<WRAP
#!/bin/sh
"$targetcli" "\$@"
rc=\$?
echo \$rc >>"$lab/rc"
exit \$rc
WRAP
chmod +x "$lab/bin/targetcli"
export TARGETCLI=$lab/bin/targetcli PATH=$lab/bin:$PATH HOME=/root

fresh_state() {
    $LIO_CLEAR || echo "warning: clearing the configuration failed" >&2
    rm -rf /root/.targetcli /etc/target /etc/rtslib-fb-target "$lab/rc"
    rm -rf "$LABDATA" && mkdir -p "$LABDATA"
    for i in 0 1 2 3 4 5; do
        losetup -d "/dev/loop$i" 2>/dev/null
        truncate -s 64M "$lab/loop$i.img"
        losetup "/dev/loop$i" "$lab/loop$i.img" || echo "warning: /dev/loop$i" >&2
    done
}

for c in "$@"; do
    case $c in
    public/*.sh | own/*.sh) id=$(basename "$c" .sh); script=$here/$c; known=$here/$c ;;
    savefiles/*.json) id=restore-$(basename "$c" .json); known=$here/$c
        script=$lab/restore-case.sh
        printf '$TARGETCLI restoreconfig %s\n' "$c" >"$script" ;;
    *) echo "unknown case $c" >&2; continue ;;
    esac
    fresh_state
    cp -r "$here/savefiles" "$LABDATA/"
    (
        cd "$LABDATA" || exit 1
        bash -x "$script" </dev/null
        echo "[case exit status $?]"
        "$targetcli" saveconfig "$LABDATA/.final.json" </dev/null
        echo "[probe saveconfig exit status $?]"
    ) >"$out/$id.out" 2>&1
    "$py" "$here/cfsdump.py" --known "$known" >"$out/$id.cfs"
    "$py" "$here/savenorm.py" --known "$known" --rc "$lab/rc" \
        --save "$LABDATA/.final.json" --default /etc/target/saveconfig.json \
        --default /etc/rtslib-fb-target/saveconfig.json >"$out/$id.json"
    echo "$id done"
done
$LIO_CLEAR
sync
exit 0
