#!/bin/sh
# install-deps.sh build|vm|test|reference|bench : install, from Debian's
# archive, what building (build) or building and testing (test) the project
# needs, or what the benchmark needs (bench). Debian 12, as root.
set -eu
build="cmake gcc make pkg-config libreadline-dev libjson-c-dev libnl-3-dev
       libnl-route-3-dev libkmod-dev zlib1g-dev"
# The tests' stand-in tcmu-runner (tests/unit/tcmu_fake.c) serves D-Bus
# with sd-bus; liblio itself needs no D-Bus library.
build="$build libsystemd-dev"
# The test VM boots Debian's own kernel; libiscsi is the initiator.
vm="qemu-system-x86 busybox-static cpio kmod"
# What tests/compat/gen-expected.sh runs to make targetcli-fb's results.
reference="$vm targetcli-fb dbus python3"
test="$build $vm libiscsi-dev libiscsi-bin tmux python3 python3-jsonschema"
# kt_tcmu runs Debian's tcmu-runner on a system bus in the VM (the guest
# runs what the host has installed); test_shell_user starts a private bus.
test="$test tcmu-runner dbus"
# tests/bench/run.sh: targetcli-fb to compare with, gnuplot for the plot.
bench="$build $vm targetcli-fb dbus python3 gnuplot-nox"
case "${1:-}" in
build) pkgs=$build ;;
vm) pkgs="$build $vm" ;;
test) pkgs=$test ;;
reference) pkgs=$reference ;;
bench) pkgs=$bench ;;
*) echo "usage: $0 build|vm|test|reference|bench" >&2; exit 2 ;;
esac
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
    echo "$0: missing packages:$missing (run as root to install them)" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing
