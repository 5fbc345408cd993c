/*
 * targetctl's command line without a kernel: usage errors (exit 2, one
 * line), help and version, and save/restore/status on an empty fake
 * configfs root (TARGETCLI_CONFIGFS): the file's mode and content, a
 * missing file, a file that is not JSON, a dangling reference, the
 * restore marker. The kernel test kt_targetctl covers the real thing.
 *
 * The program is $LIO_TARGETCTL, else <build>/shell/targetctl found from
 * this program's own path (<build>/tests/test_targetctl_cli).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lio.h"
#include "tap.h"

static char g_ctl[PATH_MAX + 32], g_tmp[PATH_MAX];

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t len = 0;
	FILE *m;
	int c;

	if (!f)
		return strdup("");
	m = open_memstream(&buf, &len);
	while ((c = fgetc(f)) != EOF)
		fputc(c, m);
	fclose(m);
	fclose(f);
	return buf;
}

/* Run targetctl with argv; stdout and stderr in *out and *err (new strings). */
static int run(char **out, char **err, const char *const argv[])
{
	char po[PATH_MAX + 16], pe[PATH_MAX + 16];
	const char *args[16];
	int status = 0, n = 0;
	pid_t pid;

	snprintf(po, sizeof(po), "%s/out", g_tmp);
	snprintf(pe, sizeof(pe), "%s/err", g_tmp);
	args[n++] = g_ctl;
	for (int i = 0; argv[i] && n < 15; i++)
		args[n++] = argv[i];
	args[n] = NULL;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		int o = open(po, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int e = open(pe, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		if (o < 0 || e < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0)
			_exit(126);
		execv(g_ctl, (char *const *)args);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return -1;
	*out = slurp(po);
	*err = slurp(pe);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

#define RUN(out, err, ...) run(out, err, (const char *const[]){ __VA_ARGS__, NULL })

/* stderr is exactly one line "targetctl: ...". */
static bool one_line(const char *err)
{
	size_t l = strlen(err);

	return !strncmp(err, "targetctl: ", 11) && l && err[l - 1] == '\n' &&
	       !memchr(err, '\n', l - 1);
}

static void usage_error(const char *const argv[], const char *msg)
{
	char *out = NULL, *err = NULL;
	int r = run(&out, &err, argv);

	CHECK_MSG(r == 2, "%s: exit %d", argv[0] ? argv[0] : "(none)", r);
	CHECK_MSG(one_line(err) && strstr(err, msg) && strstr(err, "--help"),
		  "stderr '%s', want '%s'", err, msg);
	CHECK_MSG(!*out, "stdout '%s'", out);
	free(out);
	free(err);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "we");

	CHECK(f && fputs(text, f) >= 0 && fclose(f) == 0);
}

static const char empty_cfg[] =
	"{\n  \"fabric_modules\": [],\n  \"storage_objects\": [],\n  \"targets\": []\n}\n";

int main(int argc, char **argv)
{
	char root[PATH_MAX + 16], dir[PATH_MAX + 16], save[PATH_MAX + 32];
	char missing[PATH_MAX + 32], notjson[PATH_MAX + 32], dangling[PATH_MAX + 32];
	char marker[PATH_MAX + 32];
	char *out = NULL, *err = NULL, *text;
	struct stat st;
	int r;

	(void)argc;
	if (getenv("LIO_TARGETCTL")) {
		snprintf(g_ctl, sizeof(g_ctl), "%s", getenv("LIO_TARGETCTL"));
	} else {
		char self[PATH_MAX];
		ssize_t l = readlink("/proc/self/exe", self, sizeof(self) - 1);
		char *slash;

		self[l > 0 ? l : 0] = 0;
		if (l <= 0)
			snprintf(self, sizeof(self), "%s", argv[0]);
		/* <build>/tests/<me> -> <build>/shell/targetctl */
		for (int i = 0; i < 2 && (slash = strrchr(self, '/')); i++)
			*slash = 0;
		snprintf(g_ctl, sizeof(g_ctl), "%s/shell/targetctl", self);
	}
	if (access(g_ctl, X_OK) < 0) {
		fprintf(stderr, "no targetctl at %s\n", g_ctl);
		return 1;
	}
	snprintf(g_tmp, sizeof(g_tmp), "/tmp/test_targetctl.XXXXXX");
	if (!mkdtemp(g_tmp))
		return 1;
	snprintf(root, sizeof(root), "%s/cfs", g_tmp);
	snprintf(dir, sizeof(dir), "%s/cfs/target", g_tmp);
	mkdir(root, 0700);
	mkdir(dir, 0700);
	snprintf(dir, sizeof(dir), "%s/cfs/target/core", g_tmp);
	mkdir(dir, 0700);
	setenv("TARGETCLI_CONFIGFS", root, 1);

	/* help and version: stdout, exit 0 */
	CHECK_INT(RUN(&out, &err, "--help"), 0);
	CHECK(strstr(out, "Usage: targetctl save") && strstr(out, "--wait SECONDS") && !*err);
	free(out), free(err);
	CHECK_INT(RUN(&out, &err, "-h"), 0);
	CHECK(strstr(out, "Usage: targetctl"));
	free(out), free(err);
	CHECK_INT(RUN(&out, &err, "--version"), 0);
	CHECK(!strncmp(out, "targetctl version ", 18));
	free(out), free(err);

	/* usage errors: exit 2, one line */
	usage_error((const char *const[]){ NULL }, "no command");
	usage_error((const char *const[]){ "frob", NULL }, "unknown command 'frob'");
	usage_error((const char *const[]){ "--frob", NULL }, "unknown option '--frob'");
	usage_error((const char *const[]){ "save", "a", "b", NULL }, "too many arguments");
	usage_error((const char *const[]){ "save", "--atomic", NULL }, "unknown option");
	usage_error((const char *const[]){ "restore", "--force", NULL }, "unknown option");
	usage_error((const char *const[]){ "restore", "--wait", NULL }, "--wait needs");
	usage_error((const char *const[]){ "restore", "--wait", "-1", NULL }, "not a number");
	usage_error((const char *const[]){ "restore", "--wait=1x", NULL }, "not a number");
	usage_error((const char *const[]){ "restore", "--wait", "86401", NULL }, "not a number");
	usage_error((const char *const[]){ "restore", "--diff=1", NULL }, "takes no value");
	usage_error((const char *const[]){ "restore", "--diff", "--keep-existing", NULL },
		    "cannot be combined");
	usage_error((const char *const[]){ "clear", "x", NULL }, "takes no arguments");
	usage_error((const char *const[]){ "status", "--all", NULL }, "unknown option");
	usage_error((const char *const[]){ "--help", "x", NULL }, "takes no arguments");

	/* status of an empty configuration */
	CHECK_INT(RUN(&out, &err, "status"), 0);
	CHECK_STR(out, "Storage objects: 0\nTargets: 0\n");
	CHECK_STR(err, "");
	free(out), free(err);

	/* save: a new directory 0700, the file 0600, targetcli-fb's layout */
	snprintf(save, sizeof(save), "%s/etc/saveconfig.json", g_tmp);
	CHECK_INT(RUN(&out, &err, "save", save), 0);
	CHECK_STR(err, "");
	free(out), free(err);
	CHECK(stat(save, &st) == 0 && (st.st_mode & 07777) == 0600);
	snprintf(dir, sizeof(dir), "%s/etc", g_tmp);
	CHECK(stat(dir, &st) == 0 && (st.st_mode & 07777) == 0700);
	text = slurp(save);
	CHECK_STR(text, empty_cfg);
	free(text);

	/* restore of that file; with every option spelling */
	CHECK_INT(RUN(&out, &err, "restore", save), 0);
	CHECK_STR(err, "");
	free(out), free(err);
	CHECK_INT(RUN(&out, &err, "restore", "--wait=0", "--atomic", "--", save), 0);
	free(out), free(err);
	CHECK_INT(RUN(&out, &err, "restore", "--dry-run", save, "--wait", "0"), 0);
	CHECK_STR(out, "");
	free(out), free(err);

	/* a missing file is fine */
	snprintf(missing, sizeof(missing), "%s/nothere/saveconfig.json", g_tmp);
	CHECK_INT(RUN(&out, &err, "restore", missing), 0);
	CHECK(strstr(out, "No saved config file at ") && strstr(out, ", ok, exiting\n"));
	free(out), free(err);

	/* not JSON: one line, exit 1 */
	snprintf(notjson, sizeof(notjson), "%s/notjson.json", g_tmp);
	write_file(notjson, "{ \"targets\": [ \n");
	r = RUN(&out, &err, "restore", notjson);
	CHECK_INT(r, 1);
	CHECK_MSG(one_line(err) && strstr(err, "not valid JSON"), "%s", err);
	free(out), free(err);

	/* a dangling reference: the JSON path, exit 1, nothing applied */
	snprintf(dangling, sizeof(dangling), "%s/dangling.json", g_tmp);
	write_file(dangling,
		   "{\"storage_objects\": [], \"targets\": [{\"fabric\": \"loopback\", "
		   "\"wwn\": \"naa.5001405abcdef012\", \"tpgs\": [{\"tag\": 1, \"luns\": "
		   "[{\"index\": 0, \"storage_object\": \"/backstores/block/gone\"}]}]}], "
		   "\"extra\": 1}\n");
	CHECK_INT(RUN(&out, &err, "restore", dangling), 1);
	CHECK_MSG(strstr(err, "targetctl: error: targets[0].tpgs[0].luns[0].storage_object: ") &&
		  strstr(err, "/backstores/block/gone") &&
		  strstr(err, "targetctl: warning: extra: unknown key"), "%s", err);
	free(out), free(err);
	CHECK_INT(RUN(&out, &err, "status"), 0);
	CHECK_STR(out, "Storage objects: 0\nTargets: 0\n");
	free(out), free(err);

	/* the marker of an incomplete restore blocks save, --force saves */
	snprintf(marker, sizeof(marker), "%s/etc/" LIO_RESTORE_MARKER, g_tmp);
	write_file(marker, "device /dev/sdz is missing\n");
	CHECK_INT(RUN(&out, &err, "save", save), 1);
	CHECK_MSG(strstr(err, "targetctl: Not saving ") && strstr(err, "/dev/sdz") &&
		  strstr(err, "--force"), "%s", err);
	free(out), free(err);
	CHECK_INT(RUN(&out, &err, "save", "--force", save), 0);
	free(out), free(err);
	CHECK(access(marker, F_OK) < 0 && errno == ENOENT);

	/* clear an empty configuration */
	CHECK_INT(RUN(&out, &err, "clear"), 0);
	free(out), free(err);

	/* best effort cleanup */
	unlink(save);
	unlink(notjson);
	unlink(dangling);
	snprintf(dir, sizeof(dir), "%s/out", g_tmp);
	unlink(dir);
	snprintf(dir, sizeof(dir), "%s/err", g_tmp);
	unlink(dir);
	snprintf(dir, sizeof(dir), "%s/etc", g_tmp);
	rmdir(dir);
	snprintf(dir, sizeof(dir), "%s/cfs/target/core", g_tmp);
	rmdir(dir);
	snprintf(dir, sizeof(dir), "%s/cfs/target", g_tmp);
	rmdir(dir);
	rmdir(root);
	rmdir(g_tmp);
	return tap_done();
}
