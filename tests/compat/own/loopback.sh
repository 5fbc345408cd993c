# Project case: the loopback fabric (one TPG per target, a generated nexus),
# with a given and a generated WWN, one-shot.
T=$TARGETCLI
$T /backstores/fileio create lb $LABDATA/lb.img 8M
$T /backstores/ramdisk create lr 8M
$T /loopback create naa.5001405aabbccdd1
$T /loopback/naa.5001405aabbccdd1/luns create /backstores/fileio/lb
$T /loopback/naa.5001405aabbccdd1/luns create /backstores/ramdisk/lr 3
$T /loopback create
$T /loopback create iqn.2024-05.org.example:not-naa
$T saveconfig
