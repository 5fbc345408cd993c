// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * complete_bench: the CPU time of the interactive shell's Tab completion,
 * measured in-process on the shell engine (shellcore), which is what
 * readline calls on each Tab (repl.c's generator calls sh_complete()).
 *
 *   complete_bench [-n REPEAT] LINE...
 *
 * For each LINE (the text before the cursor) it prints one line:
 *   "CANDIDATES FIRST_CPU_MS MEDIAN_CPU_MS FIRST_WALL_MS LINE"
 * FIRST is the first completion of the process, as the first Tab of a
 * fresh shell (nothing cached); MEDIAN is over REPEAT (default 5) runs.
 * CPU is the process's (CLOCK_PROCESS_CPUTIME_ID: user plus system).
 * The shell works on the kernel's configfs, or on TARGETCLI_CONFIGFS.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <lio.h>

#include "sh.h"

static double ms(clockid_t clk)
{
	struct timespec t;

	clock_gettime(clk, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* One completion of @line: CPU and wall milliseconds, candidate count. */
static size_t one(struct sh *sh, const char *line, double *cpu, double *wall)
{
	struct strv out = { 0 };
	double c0 = ms(CLOCK_PROCESS_CPUTIME_ID), w0 = ms(CLOCK_MONOTONIC);
	size_t n;

	sh_complete(sh, line, strlen(line), &out);
	*cpu = ms(CLOCK_PROCESS_CPUTIME_ID) - c0;
	*wall = ms(CLOCK_MONOTONIC) - w0;
	n = out.n;
	strv_clear(&out);
	return n;
}

int main(int argc, char **argv)
{
	const char *configfs = getenv("TARGETCLI_CONFIGFS");
	char home[] = "/tmp/complete_bench.XXXXXX";
	int repeat = 5, opt, ret = 0;
	struct sh sh;

	while ((opt = getopt(argc, argv, "n:")) != -1) {
		if (opt != 'n') {
			fprintf(stderr, "usage: complete_bench [-n REPEAT] LINE...\n");
			return 2;
		}
		repeat = atoi(optarg);
	}
	if (repeat < 1 || optind >= argc) {
		fprintf(stderr, "usage: complete_bench [-n REPEAT] LINE...\n");
		return 2;
	}
	if (configfs && !*configfs)
		configfs = NULL;
	/* Preferences go to a throw-away home, as a fresh user's would. */
	if (!mkdtemp(home) || sh_init(&sh, home, configfs) < 0) {
		perror("complete_bench: setup");
		return 1;
	}
	/* What the shell does at start-up, before any Tab: not measured. */
	if (!configfs && lio_setup(sh.lio, NULL, 0) < 0) {
		fprintf(stderr, "complete_bench: %s\n", lio_errmsg(sh.lio));
		ret = 1;
	}
	for (int i = optind; !ret && i < argc; i++) {
		double first_cpu, first_wall, wall, *cpu = calloc((size_t)repeat, sizeof(double));
		size_t n;

		if (!cpu) {
			ret = 1;
			break;
		}
		n = one(&sh, argv[i], &first_cpu, &first_wall);
		cpu[0] = first_cpu;
		for (int r = 1; r < repeat; r++)
			one(&sh, argv[i], &cpu[r], &wall);
		qsort(cpu, (size_t)repeat, sizeof(double), cmp_double);
		printf("%zu %.3f %.3f %.3f %s\n", n, first_cpu, cpu[repeat / 2], first_wall, argv[i]);
		free(cpu);
	}
	sh_fini(&sh);
	rmdir(home);
	return ret;
}
