#!/bin/sh
# run-all.sh : install what the tests need, build with AddressSanitizer and
# UndefinedBehaviorSanitizer, and run every test with ctest (unit tests,
# then the kernel tests in the bundled QEMU guest). Debian 12, as root.
# An optimised build comes first: -Werror must hold where the optimiser
# warns (maybe-uninitialized) too, not only in the debug build.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${LIO_TEST_BUILD:-$top/build-test}
"$top/scripts/install-deps.sh" test
cmake -S "$top" -B "$build-release" -DCMAKE_BUILD_TYPE=Release -DLIO_KERNEL_TESTS=OFF
cmake --build "$build-release" -j "$(nproc)"
cmake -S "$top" -B "$build" -DLIO_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
cmake --build "$build" -j "$(nproc)"
cd "$build"
ctest --output-on-failure "$@"
