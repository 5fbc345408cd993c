/*
 * kt-iscsi-io: a small iSCSI initiator for the kernel tests, built on
 * libiscsi. It logs in (with CHAP and mutual CHAP when given) and checks
 * what the target exports:
 *   kt-iscsi-io [-i INITIATOR] [-m TUSER:TPASS] login URL
 *   kt-iscsi-io ... write URL LBA SEED     write 8 blocks of a seeded pattern
 *   kt-iscsi-io ... verify URL LBA SEED    read them back and compare
 *   kt-iscsi-io ... readonly URL           MODE SENSE shows WP and a write is refused
 *   kt-iscsi-io ... hold URL               stay logged in until killed
 * URL: iscsi://[user%password@]host[:port]/target/lun
 * Exit status: 0 as expected, 1 check failed, 2 login failed, 3 usage.
 */
#include <iscsi/iscsi.h>
#include <iscsi/scsi-lowlevel.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BLOCKS 8

static struct iscsi_context *connect_url(const char *initiator, const char *mutual,
					 const char *urlstr, int *lun)
{
	struct iscsi_context *iscsi = iscsi_create_context(initiator);
	struct iscsi_url *url;

	if (!iscsi)
		return NULL;
	url = iscsi_parse_full_url(iscsi, urlstr);
	if (!url) {
		fprintf(stderr, "bad URL %s: %s\n", urlstr, iscsi_get_error(iscsi));
		iscsi_destroy_context(iscsi);
		return NULL;
	}
	iscsi_set_targetname(iscsi, url->target);
	iscsi_set_alias(iscsi, "kt-iscsi-io"); /* shown by targetcli sessions */
	iscsi_set_session_type(iscsi, ISCSI_SESSION_NORMAL);
	iscsi_set_header_digest(iscsi, ISCSI_HEADER_DIGEST_NONE_CRC32C);
	if (url->user[0])
		iscsi_set_initiator_username_pwd(iscsi, url->user, url->passwd);
	if (mutual) {
		char *copy = strdup(mutual), *colon = strchr(copy, ':');

		if (colon) {
			*colon = '\0';
			iscsi_set_target_username_pwd(iscsi, copy, colon + 1);
		}
		free(copy);
	}
	*lun = url->lun;
	if (iscsi_full_connect_sync(iscsi, url->portal, url->lun) != 0) {
		fprintf(stderr, "login to %s failed: %s\n", urlstr, iscsi_get_error(iscsi));
		iscsi_destroy_url(url);
		iscsi_destroy_context(iscsi);
		return NULL;
	}
	iscsi_destroy_url(url);
	return iscsi;
}

static uint32_t block_size(struct iscsi_context *iscsi, int lun, uint64_t *blocks)
{
	struct scsi_task *task = iscsi_readcapacity16_sync(iscsi, lun);
	struct scsi_readcapacity16 *rc;
	uint32_t bs = 0;

	if (task && task->status == SCSI_STATUS_GOOD &&
	    (rc = scsi_datain_unmarshall(task))) {
		bs = rc->block_length;
		*blocks = rc->returned_lba + 1;
	}
	if (task)
		scsi_free_scsi_task(task);
	return bs;
}

static void fill(unsigned char *buf, size_t len, unsigned seed)
{
	uint32_t x = seed * 2654435761u + 1;

	for (size_t i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		buf[i] = (unsigned char)x;
	}
}

int main(int argc, char **argv)
{
	const char *initiator = "iqn.2024-01.org.example:kt-initiator", *mutual = NULL;
	struct iscsi_context *iscsi;
	struct scsi_task *task;
	uint64_t nblocks = 0;
	int opt, lun, rc = 1;
	uint32_t bs;

	while ((opt = getopt(argc, argv, "i:m:")) != -1) {
		if (opt == 'i')
			initiator = optarg;
		else if (opt == 'm')
			mutual = optarg;
		else
			return 3;
	}
	if (argc - optind < 2)
		return 3;
	const char *cmd = argv[optind], *url = argv[optind + 1];

	iscsi = connect_url(initiator, mutual, url, &lun);
	if (!iscsi)
		return 2;
	bs = block_size(iscsi, lun, &nblocks);
	if (!bs) {
		fprintf(stderr, "READ CAPACITY(16) failed: %s\n", iscsi_get_error(iscsi));
		goto out;
	}
	printf("logged in: lun %d, %llu blocks of %u bytes\n", lun,
	       (unsigned long long)nblocks, bs);

	if (!strcmp(cmd, "login")) {
		rc = 0;
	} else if (!strcmp(cmd, "hold")) {
		fflush(stdout);
		/* Keep the session alive for the caller to inspect; NOPs answer themselves. */
		for (;;) {
			struct scsi_task *t = iscsi_testunitready_sync(iscsi, lun);
			if (t)
				scsi_free_scsi_task(t);
			sleep(1);
		}
	} else if ((!strcmp(cmd, "write") || !strcmp(cmd, "verify")) && argc - optind == 4) {
		uint32_t lba = (uint32_t)strtoul(argv[optind + 2], NULL, 0);
		unsigned seed = (unsigned)strtoul(argv[optind + 3], NULL, 0);
		size_t len = (size_t)bs * BLOCKS;
		unsigned char *want = malloc(len);

		fill(want, len, seed);
		if (!strcmp(cmd, "write")) {
			task = iscsi_write10_sync(iscsi, lun, lba, want, (uint32_t)len, (int)bs,
						  0, 0, 0, 0, 0);
			if (task && task->status == SCSI_STATUS_GOOD)
				rc = 0;
			else
				fprintf(stderr, "WRITE(10) failed: %s\n", iscsi_get_error(iscsi));
		} else {
			task = iscsi_read10_sync(iscsi, lun, lba, (uint32_t)len, (int)bs, 0, 0,
						 0, 0, 0);
			if (task && task->status == SCSI_STATUS_GOOD &&
			    task->datain.size == (int)len && !memcmp(task->datain.data, want, len))
				rc = 0;
			else
				fprintf(stderr, "READ(10) did not return the written data: %s\n",
					iscsi_get_error(iscsi));
		}
		if (task)
			scsi_free_scsi_task(task);
		free(want);
		if (!rc)
			printf("%s ok: %zu bytes at lba %u\n", cmd, len, lba);
	} else if (!strcmp(cmd, "readonly")) {
		unsigned char *buf = calloc(bs, 1);
		bool wp_bit = false, refused = false;

		task = iscsi_modesense6_sync(iscsi, lun, 1, SCSI_MODESENSE_PC_CURRENT,
					     SCSI_MODEPAGE_RETURN_ALL_PAGES, 0, 255);
		if (task && task->status == SCSI_STATUS_GOOD && task->datain.size >= 4)
			wp_bit = task->datain.data[2] & 0x80;
		if (task)
			scsi_free_scsi_task(task);
		task = iscsi_write10_sync(iscsi, lun, 0, buf, bs, (int)bs, 0, 0, 0, 0, 0);
		if (task && task->status == SCSI_STATUS_CHECK_CONDITION &&
		    task->sense.key == SCSI_SENSE_DATA_PROTECTION)
			refused = true;
		if (task)
			scsi_free_scsi_task(task);
		free(buf);
		printf("write-protect bit %s, write %s\n", wp_bit ? "set" : "clear",
		       refused ? "refused with DATA PROTECT" : "not refused");
		rc = wp_bit && refused ? 0 : 1;
	} else {
		rc = 3;
	}
out:
	iscsi_logout_sync(iscsi);
	iscsi_destroy_context(iscsi);
	return rc;
}
