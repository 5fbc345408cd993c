# Project case: an iSCSI target with several TPGs, LUN numbers given and
# chosen, IPv4 and IPv6 portals, ACLs with and without automatic mapped
# LUNs, a write-protected mapped LUN, tags, parameters, attributes,
# discovery auth, enable/disable and deletes, one-shot.
T=$TARGETCLI
IQN=iqn.2024-05.org.example.own:full
$T set global auto_add_default_portal=false
$T /backstores/ramdisk create r1 16M
$T /backstores/ramdisk create r2 16M
$T /iscsi create $IQN
$T /iscsi/$IQN create 2
$T /iscsi/$IQN create tpg5
$T /iscsi/$IQN create tpgX
$T /iscsi/$IQN/tpg1/luns create /backstores/ramdisk/r1
$T /iscsi/$IQN/tpg1/luns create /backstores/ramdisk/r2 lun7
$T /iscsi/$IQN/tpg1/luns create /backstores/ramdisk/r2
$T /iscsi/$IQN/tpg1/portals create 127.0.0.1 3260
$T /iscsi/$IQN/tpg1/portals create ::1 3261
$T /iscsi/$IQN/tpg2/portals create 127.0.0.1 3260
$T /iscsi/$IQN/tpg1/acls create iqn.2024-05.org.example:ini1
$T /iscsi/$IQN/tpg1/acls create iqn.2024-05.org.example:ini2 add_mapped_luns=false
$T /iscsi/$IQN/tpg1/acls create not_a_wwn
$T /iscsi/$IQN/tpg1/acls/iqn.2024-05.org.example:ini2 create 3 7 write_protect=1
$T /iscsi/$IQN/tpg1/acls/iqn.2024-05.org.example:ini2 create 4 lun0
$T /iscsi/$IQN/tpg1/acls/iqn.2024-05.org.example:ini2 create 5 lun9
$T /iscsi/$IQN/tpg1/acls tag iqn.2024-05.org.example:ini1 group1
$T /iscsi/$IQN/tpg1 set parameter MaxConnections=4 TargetAlias=own
$T /iscsi/$IQN/tpg1 set attribute generate_node_acls=0 default_cmdsn_depth=32
$T /iscsi/$IQN/tpg2 disable
$T /iscsi/$IQN/tpg2 enable
$T /iscsi set discovery_auth enable=1 userid=disc password=discpass
$T /iscsi/$IQN delete tpg5
$T /iscsi/$IQN/tpg1/luns delete lun0
$T /iscsi/$IQN/tpg1/portals delete ::1 3261
$T ls /iscsi
$T / saveconfig
