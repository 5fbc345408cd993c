#!/bin/sh
# run.sh SCHEMA SAMPLES SAVE_SAMPLES KERNEL_RESULTS: validate saveconfig.json
# files against the schema with a real validator (Debian's
# python3-jsonschema): the committed samples (published savefiles and
# targetcli-fb 2.1.53's files from the compatibility cases), the same
# documents written again by the library's save code (which must also be
# laid out exactly as targetcli-fb writes them, and whose gzip backups must
# hold the previous file), and the kernel test's dump when it exists.
set -eu
schema=$1 samples=$2 save_samples=$3 kresults=$4
here=$(cd "$(dirname "$0")" && pwd)
py=""
for p in /usr/bin/python3 python3; do
    if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import jsonschema' 2>/dev/null; then
        py=$p
        break
    fi
done
if [ -z "$py" ]; then
    echo "FAIL: no python3 with jsonschema (install python3-jsonschema: scripts/install-deps.sh test)" >&2
    exit 1
fi
out=$(mktemp -d "${TMPDIR:-/tmp}/lio-schema-XXXXXX")
trap 'rm -rf "$out"' EXIT
status=0

echo "== samples"
"$py" "$here/validate.py" "$schema" --self-test "$samples"/savefiles/*.json \
    "$samples"/expected/*.json || status=1

echo "== written by the library"
"$save_samples" "$out" "$samples"/savefiles/*.json "$samples"/expected/*.json || status=1
"$py" "$here/validate.py" "$schema" --format "$out"/*.json || status=1
# Modes, and each backup holds the file as it was before the second save.
for f in "$out"/*.json; do
    m=$(stat -c %a "$f")
    [ "$m" = 600 ] || { echo "FAIL $f: mode $m"; status=1; }
done
[ "$(stat -c %a "$out/backup")" = 700 ] || { echo "FAIL $out/backup: mode"; status=1; }
nb=$(find "$out/backup" -name 'saveconfig-*.json.gz' | wc -l)
[ "$nb" -eq 2 ] || { echo "FAIL: $nb backups, want 2 (max_backups 2)"; status=1; }
for b in "$out"/backup/saveconfig-*.json.gz; do
    gzip -t "$b" || { echo "FAIL $b: not gzip"; status=1; }
    gzip -dc "$b" | "$py" "$here/validate.py" "$schema" --format /dev/stdin >/dev/null ||
        { echo "FAIL $b: content"; status=1; }
done

k="$kresults/kt_save.archwiki.json"
if [ -f "$k" ]; then
    echo "== kernel test dump"
    "$py" "$here/validate.py" "$schema" --format "$k" || status=1
else
    echo "== no kernel test dump at $k (run the kernel tests first to check it too)"
fi
exit $status
