#!/bin/sh
# build-and-start.sh [TARGETCLI-ARGS...] : install the build dependencies,
# build, and start targetcli. On a host without LIO (no target modules) it
# starts inside the bundled real-kernel VM instead, as a throwaway lab:
# nothing configured there survives its exit. Debian 12, as root.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${LIO_BUILD:-$top/build}
"$top/scripts/install-deps.sh" build
cmake -S "$top" -B "$build" -DLIO_KERNEL_TESTS=OFF >/dev/null
cmake --build "$build" -j "$(nproc)" >/dev/null
bin=$build/shell/targetcli
if [ -d /sys/kernel/config/target ] || modinfo target_core_mod >/dev/null 2>&1; then
    exec "$bin" "$@"
fi
echo "This host has no LIO target modules: starting targetcli in the test VM." >&2
"$top/scripts/install-deps.sh" vm
exec "$top/tests/vm/run.sh" --interactive -- "$bin" "$@"
