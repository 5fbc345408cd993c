// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * floor: the least a tool can do for each benchmarked command, issued as
 * plain configfs system calls with no library, no parsing and no checks.
 * The benchmark divides our tools' times by these.
 *
 *   floor [-r ROOT] restore N     the mkdirs, writes and symlinks of a restore
 *   floor [-r ROOT] save          the reads of a save
 *   floor [-r ROOT] ls            the reads of an `ls` of the whole tree
 *   floor [-r ROOT] clear         remove everything, children first
 *   floor [-r ROOT] create-so N | delete-so N | create-lun N | delete-lun N
 *                                 the one-shot commands, with N loaded
 *
 * ROOT stands for /sys/kernel/config/target (the default). It must be
 * configfs: the floor relies on the kernel making each object's files.
 * Exit status 0, or 1 with a message naming the failed call.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "floor.h"
#include "floor_fs.h"

#define KERNEL_ROOT "/sys/kernel/config/target"

bool floor_exists(const char *rel)
{
	struct stat st;

	return stat(fl_abs("%s", rel), &st) == 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: floor [-r ROOT] start | restore N | save | ls | clear |\n"
			"             create-so N | delete-so N | create-lun N | delete-lun N\n");
	return 2;
}

static bool parse_n(const char *s, unsigned *n)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	*n = (unsigned)v;
	return *s && !*end && v <= 1000000;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		void (*fn)(unsigned);
	} with_n[] = {
		{ "restore", floor_restore },       { "create-so", floor_create_so },
		{ "delete-so", floor_delete_so },   { "create-lun", floor_create_lun },
		{ "delete-lun", floor_delete_lun },
	};
	const char *root = KERNEL_ROOT;
	unsigned n;
	int opt;

	while ((opt = getopt(argc, argv, "r:")) != -1) {
		if (opt != 'r')
			return usage();
		root = optarg;
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		return usage();
	/* Process start-up alone: the least any command costs. */
	if (argc == 1 && !strcmp(argv[0], "start"))
		return 0;
	fl_init(root);
	if (argc == 1 && !strcmp(argv[0], "save")) {
		floor_read_all(true);
		return 0;
	}
	if (argc == 1 && !strcmp(argv[0], "ls")) {
		floor_read_all(false);
		return 0;
	}
	if (argc == 1 && !strcmp(argv[0], "clear")) {
		floor_clear();
		return 0;
	}
	for (size_t i = 0; i < sizeof(with_n) / sizeof(with_n[0]); i++) {
		if (strcmp(argv[0], with_n[i].name))
			continue;
		if (argc != 2 || !parse_n(argv[1], &n))
			return usage();
		with_n[i].fn(n);
		return 0;
	}
	return usage();
}
