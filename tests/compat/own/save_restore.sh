# Project case: saveconfig to a file, clearconfig, restoreconfig, a second
# restore over the existing objects, restoreconfig with clear_existing,
# per-object save and delete with save=true. (A missing file is an error
# here, as in upstream targetcli-fb; Debian's 2.1.53 exits 0: not compared.)
T=$TARGETCLI
IQN=iqn.2024-05.org.example.own:saved
$T /backstores/ramdisk create s1 8M
$T /backstores/ramdisk create s2 8M
$T /iscsi create $IQN
$T /iscsi/$IQN/tpg1/luns create /backstores/ramdisk/s1
$T /iscsi/$IQN/tpg1/acls create iqn.2024-05.org.example:saved-ini
$T saveconfig $LABDATA/a.json
$T clearconfig
$T clearconfig confirm=true
$T restoreconfig $LABDATA/a.json
$T restoreconfig $LABDATA/a.json
$T restoreconfig $LABDATA/a.json clear_existing=true
$T /backstores/ramdisk/s2 saveconfig
$T /backstores/ramdisk delete s2 save=true
$T saveconfig
