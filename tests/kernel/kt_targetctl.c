/*
 * targetctl on the real kernel: save (0600, content = the dump, backups),
 * clear, status, restore (dump equal afterwards), a missing file, a file
 * with a dangling reference, diff/dry-run, atomic, and a simulated boot
 * with target.service's command line: the backing block device (a loop
 * device) appears only while `targetctl restore --wait` waits, or never.
 *
 * argv[1]: kt-iscsi-io. The targetctl program is KT_TARGETCTL (set by the
 * build), or $LIO_TARGETCTL.
 */
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <linux/loop.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>

#include "kt.h"

#ifndef KT_TARGETCTL
#define KT_TARGETCTL "targetctl"
#endif

#define MiB (1024ULL * 1024)
#define IQN "iqn.2024-05.org.example.kt:targetctl"
#define INI "iqn.2024-05.org.example:ctl-initiator"
#define SAVEFILE LIO_DEFAULT_SAVEFILE
#define MARKER "/etc/target/" LIO_RESTORE_MARKER
#define BACKUPDIR "/etc/target/backup"

static const char *ctl, *io_tool;

#define CTL(out, ...) kt_run(out, NULL, (const char *const[]){ ctl, __VA_ARGS__, NULL })

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *read_text(const char *path)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t len = 0;

	if (!f)
		return NULL;
	FILE *m = open_memstream(&buf, &len);
	int c;

	while ((c = fgetc(f)) != EOF)
		fputc(c, m);
	fclose(m);
	fclose(f);
	return buf;
}

static int write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "we");

	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

static char *dump_text(struct lio_ctx *ctx)
{
	struct json_object *cfg = NULL;
	char *text = NULL;

	if (lio_config_dump(ctx, &cfg) < 0) {
		fprintf(stderr, "dump: %s\n", lio_errmsg(ctx));
		return strdup("(dump failed)");
	}
	if (lio_json_format(cfg, &text) < 0)
		text = strdup("(format failed)");
	json_object_put(cfg);
	return text;
}

/* The running configuration is the text @want (printed when not). */
static bool config_is(struct lio_ctx *ctx, const char *want)
{
	char *got = dump_text(ctx);
	bool same = want && got && !strcmp(got, want);

	if (!same)
		fprintf(stderr, "--- running configuration:\n%s--- expected:\n%s---\n",
			got ? got : "", want ? want : "");
	free(got);
	return same;
}

static bool contains(const char *out, const char *s)
{
	bool ok = out && strstr(out, s);

	if (!ok)
		fprintf(stderr, "output lacks '%s'\n", s);
	return ok;
}

static int count_backups(void)
{
	DIR *d = opendir(BACKUPDIR);
	struct dirent *de;
	int n = 0;

	while (d && (de = readdir(d))) {
		char path[512];
		struct stat st;

		if (strncmp(de->d_name, "saveconfig-", 11))
			continue;
		snprintf(path, sizeof(path), "%s/%s", BACKUPDIR, de->d_name);
		if (stat(path, &st) == 0 && (st.st_mode & 0777) != 0600)
			fprintf(stderr, "backup %s has mode %o\n", path, st.st_mode & 0777);
		else
			n++;
	}
	if (d)
		closedir(d);
	return n;
}

static void rm_rf_backups(void)
{
	DIR *d = opendir(BACKUPDIR);
	struct dirent *de;

	while (d && (de = readdir(d))) {
		char path[512];

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", BACKUPDIR, de->d_name);
		unlink(path);
	}
	if (d)
		closedir(d);
	rmdir(BACKUPDIR);
}

/* Attach @file (kept as it is) to the loop device @dev. */
static int loop_attach_at(const char *file, const char *dev)
{
	int fd = open(file, O_RDWR | O_CLOEXEC), lfd, r = 0;

	if (fd < 0)
		return -errno;
	lfd = open(dev, O_RDWR | O_CLOEXEC);
	if (lfd < 0 || ioctl(lfd, LOOP_SET_FD, fd) < 0)
		r = -errno;
	close(fd);
	if (lfd >= 0)
		close(lfd);
	return r;
}

static int io(const char *cmd, const char *url, const char *a, const char *b)
{
	return kt_run(NULL, NULL,
		      (const char *const[]){ io_tool, "-i", INI, cmd, url, a, b, NULL });
}

static void set(struct lio_ctx *ctx, void *obj, const char *group, const char *name,
		const char *value)
{
	CHECK_OK(ctx, lio_attr_set(lio_obj(obj), group, name, value));
}

static bool tpg_attr_is(struct lio_ctx *ctx, const char *name, const char *want)
{
	struct lio_target *t = NULL;
	struct lio_tpg *tpg = NULL;
	char *v = NULL;
	bool ok = false;

	if (lio_target_lookup(ctx, lio_fabric_find("iscsi"), IQN, &t) == 0 &&
	    lio_tpg_lookup(t, 1, &tpg) == 0 &&
	    lio_attr_get(lio_obj(tpg), "attrib", name, &v) == 0)
		ok = !strcmp(v, want);
	if (!ok)
		fprintf(stderr, "tpg attrib %s is '%s', want '%s'\n", name, v ? v : "?", want);
	free(v);
	lio_tpg_unref(tpg);
	lio_target_unref(t);
	return ok;
}

/*
 * `targetctl restore --wait @wait` in a child, as the unit starts it; the
 * loop device is attached after @attach_after seconds (< 0: never).
 */
static int boot_restore(const char *wait, double attach_after, const char *loopf,
			const char *dev, char **out, double *elapsed)
{
	char outfile[256];
	int pfd[2], status = 0, rc;
	double t0 = now();
	pid_t pid;
	char c;

	snprintf(outfile, sizeof(outfile), "%s/boot.out", kt_scratch());
	if (pipe(pfd) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		char *o = NULL;

		close(pfd[0]);
		(void)!write(pfd[1], "x", 1); /* started */
		close(pfd[1]);
		rc = CTL(&o, "restore", "--wait", wait);
		write_text(outfile, o ? o : "");
		free(o);
		_exit(rc < 0 ? 127 : rc);
	}
	close(pfd[1]);
	(void)!read(pfd[0], &c, 1);
	close(pfd[0]);
	if (attach_after >= 0) {
		struct timespec ts = { (time_t)attach_after,
				       (long)((attach_after - (double)(time_t)attach_after) * 1e9) };

		nanosleep(&ts, NULL);
		/* Still waiting for its device. */
		CHECK_MSG(waitpid(pid, &status, WNOHANG) == 0,
			  "targetctl restore --wait %s returned before the device appeared", wait);
		CHECK(loop_attach_at(loopf, dev) == 0);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	*elapsed = now() - t0;
	*out = read_text(outfile);
	unlink(outfile);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static bool session_listed(void)
{
	for (int i = 0; i < 50; i++) {
		char *out = NULL;
		bool ok = CTL(&out, "status") == 0 && out &&
			  strstr(out, "session LOGGED_IN from 127.0.0.1");

		free(out);
		if (ok)
			return true;
		usleep(100000);
	}
	return false;
}

int main(int argc, char **argv)
{
	struct lio_ctx *ctx = kt_ctx();
	const struct lio_fabric *iscsi = lio_fabric_find("iscsi");
	const char *url0 = "iscsi://127.0.0.1/" IQN "/0";
	char file[256], loopf[256], dev[64], bad[256], missing_msg[128];
	char *saved = NULL, *out = NULL, *text = NULL, *why = NULL;
	struct lio_so *sb = NULL, *sf = NULL, *sr = NULL;
	struct lio_target *t = NULL;
	struct lio_tpg *tpg = NULL;
	struct lio_lun *l0 = NULL, *l1 = NULL, *l2 = NULL;
	struct lio_acl *acl = NULL;
	struct lio_mapped_lun *m0 = NULL, *m1 = NULL;
	struct lio_portal *p = NULL;
	struct stat st;
	double elapsed = 0;
	int r;

	io_tool = argc > 1 ? argv[1] : "kt-iscsi-io";
	ctl = getenv("LIO_TARGETCTL") ? getenv("LIO_TARGETCTL") : KT_TARGETCTL;
	CHECK(iscsi != NULL);

	/* A clean slate: no configuration, no saved file, no marker. */
	CHECK_OK(ctx, lio_clear(ctx));
	unlink(SAVEFILE);
	unlink(MARKER);
	rm_rf_backups();

	/* Usage and help need no kernel */
	CHECK_INT(CTL(&out, "--help"), 0);
	CHECK(contains(out, "targetctl restore [FILE]"));
	free(out);
	CHECK_INT(CTL(&out, "restore", "--wait"), 2);
	CHECK(contains(out, "targetctl: restore: --wait needs"));
	free(out);
	CHECK_INT(CTL(&out, "frobnicate"), 2);
	free(out);

	/* block (loop device), fileio and ramdisk behind one iSCSI TPG */
	snprintf(file, sizeof(file), "%s/disk.img", kt_scratch());
	snprintf(loopf, sizeof(loopf), "%s/loop.img", kt_scratch());
	snprintf(bad, sizeof(bad), "%s/dangling.json", kt_scratch());
	CHECK(kt_loop_attach(loopf, 32 * MiB, dev) == 0);
	snprintf(missing_msg, sizeof(missing_msg), "device %s is missing", dev);
	struct lio_so_spec s = { .write_back = LIO_DEFAULT, .sparse = LIO_DEFAULT,
				 .readonly = LIO_DEFAULT, .aio = LIO_DEFAULT };
	s.plugin = LIO_PLUGIN_BLOCK, s.name = "blk", s.dev = dev;
	CHECK_OK(ctx, lio_so_create(ctx, &s, &sb));
	s.plugin = LIO_PLUGIN_FILEIO, s.name = "disk", s.dev = file, s.size = 16 * MiB;
	CHECK_OK(ctx, lio_so_create(ctx, &s, &sf));
	s.plugin = LIO_PLUGIN_RAMDISK, s.name = "ram", s.dev = NULL, s.size = 8 * MiB;
	CHECK_OK(ctx, lio_so_create(ctx, &s, &sr));
	CHECK_OK(ctx, lio_target_create(ctx, iscsi, IQN, &t));
	CHECK_OK(ctx, lio_tpg_create(t, 1, &tpg));
	CHECK_OK(ctx, lio_lun_create(tpg, sb, 0, NULL, &l0));
	CHECK_OK(ctx, lio_lun_create(tpg, sf, 1, NULL, &l1));
	CHECK_OK(ctx, lio_lun_create(tpg, sr, 2, NULL, &l2));
	CHECK_OK(ctx, lio_portal_create(tpg, "127.0.0.1", 3260, &p));
	set(ctx, tpg, "attrib", "generate_node_acls", "0");
	set(ctx, tpg, "attrib", "authentication", "0");
	CHECK_OK(ctx, lio_acl_create(tpg, INI, &acl));
	CHECK_OK(ctx, lio_mapped_lun_create(acl, 0, 0, false, NULL, &m0));
	CHECK_OK(ctx, lio_mapped_lun_create(acl, 1, 1, false, NULL, &m1));
	CHECK_OK(ctx, lio_tpg_set_enable(tpg, true));
	/* Data on the block device, read back after each restore */
	CHECK_INT(io("write", url0, "100", "7"), 0);

	/* save: the dump's text, mode 0600, no backup for a first file */
	CHECK_INT(CTL(&out, "save"), 0);
	free(out);
	CHECK(stat(SAVEFILE, &st) == 0 && (st.st_mode & 0777) == 0600);
	CHECK_MSG((st.st_mode & 0777) == 0600, "mode %o", st.st_mode & 0777);
	saved = read_text(SAVEFILE);
	CHECK(config_is(ctx, saved));
	CHECK_INT(count_backups(), 0);

	/* A change, saved again: the first file goes to backup/ */
	set(ctx, tpg, "attrib", "login_timeout", "20");
	CHECK_INT(CTL(&out, "save"), 0);
	free(out);
	free(saved);
	saved = read_text(SAVEFILE);
	CHECK(contains(saved, "\"login_timeout\": 20"));
	CHECK(config_is(ctx, saved));
	CHECK_INT(count_backups(), 1);
	CHECK(stat(SAVEFILE, &st) == 0 && (st.st_mode & 0777) == 0600);

	/* status: one line per object, the session of a logged-in initiator */
	pid_t holder = fork();
	if (holder == 0) {
		execlp(io_tool, io_tool, "-i", INI, "hold", url0, (char *)NULL);
		_exit(127);
	}
	CHECK_MSG(session_listed(), "status never showed the initiator's session");
	kill(holder, SIGTERM);
	waitpid(holder, NULL, 0);
	CHECK_INT(CTL(&out, "status"), 0);
	CHECK(contains(out, "Storage objects: 3"));
	CHECK(contains(out, "block/blk dev "));
	CHECK(contains(out, "fileio/disk dev "));
	CHECK(contains(out, "ramdisk/ram size 8.0MiB"));
	CHECK(contains(out, "Targets: 1"));
	CHECK(contains(out, "iscsi " IQN));
	CHECK(contains(out, "tpg 1 enabled, 3 LUNs, 1 ACL"));
	CHECK(contains(out, "portals 127.0.0.1:3260"));
	CHECK(contains(out, "acl " INI ": 2 mapped LUNs"));
	free(out);

	/* clear: nothing left; status says so */
	lio_portal_unref(p), p = NULL;
	lio_mapped_lun_unref(m0), m0 = NULL;
	lio_mapped_lun_unref(m1), m1 = NULL;
	lio_acl_unref(acl), acl = NULL;
	CHECK_INT(CTL(&out, "clear"), 0);
	free(out);
	CHECK_MSG(kt_config_empty(ctx, &why), "left: %s", why);
	free(why);
	CHECK_INT(CTL(&out, "status"), 0);
	CHECK(contains(out, "Storage objects: 0"));
	CHECK(contains(out, "Targets: 0"));
	free(out);

	/* restore onto the empty configuration reproduces the file */
	CHECK_INT(CTL(&out, "restore"), 0);
	free(out);
	CHECK(config_is(ctx, saved));
	CHECK_INT(io("verify", url0, "100", "7"), 0);
	/* and again over the running one (clear_existing by default) */
	CHECK_INT(CTL(&out, "restore", SAVEFILE), 0);
	free(out);
	CHECK(config_is(ctx, saved));

	/* A missing file: fine at boot */
	CHECK_INT(CTL(&out, "restore", "/nonexistent/saveconfig.json"), 0);
	CHECK(contains(out, "No saved config file at /nonexistent/saveconfig.json, ok, exiting"));
	free(out);
	CHECK(config_is(ctx, saved));

	/*
	 * Moving from Debian's targetcli-fb: with no /etc/target file, the
	 * default restore takes Debian's /etc/rtslib-fb-target one.
	 */
	CHECK(rename(SAVEFILE, "/tmp/kt-moved-saveconfig.json") == 0);
	mkdir("/etc/rtslib-fb-target", 0700);
	CHECK(write_text("/etc/rtslib-fb-target/saveconfig.json", saved) == 0);
	CHECK_INT(CTL(&out, "clear"), 0);
	free(out);
	CHECK(config_is(ctx, "{\n  \"fabric_modules\": [],\n  \"storage_objects\": [],\n  \"targets\": []\n}\n"));
	CHECK_INT(CTL(&out, "restore"), 0);
	CHECK(contains(out, "restoring /etc/rtslib-fb-target/saveconfig.json"));
	free(out);
	CHECK(config_is(ctx, saved));
	CHECK(unlink("/etc/rtslib-fb-target/saveconfig.json") == 0);
	CHECK(rename("/tmp/kt-moved-saveconfig.json", SAVEFILE) == 0);

	/* A dangling reference: nothing applied, the running config untouched */
	struct json_object *cfg = json_tokener_parse(saved), *luns = NULL;
	CHECK(cfg != NULL);
	if (cfg) {
		struct json_object *tg = json_object_array_get_idx(
			json_object_object_get(cfg, "targets"), 0);
		struct json_object *tp = json_object_array_get_idx(
			json_object_object_get(tg, "tpgs"), 0);

		luns = json_object_object_get(tp, "luns");
		CHECK(luns && json_object_array_length(luns) == 3);
		json_object_object_add(json_object_array_get_idx(luns, 1), "storage_object",
				       json_object_new_string("/backstores/fileio/nosuch"));
		CHECK(lio_json_format(cfg, &text) == 0 && write_text(bad, text) == 0);
		free(text);
		json_object_put(cfg);
	}
	CHECK_INT(CTL(&out, "restore", bad), 1);
	CHECK(contains(out, "storage_object"));
	CHECK(contains(out, "/backstores/fileio/nosuch"));
	CHECK(contains(out, "targetctl: "));
	free(out);
	CHECK(config_is(ctx, saved));
	CHECK_INT(CTL(&out, "restore", "--keep-existing", bad), 1);
	free(out);
	CHECK(config_is(ctx, saved));

	/* diff: a dry run prints the step and changes nothing; then applies it */
	set(ctx, tpg, "attrib", "login_timeout", "15");
	CHECK_INT(CTL(&out, "restore", "--diff", "--dry-run"), 0);
	CHECK(contains(out, "login_timeout"));
	free(out);
	CHECK(tpg_attr_is(ctx, "login_timeout", "15"));
	CHECK_INT(CTL(&out, "restore", "--diff"), 0);
	CHECK(contains(out, "login_timeout"));
	free(out);
	CHECK(config_is(ctx, saved));

	/* BOOT: the backing device appears while targetctl waits for it */
	CHECK_INT(CTL(&out, "clear"), 0);
	free(out);
	CHECK(kt_loop_detach(dev) == 0);
	r = boot_restore("20", 3.0, loopf, dev, &out, &elapsed);
	CHECK_MSG(r == 0, "targetctl restore --wait 20: exit %d: %s", r, out ? out : "");
	CHECK_MSG(elapsed >= 2.9 && elapsed < 20, "took %.1fs", elapsed);
	free(out);
	CHECK(config_is(ctx, saved));
	CHECK(stat(MARKER, &st) < 0 && errno == ENOENT);
	CHECK_INT(io("login", url0, NULL, NULL), 0);
	CHECK_INT(io("verify", url0, "100", "7"), 0);

	/* BOOT: the device never appears: the rest is restored, exit 1 */
	CHECK_INT(CTL(&out, "clear"), 0);
	free(out);
	CHECK(kt_loop_detach(dev) == 0);
	r = boot_restore("2", -1, loopf, dev, &out, &elapsed);
	CHECK_INT(r, 1);
	CHECK_MSG(elapsed >= 1.9, "took %.1fs", elapsed);
	CHECK(contains(out, missing_msg));
	free(out);
	CHECK(kt_exists(ctx, "iscsi/" IQN "/tpgt_1/lun/lun_1"));
	CHECK(kt_exists(ctx, "iscsi/" IQN "/tpgt_1/lun/lun_2"));
	CHECK(kt_exists(ctx, "iscsi/" IQN "/tpgt_1/np/127.0.0.1:3260"));
	CHECK(kt_exists(ctx, "iscsi/" IQN "/tpgt_1/acls/" INI "/lun_1"));
	CHECK(!kt_exists(ctx, "iscsi/" IQN "/tpgt_1/lun/lun_0"));
	CHECK(tpg_attr_is(ctx, "login_timeout", "20"));
	CHECK_INT(io("login", "iscsi://127.0.0.1/" IQN "/1", NULL, NULL), 0);
	/* The marker keeps the partial configuration from replacing the file */
	CHECK(stat(MARKER, &st) == 0);
	CHECK_INT(CTL(&out, "status"), 0);
	CHECK(contains(out, "Restore incomplete"));
	free(out);
	CHECK_INT(CTL(&out, "save"), 1);
	CHECK(contains(out, "targetctl: Not saving " SAVEFILE));
	free(out);
	text = read_text(SAVEFILE);
	CHECK(text && saved && !strcmp(text, saved));
	free(text);

	/* atomic: with the device still missing, the running config stays */
	char *before = dump_text(ctx);
	CHECK_INT(CTL(&out, "restore", "--atomic", "--wait", "1"), 1);
	CHECK(contains(out, missing_msg));
	free(out);
	CHECK(config_is(ctx, before));
	free(before);

	/* The device is back: a restore clears the marker; saving works again */
	CHECK(loop_attach_at(loopf, dev) == 0);
	CHECK_INT(CTL(&out, "restore"), 0);
	free(out);
	CHECK(stat(MARKER, &st) < 0 && errno == ENOENT);
	CHECK(config_is(ctx, saved));
	CHECK_INT(io("verify", url0, "100", "7"), 0);
	CHECK_INT(CTL(&out, "save"), 0);
	free(out);

	/* Leave the next test group what this one found: nothing. */
	CHECK_OK(ctx, lio_clear(ctx));
	unlink(SAVEFILE);
	unlink(MARKER);
	rm_rf_backups();
	lio_portal_unref(p);
	lio_mapped_lun_unref(m0);
	lio_mapped_lun_unref(m1);
	lio_acl_unref(acl);
	lio_lun_unref(l0);
	lio_lun_unref(l1);
	lio_lun_unref(l2);
	lio_tpg_unref(tpg);
	lio_target_unref(t);
	lio_so_unref(sb);
	lio_so_unref(sf);
	lio_so_unref(sr);
	kt_loop_detach(dev);
	free(saved);
	lio_unref(ctx);
	return tap_done();
}
