# Project case: every backstore type the guest can back, their options,
# attributes, ALUA groups, deletes and the usual mistakes (bad size, missing
# device, duplicate name), one-shot.
T=$TARGETCLI
$T /backstores/fileio create f_sparse $LABDATA/f1.img 16M
$T /backstores/fileio create f_full $LABDATA/f2.img 8M write_back=false sparse=false
$T /backstores/fileio create f_dev /dev/loop1
$T /backstores/block create b0 /dev/loop0
$T /backstores/block create b_ro /dev/loop2 readonly=true
$T /backstores/ramdisk create r0 32M
$T /backstores/ramdisk create r_null 1G nullio=true
$T /backstores/ramdisk create r_wwn 4M wwn=0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9
$T /backstores/ramdisk create r_bad 10X
$T /backstores/block create b_missing /dev/does-not-exist
$T /backstores/fileio create f_sparse $LABDATA/f3.img 1M
$T /backstores/fileio/f_sparse set attribute emulate_tpu=1 emulate_tpws=1
$T /backstores/fileio/f_sparse set attribute no_such_attribute=1
$T /backstores/block/b0/alua create ao 10
$T /backstores/block/b0/alua/ao set alua alua_access_state=1 alua_access_type=1
$T /backstores/ramdisk delete r0
$T /backstores/ramdisk delete r0
$T ls /backstores
$T saveconfig
