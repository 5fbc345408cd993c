// SPDX-License-Identifier: GPL-2.0-or-later
/* The benchmark configuration's names and values (see bench_config.h). */
#include <stddef.h>

#include "bench_config.h"

/* Sorted as json.dump(sort_keys=True) writes them: restores go in file order. */
const struct bench_kv bench_so_attrs[] = {
	{ "alua_support", "1" }, { "block_size", "512" }, { "emulate_3pc", "1" },
	{ "emulate_caw", "1" }, { "emulate_dpo", "1" }, { "emulate_fua_read", "1" },
	{ "emulate_fua_write", "1" }, { "emulate_model_alias", "1" }, { "emulate_pr", "1" },
	{ "emulate_rest_reord", "0" }, { "emulate_tas", "1" }, { "emulate_tpu", "0" },
	{ "emulate_tpws", "0" }, { "emulate_ua_intlck_ctrl", "0" },
	{ "emulate_write_cache", "0" }, { "enforce_pr_isids", "1" }, { "force_pr_aptpl", "0" },
	{ "is_nonrot", "1" }, { "max_unmap_block_desc_count", "0" },
	{ "max_unmap_lba_count", "0" }, { "max_write_same_len", "0" },
	{ "optimal_sectors", "4294967288" }, { "pgr_support", "1" }, { "pi_prot_format", "0" },
	{ "pi_prot_type", "0" }, { "pi_prot_verify", "0" }, { "queue_depth", "128" },
	{ "unmap_granularity", "0" }, { "unmap_granularity_alignment", "0" },
	{ "unmap_zeroes_data", "0" }, { 0, 0 },
};

/* What a save reads of the kernel's default ALUA group. */
const char *const bench_alua_files[] = {
	"alua_access_state", "alua_access_status", "alua_access_type",
	"alua_support_active_nonoptimized", "alua_support_active_optimized",
	"alua_support_offline", "alua_support_standby", "alua_support_transitioning",
	"alua_support_unavailable", "alua_write_metadata", "implicit_trans_secs",
	"nonop_delay_msecs", "preferred", "tg_pt_gp_id", "trans_delay_msecs", NULL,
};

const struct bench_kv bench_tpg_attrs[] = {
	{ "authentication", "0" }, { "cache_dynamic_acls", "0" },
	{ "default_cmdsn_depth", "64" }, { "default_erl", "0" },
	{ "demo_mode_discovery", "1" }, { "demo_mode_write_protect", "1" },
	{ "fabric_prot_type", "0" }, { "generate_node_acls", "0" },
	{ "login_keys_workaround", "1" }, { "login_timeout", "15" }, { "netif_timeout", "2" },
	{ "prod_mode_write_protect", "0" }, { "t10_pi", "0" },
	{ "tpg_enabled_sendtargets", "1" }, { 0, 0 },
};

const struct bench_kv bench_tpg_params[] = {
	{ "AuthMethod", "CHAP,None" }, { "DataDigest", "CRC32C,None" },
	{ "DataPDUInOrder", "Yes" }, { "DataSequenceInOrder", "Yes" },
	{ "DefaultTime2Retain", "20" }, { "DefaultTime2Wait", "2" },
	{ "ErrorRecoveryLevel", "0" }, { "FirstBurstLength", "65536" },
	{ "HeaderDigest", "CRC32C,None" }, { "IFMarkInt", "Reject" }, { "IFMarker", "No" },
	{ "ImmediateData", "Yes" }, { "InitialR2T", "Yes" }, { "MaxBurstLength", "262144" },
	{ "MaxConnections", "1" }, { "MaxOutstandingR2T", "1" },
	{ "MaxRecvDataSegmentLength", "8192" }, { "MaxXmitDataSegmentLength", "262144" },
	{ "OFMarkInt", "Reject" }, { "OFMarker", "No" }, { "TargetAlias", "LIO Target" },
	{ 0, 0 },
};

const struct bench_kv bench_acl_attrs[] = {
	{ "dataout_timeout", "3" }, { "dataout_timeout_retries", "5" },
	{ "default_erl", "0" }, { "nopin_response_timeout", "30" }, { "nopin_timeout", "15" },
	{ "random_datain_pdu_offsets", "0" }, { "random_datain_seq_offsets", "0" },
	{ "random_r2t_offsets", "0" }, { 0, 0 },
};

/* CHAP files a save reads (it keeps only those that are set). */
const char *const bench_auth_files[] = {
	"userid", "password", "userid_mutual", "password_mutual", NULL,
};
