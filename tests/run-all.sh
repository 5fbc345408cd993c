#!/bin/sh
# run-all.sh : install what the tests need, then run every test (unit
# tests, then the kernel tests in the bundled QEMU guest) twice with
# ctest: on the optimised build as installed (statically linked programs;
# -Werror must hold where the optimiser warns, maybe-uninitialized, too)
# and on a build with AddressSanitizer and UndefinedBehaviorSanitizer.
# Debian 12, as root. Extra arguments go to both ctest runs.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${LIO_TEST_BUILD:-$top/build-test}
"$top/scripts/install-deps.sh" test
# One extracted kernel serves both builds.
export LIO_VM_CACHE="${LIO_VM_CACHE:-$build-vm-cache}"
cmake -S "$top" -B "$build-release" -DCMAKE_BUILD_TYPE=Release
cmake --build "$build-release" -j "$(nproc)"
cmake -S "$top" -B "$build" -DLIO_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
cmake --build "$build" -j "$(nproc)"
# Both runs always happen; the status is their worst.
status=0
echo "== tests of the release build ($build-release)"
(cd "$build-release" && ctest --output-on-failure "$@") || status=1
echo "== tests of the sanitized build ($build)"
(cd "$build" && ctest --output-on-failure "$@") || status=1
exit $status
