#!/bin/sh
# lazy_libraries.sh BINARY...
# libkmod, libsystemd and libnl are loaded when first used (lib/dynlib.c);
# linking any of them again would bring back their dependencies' start-up
# cost to every command.
set -u
fail=0
for bin in "$@"; do
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
