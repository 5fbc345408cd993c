#!/bin/sh
# gen-expected.sh [CASE...] : compute targetcli-fb's results for the
# project's own cases (default: own/*.sh) on the real kernel, and write them
# to expected/ for the compat tests to compare against. Run it on purpose
# when a case is added or changed, review the diff, and commit the result.
# Needs Debian's targetcli-fb on this host (installed if missing); it runs
# in the test VM, where targetcli-fb needs a system D-Bus.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
cd "$here"
[ $# -gt 0 ] || set -- own/*.sh
"$top/scripts/install-deps.sh" reference
out=$(mktemp -d "${TMPDIR:-/tmp}/lio-gen.XXXXXX")
trap 'rm -rf "$out"' EXIT
LIO_CLEAR="/usr/bin/targetctl clear" "$top/tests/vm/run.sh" --out "$out" --timeout 7200 -- \
    sh -c 'mkdir -p /run/dbus && dbus-daemon --system --fork &&
           exec "$0" /usr/bin/targetcli "$@"' "$here/run-cases.sh" "$out" "$@"
for c in "$@"; do
    id=$(basename "$c" .sh)
    case $c in savefiles/*) id=restore-$(basename "$c" .json) ;; esac
    for ext in cfs json out; do
        cp "$out/$id.$ext" "expected/$id.$ext"
    done
    echo "expected/$id.{cfs,json,out} written"
done
