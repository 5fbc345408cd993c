# Project case: ACL tags. An ACL joining a tag takes the first member's
# mapped LUNs, CHAP credentials and attributes; untag leaves them.
T=$TARGETCLI
IQN=iqn.2024-05.org.example.own:tags
TPG=/iscsi/$IQN/tpg1
$T set global auto_add_default_portal=false
$T /backstores/ramdisk create t1 4M
$T /backstores/ramdisk create t2 4M
$T /iscsi create $IQN
$T $TPG/luns create /backstores/ramdisk/t1
$T $TPG/luns create /backstores/ramdisk/t2
$T $TPG/acls create iqn.2024-05.org.example:host-a add_mapped_luns=false
$T $TPG/acls/iqn.2024-05.org.example:host-a create 0 0 write_protect=1
$T $TPG/acls/iqn.2024-05.org.example:host-a create 3 1
$T $TPG/acls/iqn.2024-05.org.example:host-a set auth userid=clusteruser password=cluster-secret
$T $TPG/acls/iqn.2024-05.org.example:host-a set attribute dataout_timeout=7
# We enforce CHAP once every ACL has credentials (targetcli-fb does not): turn
# it off explicitly so both leave the same state; kt_shell covers enforcement.
$T $TPG set attribute authentication=0
$T $TPG/acls tag iqn.2024-05.org.example:host-a cluster
$T $TPG/acls create iqn.2024-05.org.example:host-b
$T $TPG/acls tag iqn.2024-05.org.example:host-b cluster
$T $TPG/acls create iqn.2024-05.org.example:host-c add_mapped_luns=false
$T $TPG/acls tag iqn.2024-05.org.example:host-c cluster
$T $TPG/acls untag iqn.2024-05.org.example:host-c
$T $TPG/acls tag iqn.2024-05.org.example:host-c bad.tag
$T $TPG/acls tag iqn.2024-05.org.example:nobody cluster
$T ls $TPG/acls
$T saveconfig
