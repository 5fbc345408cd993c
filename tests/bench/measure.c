// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * measure: run one command and print what it cost, so that the benchmark
 * needs no time(1) or other tools in the guest.
 *
 *   measure [-t SECONDS] [-o OUT] [-e ERR] [-i IN] -- COMMAND [ARG...]
 *
 * Prints one line: "STATUS WALL USER SYS MAXRSS", where STATUS is the exit
 * status, "sigN" for a signal, or "timeout" when the command ran longer
 * than SECONDS and was killed with its whole process group (times are then
 * up to the kill); WALL, USER and SYS are seconds and MAXRSS is the
 * command's peak resident set in KiB (wait4's rusage). The command's
 * standard output and error go to OUT and ERR (default /dev/null), its
 * input comes from IN (default /dev/null).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t expired;

static void on_alarm(int sig)
{
	(void)sig;
	expired = 1;
}

static double since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static double tv(const struct timeval *t)
{
	return (double)t->tv_sec + (double)t->tv_usec / 1e6;
}

static void redirect(const char *path, int fd, int flags)
{
	int f = open(path, flags, 0644);

	if (f < 0 || dup2(f, fd) < 0) {
		fprintf(stderr, "measure: %s: %s\n", path, strerror(errno));
		_exit(127);
	}
	close(f);
}

int main(int argc, char **argv)
{
	const char *out = "/dev/null", *err = "/dev/null", *in = "/dev/null";
	struct sigaction sa = { .sa_handler = on_alarm };
	struct timespec t0;
	struct rusage ru;
	unsigned timeout = 0;
	int opt, status;
	pid_t pid;

	while ((opt = getopt(argc, argv, "+t:o:e:i:")) != -1) {
		switch (opt) {
		case 't':
			timeout = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 'o':
			out = optarg;
			break;
		case 'e':
			err = optarg;
			break;
		case 'i':
			in = optarg;
			break;
		default:
			fprintf(stderr, "usage: measure [-t SECONDS] [-o OUT] [-e ERR] [-i IN] -- CMD...\n");
			return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "measure: no command\n");
		return 2;
	}
	/* No SA_RESTART: the alarm must interrupt wait4(). */
	sigaction(SIGALRM, &sa, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid < 0) {
		perror("measure: fork");
		return 2;
	}
	if (pid == 0) {
		/* Its own process group, so that a timeout kills what it started too. */
		setpgid(0, 0);
		redirect(in, 0, O_RDONLY);
		redirect(out, 1, O_WRONLY | O_CREAT | O_TRUNC);
		redirect(err, 2, O_WRONLY | O_CREAT | O_TRUNC);
		execvp(argv[optind], argv + optind);
		fprintf(stderr, "measure: %s: %s\n", argv[optind], strerror(errno));
		_exit(127);
	}
	setpgid(pid, pid);
	if (timeout)
		alarm(timeout);
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			perror("measure: wait4");
			return 2;
		}
		if (expired)
			kill(-pid, SIGKILL);
	}
	double wall = since(&t0);

	if (expired)
		printf("timeout");
	else if (WIFSIGNALED(status))
		printf("sig%d", WTERMSIG(status));
	else
		printf("%d", WEXITSTATUS(status));
	printf(" %.6f %.6f %.6f %ld\n", wall, tv(&ru.ru_utime), tv(&ru.ru_stime), ru.ru_maxrss);
	return 0;
}
