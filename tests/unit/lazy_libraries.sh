#!/bin/sh
# lazy_libraries.sh static|dynamic BINARY...
# libkmod and libnl are loaded when first used (lib/dynlib.c), and D-Bus is
# spoken without libsystemd (lib/dbus_call.c); linking any of them again
# would bring back their dependencies' start-up cost to every command. A static program (LIO_STATIC_PROGRAMS) must have
# no program interpreter at all: the dynamic loader is the cost it avoids.
set -u
mode=$1
shift
fail=0
for bin in "$@"; do
    interp=$(readelf -l "$bin" | grep -c 'Requesting program interpreter')
    if [ "$mode" = static ]; then
        if [ "$interp" != 0 ] || readelf -d "$bin" | grep -q NEEDED; then
            echo "not ok: $bin is not linked statically"; fail=1; continue
        fi
        # The optional libraries' own functions must not be inside either.
        if nm "$bin" | grep -Eq ' T (kmod_new|sd_bus_open_system|rtnl_addr_alloc_cache)$'; then
            echo "not ok: $bin has an optional library linked in"; fail=1; continue
        fi
        echo "ok: $bin: static, no optional library inside"
        continue
    fi
    needed=$(readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
    case $needed in
    *libc.so*) ;;
    *) echo "not ok: $bin: no NEEDED entries read"; fail=1; continue ;;
    esac
    for lib in $needed; do
        case $lib in
        libkmod* | libsystemd* | libnl* | libcrypto* | libgcrypt*)
            echo "not ok: $bin links $lib"; fail=1 ;;
        esac
    done
    [ $fail = 0 ] && echo "ok: $bin: $(echo $needed)"
done
exit $fail
