// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * /backstores/user:<handler> with Debian's tcmu-runner on a real system
 * bus, driven through the built targetcli: the handlers listed, help
 * create's CFGSTRING FORMAT, create (CheckConfig, then configfs), the
 * objects listed per handler, a config the handler refuses (through a
 * D-Bus handler registered with tcmu-runner) or cannot open, data written
 * through the loopback fabric reaching the backing file via tcmu-runner and
 * back, changemedium, saveconfig and restoreconfig, delete, D-Bus
 * activation of tcmu-runner, and no bus meaning no user:<handler> nodes.
 *
 * The test starts dbus-daemon and tcmu-runner and stops both. It leaves
 * target_core_user freshly loaded: once a tcmu-runner has asked for
 * netlink replies, the kernel waits (uninterruptibly) for a reply each
 * time a user object is enabled, so with no daemon left the next test to
 * create one would hang.
 */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <json-c/json.h>
#include <scsi/sg.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kt.h"
#include "tcmu_fake.h"

#ifndef TARGETCLI_BIN
#define TARGETCLI_BIN "targetcli"
#endif

#define FBO "/backstores/user:fbo"
#define SERIAL "6c2a1b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
#define LOOP_WWN "naa.5001405c0ffee123"
#define RUNNER_LOCK "/run/tcmu.lock"
#define FBO_DESC "The path to the file to use as a backstore."
#define BAD_DESC "A D-Bus handler of the tests: configs with 'bad' are refused."
#define BLOCK 2048 /* fbo is an MMC device: 2048-byte blocks */

extern char **environ;

static struct lio_ctx *ctx;
static char home_env[300], img[256], savefile[256];
static struct fake_bus sysbus;
static pid_t runner;

/* ---- running targetcli ------------------------------------------------------ */

/* Run targetcli with @argv. */
static int cli(struct kt_res *r, const char *const *argv)
{
	return kt_run_capture(r, TARGETCLI_BIN, home_env, NULL, argv);
}

#define CLI(r, ...) cli(r, (const char *const[]){ __VA_ARGS__, NULL })

/* A command that must succeed, silent on stderr, its stdout holding @want. */
static void ok(int line, const char *want, const char *const *argv)
{
	struct kt_res r;

	cli(&r, argv);
	tap_check(r.rc == 0 && !*r.err, __FILE__, line, argv[0], "rc %d, stderr '%s'", r.rc, r.err);
	tap_check(!want || strstr(r.out, want), __FILE__, line, argv[0], "stdout lacks '%s':\n%s",
		  want ? want : "", r.out);
	kt_res_free(&r);
}
#define OK(want, ...) ok(__LINE__, want, (const char *const[]){ __VA_ARGS__, NULL })

/*
 * A command that must fail: non-zero, nothing on stdout, one line on
 * stderr starting with @msg, and configfs left as it was.
 */
static void fails(int line, const char *msg, const char *const *argv)
{
	char *before = kt_objects(lio_target_root(ctx)), *after;
	struct kt_res r;

	cli(&r, argv);
	tap_check(r.rc != 0, __FILE__, line, argv[0], "exit status %d", r.rc);
	tap_check(*r.err && !strncmp(r.err, msg, strlen(msg)) &&
			  strchr(r.err, '\n') == r.err + strlen(r.err) - 1,
		  __FILE__, line, argv[0], "stderr '%s', want one line '%s...'", r.err, msg);
	tap_check(!*r.out, __FILE__, line, argv[0], "stdout '%s'", r.out);
	after = kt_objects(lio_target_root(ctx));
	tap_check(!strcmp(before, after), __FILE__, line, argv[0], "configfs changed:\n%s\n---\n%s",
		  before, after);
	free(before);
	free(after);
	kt_res_free(&r);
}
#define FAILS(msg, ...) fails(__LINE__, msg, (const char *const[]){ __VA_ARGS__, NULL })

static char *out_of(const char *const *argv)
{
	struct kt_res r;

	cli(&r, argv);
	free(r.err);
	return r.out;
}
#define OUT(...) out_of((const char *const[]){ __VA_ARGS__, NULL })

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && !strcmp(s + a - b, suffix);
}


/* ---- the daemons -------------------------------------------------------------- */

static bool has_handler(const char *name)
{
	struct lio_tcmu_handler *h;
	bool found = false;
	size_t n;

	if (lio_tcmu_handlers(ctx, &h, &n) < 0)
		return false;
	for (size_t i = 0; i < n; i++)
		found |= !strcmp(h[i].name, name);
	lio_tcmu_handlers_free(h, n);
	return found;
}

/* Under emulation tcmu-runner takes seconds to load its handlers. */
static bool wait_handler(const char *name, bool present)
{
	for (int i = 0; i < 600; i++) {
		if (has_handler(name) == present)
			return true;
		usleep(100000);
	}
	return false;
}

/* The process holding tcmu-runner's lock file (its pid), 0 if none. */
static pid_t runner_lock_holder(void)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	int fd = open(RUNNER_LOCK, O_RDWR | O_CLOEXEC);
	pid_t pid = 0;

	if (fd < 0)
		return 0;
	if (fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK)
		pid = fl.l_pid;
	close(fd);
	return pid;
}

/* Stop our tcmu-runner, and one D-Bus activation started, if any. */
static void stop_runners(void)
{
	pid_t pid;

	if (runner > 0) {
		kill(runner, SIGTERM);
		waitpid(runner, NULL, 0);
		runner = 0;
	}
	pid = runner_lock_holder();
	if (pid > 0) {
		kill(pid, SIGTERM);
		for (int i = 0; i < 300 && runner_lock_holder(); i++)
			usleep(100000);
	}
	CHECK_MSG(!runner_lock_holder(), "a tcmu-runner still runs");
}

static bool start_runner(void)
{
	const char *argv[] = { "tcmu-runner", "-l", kt_scratch(), NULL };
	posix_spawn_file_actions_t fa;
	char log[300];
	int r;

	snprintf(log, sizeof(log), "%s/tcmu-runner.out", kt_scratch());
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	r = posix_spawnp(&runner, argv[0], &fa, NULL, (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (r != 0) {
		runner = 0;
		return false;
	}
	return wait_handler("fbo", true);
}

static void show_runner_log(void)
{
	char path[300], *text;

	snprintf(path, sizeof(path), "%s/tcmu-runner.log", kt_scratch());
	text = kt_slurp(path);
	fprintf(stderr, "--- tcmu-runner.log\n%s---\n", text);
	free(text);
}

/* ---- the tests ------------------------------------------------------------------ */

static void listing(void)
{
	struct lio_tcmu_handler *h = NULL;
	char *out, *ram;
	size_t n = 0;

	CHECK_OK(ctx, lio_tcmu_handlers(ctx, &h, &n));
	out = OUT("ls", "/backstores");
	ram = strstr(out, "o- ramdisk ");
	CHECK_MSG(ram && n >= 1, "%s", out);
	/* every handler, after the four kernel backstores */
	for (size_t i = 0; i < n && ram; i++) {
		char want[128];

		snprintf(want, sizeof(want), "  o- user:%s ...", h[i].name);
		CHECK_MSG(strstr(ram, want), "no %s in:\n%s", want, out);
	}
	free(out);
	lio_tcmu_handlers_free(h, n);

	out = OUT(FBO, "help", "create");
	CHECK_MSG(strstr(out, "create name size cfgstring [wwn] [hw_max_sectors] [control] \n") &&
			  ends_with(out, "\nCFGSTRING FORMAT\n=================\n" FBO_DESC "\n\n"),
		  "%s", out);
	free(out);
	out = OUT("/backstores/user:zbc", "help", "create");
	CHECK_MSG(strstr(out, "CFGSTRING FORMAT\n=================\nZBC emulation device "
			      "configuration string must be of the form:\n"), "%s", out);
	free(out);
}

static void create_and_show(void)
{
	struct lio_so_info info = { 0 };
	struct lio_so *so = NULL;
	char config[300], want_info[400], *want = NULL, *got;
	size_t len;
	struct stat st;
	FILE *f;

	unlink(img);
	snprintf(config, sizeof(config), "fbo/%s", img);
	OK("Created user-backed storage object f1 size 1048576.", FBO, "create", "f1", "1M", img,
	   "wwn=" SERIAL, "hw_max_sectors=256", "control=max_data_area_mb=8");
	CHECK_OK(ctx, lio_so_lookup(ctx, LIO_PLUGIN_USER, "f1", &so));
	if (!so)
		return;
	CHECK_OK(ctx, lio_so_get_info(so, &info));
	CHECK_STR(info.config, config);
	CHECK_INT(info.size, 1048576);
	CHECK_INT(info.hw_max_sectors, 256);
	CHECK_STR(info.wwn, SERIAL);
	CHECK_MSG(info.control && !strncmp(info.control, "max_data_area_mb=8,", 19), "%s",
		  info.control ? info.control : "(null)");
	lio_so_info_clear(&info);
	lio_so_unref(so);
	/* tcmu-runner opened the device: fbo made its file */
	CHECK_MSG(stat(img, &st) == 0, "%s: %s", img, strerror(errno));

	f = open_memstream(&want, &len);
	kt_ls_line(f, "", "user:fbo", "Storage Objects: 1");
	snprintf(config, sizeof(config), "%s (1.0MiB) deactivated", img);
	kt_ls_line(f, "  ", "f1", config);
	kt_ls_line(f, "    ", "alua", "ALUA Groups: 1");
	kt_ls_line(f, "      ", "default_tg_pt_gp", "ALUA state: Active/optimized");
	fclose(f);
	got = OUT("ls", FBO);
	CHECK_STR(got, want);
	free(got);
	free(want);

	got = OUT(FBO "/f1", "info");
	snprintf(want_info, sizeof(want_info), "config: fbo/%s\ncontrol: max_data_area_mb=8,", img);
	CHECK_MSG(!strncmp(got, want_info, strlen(want_info)) &&
			  strstr(got, "\nhw_max_sectors: 256\nname: f1\nplugin: user\nsize: 1048576\nwwn: " SERIAL "\n"),
		  "%s", got);
	free(got);
	/* the object is fbo's only */
	FAILS("No such path /backstores/user:zbc/f1", "/backstores/user:zbc/f1", "ls");
	FAILS("No storage object named f1.", "/backstores/user:qcow", "delete", "f1");
}

static void refused(void)
{
	char bad[300];
	pid_t handler;
	char *out;

	/* what the handler cannot open: the kernel's enable fails, nothing stays */
	FAILS("Cannot write '1' to ", FBO, "create", "f2", "1M", "/nonexistent/dir/f2.img");
	FAILS("':' not allowed in config string", FBO, "create", "f3", "1M", "/tmp/a:b");
	FAILS("Cannot interpret size, wrong format: 1Q", FBO, "create", "f4", "1Q", img);

	/*
	 * Debian's handlers accept any config, so a D-Bus handler of ours,
	 * registered with tcmu-runner, answers its CheckConfig.
	 */
	handler = fake_dbus_handler_start(NULL, "ktbad", BAD_DESC);
	CHECK_MSG(handler > 0 && wait_handler("ktbad", true), "the D-Bus handler did not register");
	if (handler <= 0)
		return;
	out = OUT("/backstores/user:ktbad", "help", "create");
	CHECK_MSG(ends_with(out, "\nCFGSTRING FORMAT\n=================\n" BAD_DESC "\n\n"), "%s",
		  out);
	free(out);
	snprintf(bad, sizeof(bad), "%s/bad.img", kt_scratch());
	FAILS("cfgstring invalid: cannot use 'ktbad/", "/backstores/user:ktbad", "create", "kb",
	      "1M", bad);
	fake_stop(handler);
	CHECK(wait_handler("ktbad", false));
	FAILS("No such path /backstores/user:ktbad", "/backstores/user:ktbad", "ls");
}

static int sg_io(int fd, unsigned char *cdb, int dir, void *buf, unsigned len)
{
	unsigned char sense[32] = { 0 };
	struct sg_io_hdr io = {
		.interface_id = 'S', .cmd_len = 10, .cmdp = cdb, .dxfer_direction = dir,
		.dxferp = buf, .dxfer_len = len, .sbp = sense, .mx_sb_len = sizeof(sense),
		.timeout = 60000,
	};

	if (ioctl(fd, SG_IO, &io) < 0)
		return -errno;
	if ((io.info & SG_INFO_OK_MASK) == SG_INFO_OK)
		return 0;
	fprintf(stderr, "SCSI %02x: status %#x host %#x driver %#x sense %02x %02x %02x\n", cdb[0],
		io.status, io.host_status, io.driver_status, sense[0], sense[2], sense[12]);
	return 1;
}

static int rw10(int fd, unsigned char op, unsigned lba, unsigned blocks, void *buf)
{
	unsigned char cdb[10] = { op, 0, lba >> 24, lba >> 16, lba >> 8, lba, 0, blocks >> 8, blocks, 0 };

	return sg_io(fd, cdb, op == 0x2a ? SG_DXFER_TO_DEV : SG_DXFER_FROM_DEV, buf,
		     blocks * BLOCK);
}

/* The sg node of LUN 0 of the loopback TPG (its "address" is host:0:target). */
static bool find_sg(char dev[64])
{
	struct lio_target *t = NULL;
	struct lio_tpg *tpg = NULL;
	char *addr = NULL, pattern[128];
	bool found = false;
	glob_t g;

	if (lio_target_lookup(ctx, lio_fabric_find("loopback"), LOOP_WWN, &t) == 0 &&
	    lio_tpg_lookup(t, 1, &tpg) == 0)
		lio_attr_get(lio_obj(tpg), "", "address", &addr);
	lio_tpg_unref(tpg);
	lio_target_unref(t);
	if (!addr)
		return false;
	snprintf(pattern, sizeof(pattern), "/sys/bus/scsi/devices/%s:0/scsi_generic/sg*", addr);
	free(addr);
	for (int i = 0; i < 100 && !found; i++) {
		if (glob(pattern, 0, NULL, &g) == 0) {
			snprintf(dev, 64, "/dev/%s", strrchr(g.gl_pathv[0], '/') + 1);
			found = access(dev, R_OK | W_OK) == 0;
			globfree(&g);
		}
		if (!found)
			usleep(100000);
	}
	return found;
}

static void data(void)
{
	unsigned char out[4 * BLOCK], back[4 * BLOCK];
	unsigned char tur[10] = { 0 };
	char dev[64];
	int fd, r, fd_img;

	OK("Created target " LOOP_WWN ".", "/loopback", "create", LOOP_WWN);
	OK("Created LUN 0.", "/loopback/" LOOP_WWN "/luns", "create", FBO "/f1");
	if (!find_sg(dev)) {
		CHECK_MSG(false, "no sg device for the loopback LUN");
		return;
	}
	fprintf(stderr, "loopback LUN on %s\n", dev);
	fd = open(dev, O_RDWR | O_CLOEXEC);
	fd_img = open(img, O_RDWR | O_CLOEXEC);
	CHECK(fd >= 0 && fd_img >= 0);
	/* unit attentions of a new LUN (and fbo's medium events) come first */
	for (int i = 0; i < 20 && fd >= 0 && sg_io(fd, tur, SG_DXFER_NONE, NULL, 0); i++)
		usleep(100000);

	/* written through the target, found in the file at lba * 2048 */
	for (size_t i = 0; i < sizeof(out); i++)
		out[i] = (unsigned char)(i * 13 + 5);
	r = fd >= 0 ? rw10(fd, 0x2a, 3, 4, out) : -1;
	CHECK_INT(r, 0);
	CHECK(fd_img >= 0 && pread(fd_img, back, sizeof(back), 3 * BLOCK) == (ssize_t)sizeof(back) &&
	      !memcmp(out, back, sizeof(out)));
	/* and the other way: written to the file, read through the target */
	for (size_t i = 0; i < sizeof(out); i++)
		out[i] = (unsigned char)(i * 7 + 1);
	CHECK(fd_img >= 0 && pwrite(fd_img, out, sizeof(out), 10 * BLOCK) == (ssize_t)sizeof(out));
	memset(back, 0, sizeof(back));
	r = fd >= 0 ? rw10(fd, 0x28, 10, 4, back) : -1;
	CHECK_INT(r, 0);
	CHECK(!memcmp(out, back, sizeof(out)));
	if (fd >= 0)
		close(fd);
	if (fd_img >= 0)
		close(fd_img);
}

static void changemedium(void)
{
	char other[300];

	/*
	 * tcmu-runner 1.5.4 has no ChangeMedium (its media change was never
	 * merged): targetcli-fb's message with the D-Bus error, and nothing
	 * changes.
	 */
	snprintf(other, sizeof(other), "%s/f1b.img", kt_scratch());
	FAILS("ChangeMedium failed: ", FBO, "changemedium", "f1", "2M", other);
}

static const char *json_str(struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) ? json_object_get_string(v) : NULL;
}

static void save_restore(void)
{
	struct json_object *cfg, *sos, *so = NULL, *v;
	char config[300], want[300], *got;
	struct kt_res r;

	OK("Configuration saved to ", "saveconfig", savefile);
	cfg = json_object_from_file(savefile);
	CHECK(cfg && json_object_object_get_ex(cfg, "storage_objects", &sos));
	for (size_t i = 0; cfg && sos && i < json_object_array_length(sos); i++)
		if (!strcmp(json_str(json_object_array_get_idx(sos, i), "name"), "f1"))
			so = json_object_array_get_idx(sos, i);
	CHECK(so != NULL);
	if (so) {
		snprintf(config, sizeof(config), "fbo/%s", img);
		CHECK_STR(json_str(so, "plugin"), "user");
		CHECK_STR(json_str(so, "config"), config);
		CHECK_STR(json_str(so, "wwn"), SERIAL);
		CHECK(json_object_object_get_ex(so, "size", &v) && json_object_get_int64(v) == 1048576);
		CHECK(json_object_object_get_ex(so, "hw_max_sectors", &v) &&
		      json_object_get_int64(v) == 256);
		CHECK_MSG(!strncmp(json_str(so, "control"), "max_data_area_mb=8,", 19), "%s",
			  json_str(so, "control"));
	}
	json_object_put(cfg);

	/* restored, tcmu-runner opens it again and the LUN comes back */
	OK("All configuration cleared", "clearconfig", "confirm=true");
	CHECK(!kt_exists(ctx, "loopback/" LOOP_WWN));
	/*
	 * On a running user object the kernel hands dev_config, dev_size and
	 * emulate_write_cache to tcmu-runner, whose fbo handler refuses any
	 * change (EOPNOTSUPP); targetcli-fb reports those three as errors
	 * although they already hold the saved values. Here that is no error.
	 */
	CLI(&r, "restoreconfig", savefile);
	CHECK_MSG(r.rc == 0 && strstr(r.out, "Configuration restored from ") != NULL,
		  "rc %d\n%s%s", r.rc, r.out, r.err);
	kt_res_free(&r);
	snprintf(want, sizeof(want), "%s (1.0MiB) activated", img);
	got = OUT(FBO "/f1", "status");
	CHECK_MSG(strstr(got, want), "%s", got);
	free(got);
	CHECK(kt_exists(ctx, "loopback/" LOOP_WWN "/tpgt_1/lun/lun_0"));
}

static bool so_exists(const char *name)
{
	struct lio_so *so = NULL;
	bool found = lio_so_lookup(ctx, LIO_PLUGIN_USER, name, &so) == 0;

	lio_so_unref(so);
	return found;
}

static void delete(void)
{
	OK("Deleted Target " LOOP_WWN ".", "/loopback", "delete", LOOP_WWN);
	OK("Deleted storage object f1.", FBO, "delete", "f1");
	FAILS("No storage object named f1.", FBO, "delete", "f1");
	CHECK(!so_exists("f1"));
}

/* targetcli asks for the service as targetcli-fb does: D-Bus starts tcmu-runner. */
static void activation(void)
{
	char *out;

	/* ours, and any instance D-Bus activated meanwhile: none may be left */
	stop_runners();
	CHECK(!runner_lock_holder());
	out = OUT("ls", "/backstores");
	CHECK_MSG(strstr(out, "  o- user:fbo ..."), "%s", out);
	free(out);
	CHECK(runner_lock_holder() > 0);
	stop_runners();
}

static void no_bus(void)
{
	struct kt_res r;

	fake_bus_stop(&sysbus);
	unlink("/run/dbus/system_bus_socket");
	CLI(&r, "ls", "/backstores");
	CHECK_MSG(r.rc == 0 && !*r.err && strstr(r.out, "o- ramdisk") && !strstr(r.out, "user:"),
		  "rc %d\n%s%s", r.rc, r.out, r.err);
	kt_res_free(&r);
	FAILS("No such path /backstores/user:fbo", FBO, "ls");
}

/*
 * A user object enabled with no daemon must not block: make one in a child
 * and give it a minute (a hung enable cannot even be killed).
 */
static bool user_so_without_daemon(void)
{
	int status = -1;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		struct lio_so_spec s = { .plugin = LIO_PLUGIN_USER, .name = "kt_tcmu_after",
					 .size = 1048576, .config = "fbo//tmp/kt_tcmu_after.img",
					 .write_back = LIO_DEFAULT, .sparse = LIO_DEFAULT,
					 .readonly = LIO_DEFAULT, .aio = LIO_DEFAULT };
		struct lio_so *so;

		_exit(lio_so_create(ctx, &s, &so) < 0 || lio_so_delete(so) < 0);
	}
	for (int i = 0; i < 600 && waitpid(pid, &status, WNOHANG) == 0; i++)
		usleep(100000);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static void cleanup(void)
{
	char *why = NULL;

	if (!kt_config_empty(ctx, NULL))
		CHECK_OK(ctx, lio_clear(ctx));
	stop_runners();
	fake_bus_stop(&sysbus);
	unlink("/run/dbus/system_bus_socket");
	/* a fresh module forgets that a daemon wanted netlink replies */
	CHECK_INT(KT_RUN(NULL, "modprobe", "-r", "target_core_user"), 0);
	CHECK_OK(ctx, lio_load_module(ctx, "target_core_user"));
	CHECK_MSG(user_so_without_daemon(), "a user object without tcmu-runner did not come up");
	CHECK_MSG(kt_config_empty(ctx, &why), "left behind:\n%s", why ? why : "");
	free(why);
}

int main(void)
{
	char home[256], prefs[300];
	FILE *f;

	ctx = kt_ctx();
	if (!kt_config_empty(ctx, NULL))
		lio_clear(ctx);
	snprintf(home, sizeof(home), "%s/home", kt_scratch());
	mkdir(home, 0700);
	snprintf(prefs, sizeof(prefs), "%s/prefs.conf", home);
	f = fopen(prefs, "we");
	if (f) {
		fputs("auto_save_on_exit = false\n", f);
		fclose(f);
	}
	snprintf(home_env, sizeof(home_env), "TARGETCLI_HOME=%s", home);
	snprintf(img, sizeof(img), "%s/f1.img", kt_scratch());
	snprintf(savefile, sizeof(savefile), "%s/save.json", kt_scratch());

	mkdir("/run/dbus", 0755);
	CHECK_OK(ctx, lio_load_module(ctx, "target_core_user"));
	CHECK_MSG(fake_bus_start(&sysbus, true) == 0, "dbus-daemon --system did not start");
	if (sysbus.pid > 0 && start_runner()) {
		listing();
		create_and_show();
		refused();
		data();
		changemedium();
		save_restore();
		delete();
		activation();
		no_bus();
	} else {
		CHECK_MSG(false, "tcmu-runner did not offer its handlers");
	}
	if (tap_failures)
		show_runner_log();
	cleanup();
	lio_unref(ctx);
	return tap_done();
}
