/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The benchmark's configuration as the floor program sees it: the same
 * names, values and order as gen.py writes into saveconfig.json, so that
 * the floor can issue the configfs operations of a restore without parsing
 * the file. Keep this and gen.py in step.
 */
#ifndef BENCH_CONFIG_H
#define BENCH_CONFIG_H

#define BENCH_TARGET "iqn.2024-01.org.example.bench:target"
#define BENCH_NACLS 4
#define BENCH_INITIATOR_FMT "iqn.2024-01.org.example.bench:init%d"
#define BENCH_SO_FMT "rd%u"
#define BENCH_SO_WWN_FMT "00000000-0000-4000-8000-%012x"
#define BENCH_LUN_ALIAS_FMT "l%09x"
#define BENCH_MLUN_ALIAS_FMT "m%d%08x"
#define BENCH_PORTAL "0.0.0.0:3260"
/* 1 GiB in 4 KiB pages; nullio allocates none of them. */
#define BENCH_RD_PAGES "262144"

struct bench_kv {
	const char *key;
	const char *value;
};

/* Sorted as json.dump(sort_keys=True) writes them: restores go in file order. */
extern const struct bench_kv bench_so_attrs[];
/* What a save reads of the kernel's default ALUA group. */
extern const char *const bench_alua_files[];
extern const struct bench_kv bench_tpg_attrs[];
extern const struct bench_kv bench_tpg_params[];
extern const struct bench_kv bench_acl_attrs[];
/* CHAP files a save reads (it keeps only those that are set). */
extern const char *const bench_auth_files[];

#endif
