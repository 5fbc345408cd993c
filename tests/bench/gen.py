#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write the benchmark's configuration of size N as a saveconfig.json.

usage: gen.py N FILE

N ramdisk storage objects rd0..rd<N-1> (nullio, so the kernel allocates no
pages), one iSCSI target with one TPG, LUN i -> rd<i>, four ACLs that each
map every LUN (mapped LUN i -> LUN i), one portal 0.0.0.0:3260.

The layout is what targetcli-fb 2.1.53 saves on Debian 12's kernel
(tests/compat/expected/restore-target_devel_ramdisk_acl_chap.json): every
attribute and parameter the kernel shows, sorted keys, indent 2. The ACLs'
"authentication" attribute (-1: inherited from the TPG) is left out, as in
the published file that one was restored from
(tests/compat/savefiles/target_devel_ramdisk_acl_chap.json); a save adds it
back, which check_save.py allows for.

Names, WWNs and aliases are derived from the index rather than random, so
that floor.c can issue the same operations without reading this file.
Keep the two in step (bench_config.h and bench_config.c hold the C side
of the same rules).
"""
import json
import sys

TARGET = "iqn.2024-01.org.example.bench:target"
INITIATORS = ["iqn.2024-01.org.example.bench:init%d" % i for i in range(4)]
SIZE = 1 << 30  # no memory with nullio; 262144 pages of 4 KiB

SO_ATTRS = {
    "alua_support": 1, "block_size": 512, "emulate_3pc": 1, "emulate_caw": 1,
    "emulate_dpo": 1, "emulate_fua_read": 1, "emulate_fua_write": 1,
    "emulate_model_alias": 1, "emulate_pr": 1, "emulate_rest_reord": 0,
    "emulate_tas": 1, "emulate_tpu": 0, "emulate_tpws": 0,
    "emulate_ua_intlck_ctrl": 0, "emulate_write_cache": 0, "enforce_pr_isids": 1,
    "force_pr_aptpl": 0, "is_nonrot": 1, "max_unmap_block_desc_count": 0,
    "max_unmap_lba_count": 0, "max_write_same_len": 0,
    "optimal_sectors": 4294967288, "pgr_support": 1, "pi_prot_format": 0,
    "pi_prot_type": 0, "pi_prot_verify": 0, "queue_depth": 128,
    "unmap_granularity": 0, "unmap_granularity_alignment": 0,
    "unmap_zeroes_data": 0,
}
DEFAULT_ALUA = {
    "alua_access_state": 0, "alua_access_status": 0, "alua_access_type": 3,
    "alua_support_active_nonoptimized": 1, "alua_support_active_optimized": 1,
    "alua_support_offline": 1, "alua_support_standby": 1,
    "alua_support_transitioning": 1, "alua_support_unavailable": 1,
    "alua_write_metadata": 0, "implicit_trans_secs": 0,
    "name": "default_tg_pt_gp", "nonop_delay_msecs": 100, "preferred": 0,
    "tg_pt_gp_id": 0, "trans_delay_msecs": 0,
}
TPG_ATTRS = {
    "authentication": 0, "cache_dynamic_acls": 0, "default_cmdsn_depth": 64,
    "default_erl": 0, "demo_mode_discovery": 1, "demo_mode_write_protect": 1,
    "fabric_prot_type": 0, "generate_node_acls": 0, "login_keys_workaround": 1,
    "login_timeout": 15, "netif_timeout": 2, "prod_mode_write_protect": 0,
    "t10_pi": 0, "tpg_enabled_sendtargets": 1,
}
TPG_PARAMS = {
    "AuthMethod": "CHAP,None", "DataDigest": "CRC32C,None", "DataPDUInOrder": "Yes",
    "DataSequenceInOrder": "Yes", "DefaultTime2Retain": "20", "DefaultTime2Wait": "2",
    "ErrorRecoveryLevel": "0", "FirstBurstLength": "65536",
    "HeaderDigest": "CRC32C,None", "IFMarkInt": "Reject", "IFMarker": "No",
    "ImmediateData": "Yes", "InitialR2T": "Yes", "MaxBurstLength": "262144",
    "MaxConnections": "1", "MaxOutstandingR2T": "1",
    "MaxRecvDataSegmentLength": "8192", "MaxXmitDataSegmentLength": "262144",
    "OFMarkInt": "Reject", "OFMarker": "No", "TargetAlias": "LIO Target",
}
ACL_ATTRS = {
    "dataout_timeout": 3, "dataout_timeout_retries": 5, "default_erl": 0,
    "nopin_response_timeout": 30, "nopin_timeout": 15,
    "random_datain_pdu_offsets": 0, "random_datain_seq_offsets": 0,
    "random_r2t_offsets": 0,
}


def so_wwn(i):
    return "00000000-0000-4000-8000-%012x" % i


def storage_object(i):
    return {"alua_tpgs": [dict(DEFAULT_ALUA)], "attributes": dict(SO_ATTRS),
            "name": "rd%d" % i, "nullio": True, "plugin": "ramdisk",
            "size": SIZE, "wwn": so_wwn(i)}


def config(n):
    luns = [{"alias": "l%09x" % i, "alua_tg_pt_gp_name": "default_tg_pt_gp",
             "index": i, "storage_object": "/backstores/ramdisk/rd%d" % i}
            for i in range(n)]
    acls = [{"attributes": dict(ACL_ATTRS),
             "mapped_luns": [{"alias": "m%d%08x" % (a, i), "index": i, "tpg_lun": i,
                              "write_protect": False} for i in range(n)],
             "node_wwn": wwn} for a, wwn in enumerate(INITIATORS)]
    tpg = {"attributes": dict(TPG_ATTRS), "enable": True, "luns": luns,
           "node_acls": acls, "parameters": dict(TPG_PARAMS),
           "portals": [{"ip_address": "0.0.0.0", "iser": False, "offload": False,
                        "port": 3260}],
           "tag": 1}
    return {"fabric_modules": [],
            "storage_objects": [storage_object(i) for i in range(n)],
            "targets": [{"fabric": "iscsi",
                         "parameters": {"cmd_completion_affinity": "-1"},
                         "tpgs": [tpg], "wwn": TARGET}]}


def main():
    if len(sys.argv) != 3 or not sys.argv[1].isdigit():
        sys.exit("usage: gen.py N FILE")
    with open(sys.argv[2], "w") as f:
        json.dump(config(int(sys.argv[1])), f, sort_keys=True, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
