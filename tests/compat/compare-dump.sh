#!/bin/sh
# compare-dump.sh DUMP CASE EXPECTED : normalise a saveconfig.json the
# kernel tests dumped, as the compatibility cases are, and diff it with the
# "saveconfig" targetcli-fb left for the same case.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dump=$1 case=$2 expected=$3
[ -f "$dump" ] || { echo "no dump at $dump (did kernel/boot run?)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$here/savenorm.py" --known "$case" --save "$dump" >"$tmp/ours.json"
python3 - "$tmp/ours.json" "$expected" "$tmp" <<'PY'
import json, sys
ours = json.load(open(sys.argv[1]))["saveconfig"]
want = json.load(open(sys.argv[2]))["saveconfig"]
for name, doc in (("ours", ours), ("targetcli-fb", want)):
    with open(f"{sys.argv[3]}/{name}", "w") as f:
        json.dump(doc, f, indent=1, sort_keys=True)
        f.write("\n")
PY
diff -u "$tmp/targetcli-fb" "$tmp/ours" && echo "saveconfig matches targetcli-fb's"
