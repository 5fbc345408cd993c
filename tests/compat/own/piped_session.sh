# Project case: a piped session as scripts use it: comments, cd, relative
# commands, errors in the middle, and the next session starting where the
# last one ended.
T=$TARGETCLI
$T <<CMDS
# set up storage
cd /backstores/ramdisk
create p1 4M
create p1 4M
create p2 4M
/iscsi create iqn.2024-05.org.example.own:piped
cd /iscsi/iqn.2024-05.org.example.own:piped/tpg1/luns
create /backstores/ramdisk/p1
nosuchcommand
create /backstores/ramdisk/p2 lun5
CMDS
$T <<CMDS
create /backstores/ramdisk/p2
../acls create iqn.2024-05.org.example:piped-ini
CMDS
$T ls
