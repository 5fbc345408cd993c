/*
 * The built targetcli binary on the real kernel: one-shot commands and
 * their errors, piped stdin, -f batches, ls, sessions, saveconfig /
 * clearconfig / restoreconfig, `delete NAME save=true`, and CHAP that is
 * set being enforced (checked with a real initiator, kt-iscsi-io).
 */
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kt.h"

#ifndef TARGETCLI_BIN
#define TARGETCLI_BIN "targetcli"
#endif

#define IQN "iqn.2024-02.org.example.kt:shell"
#define INI "iqn.2024-02.org.example:shell-ini"
#define INI2 "iqn.2024-02.org.example:shell-ini2"
#define TPG "/iscsi/" IQN "/tpg1"
#define DISK "/var/tmp/kt-shell-disk1.img"
#define USER "kuser"
#define SECRET "kt-secret-1234"
#define URL_OK "iscsi://" USER "%" SECRET "@127.0.0.1/" IQN "/0"
#define URL_BAD "iscsi://" USER "%wrong-secret-12@127.0.0.1/" IQN "/0"
#define URL_NONE "iscsi://127.0.0.1/" IQN "/0"
#define SAVEFILE "/etc/target/saveconfig.json"

extern char **environ;

static struct lio_ctx *ctx;
static const char *io_tool;
static char home_env[300];

/* Run targetcli with @argv, stdin from @in (NULL: /dev/null). */
static int run_in(struct kt_res *r, const char *in, const char *const *argv)
{
	return kt_run_capture(r, TARGETCLI_BIN, home_env, in, argv);
}

#define CLI(r, ...) run_in(r, NULL, (const char *const[]){ __VA_ARGS__, NULL })

/* A one-shot command that must succeed, silent on stderr, saying @want. */
#define OK(want, ...)                                                              \
	do {                                                                       \
		struct kt_res _r;                                                     \
		CLI(&_r, __VA_ARGS__);                                             \
		CHECK_MSG(_r.rc == 0 && !*_r.err, "rc %d, stderr '%s'", _r.rc, _r.err); \
		CHECK_MSG(!(want) || strstr(_r.out, (want) ? (want) : ""),       \
			  "stdout lacks '%s':\n%s", (want) ? (want) : "", _r.out);  \
		kt_res_free(&_r);                                                     \
	} while (0)

/*
 * A one-shot command that must fail: non-zero, nothing on stdout, exactly
 * @msg as one line on stderr, and configfs (objects and the value of
 * @attr_file, if any) left as it was.
 */
static void fails(int line, const char *msg, const char *const *argv)
{
	char *before = kt_objects(lio_target_root(ctx)), *after;
	struct kt_res r;
	char want[512];

	snprintf(want, sizeof(want), "%s\n", msg);
	run_in(&r, NULL, argv);
	tap_check(r.rc != 0, __FILE__, line, argv[0], "exit status %d", r.rc);
	tap_check(!strcmp(r.err, want), __FILE__, line, argv[0], "stderr '%s', want '%s'", r.err,
		  want);
	tap_check(!*r.out, __FILE__, line, argv[0], "stdout '%s'", r.out);
	after = kt_objects(lio_target_root(ctx));
	tap_check(!strcmp(before, after), __FILE__, line, argv[0], "configfs changed:\n%s\n---\n%s",
		  before, after);
	free(before);
	free(after);
	kt_res_free(&r);
}
#define FAILS(msg, ...) fails(__LINE__, msg, (const char *const[]){ __VA_ARGS__, NULL })

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "we");

	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static char *tpg_attr(const char *name)
{
	struct lio_target *t = NULL;
	struct lio_tpg *tpg = NULL;
	char *v = NULL;

	if (lio_target_lookup(ctx, lio_fabric_find("iscsi"), IQN, &t) == 0 &&
	    lio_tpg_lookup(t, 1, &tpg) == 0)
		lio_attr_get(lio_obj(tpg), "attrib", name, &v);
	lio_tpg_unref(tpg);
	lio_target_unref(t);
	return v ? v : strdup("?");
}

static int login(const char *ini, const char *url)
{
	return kt_run(NULL, NULL, (const char *const[]){ io_tool, "-i", ini, "login", url, NULL });
}


static bool so_exists(enum lio_plugin p, const char *name)
{
	struct lio_so *so = NULL;
	bool found = lio_so_lookup(ctx, p, name, &so) == 0;

	lio_so_unref(so);
	return found;
}

static void chap_walkthrough(void)
{
	struct kt_res r;

	/* targetcli-fb's TPG: authentication=0, generate_node_acls=0 */
	char *v = tpg_attr("authentication");
	CHECK_STR(v, "0");
	free(v);
	/* An ACL without credentials in an open TPG: anyone with its name gets in. */
	CHECK_INT(login(INI, URL_NONE), 0);

	/* the walk-through: credentials on the only ACL enforce CHAP */
	CLI(&r, TPG "/acls/" INI, "set", "auth", "userid=" USER, "password=" SECRET);
	CHECK_INT(r.rc, 0);
	CHECK_MSG(strstr(r.out, "CHAP is now enforced on TPG 1: every ACL has credentials "
				"(attribute authentication=1).\n"),
		  "%s", r.out);
	kt_res_free(&r);
	v = tpg_attr("authentication");
	CHECK_STR(v, "1");
	free(v);
	CHECK_INT(login(INI, URL_BAD), 2);
	CHECK_INT(login(INI, URL_NONE), 2);
	CHECK_INT(login(INI, URL_OK), 0);

	/*
	 * Where targetcli-fb leaves the same walk-through: authentication=0
	 * (its TPG default; here set explicitly, which is kept). The kernel
	 * then admits the initiator without CHAP, and even with a wrong
	 * password, although the ACL has credentials.
	 */
	OK("Parameter authentication is now '0'.", TPG, "set", "attribute", "authentication=0");
	CHECK_INT(login(INI, URL_NONE), 0);
	CHECK_INT(login(INI, URL_BAD), 0);
	CLI(&r, "ls", TPG "/acls");
	CHECK_MSG(strstr(r.out, "[1-way auth") == NULL && strstr(r.out, "auth not enforced]\n"),
		  "%s", r.out);
	kt_res_free(&r);

	/* a second ACL without credentials: a warning, nothing enforced */
	OK("Created Node ACL for " INI2, TPG "/acls", "create", INI2);
	CLI(&r, TPG "/acls/" INI, "set", "auth", "password=" SECRET);
	CHECK_INT(r.rc, 0);
	CHECK_MSG(strstr(r.out, "Warning: CHAP is not enforced on TPG 1: ACLs without credentials: " INI2
				"; to enforce it: " TPG " set attribute authentication=1\n"),
		  "%s", r.out);
	kt_res_free(&r);
	v = tpg_attr("authentication");
	CHECK_STR(v, "0");
	free(v);
	OK("Deleted Node ACL " INI2 ".", TPG "/acls", "delete", INI2);
	OK("CHAP is now enforced on TPG 1", TPG "/acls/" INI, "set", "auth", "password=" SECRET);
	CHECK_INT(login(INI, URL_NONE), 2);
	CHECK_INT(login(INI, URL_BAD), 2);
	CHECK_INT(login(INI, URL_OK), 0);
}

static void errors(void)
{
	char *v;

	FAILS("Command not found bogus", TPG, "bogus");
	FAILS("No such path /iscsi/" IQN "x", "/iscsi/" IQN "x", "ls");
	FAILS("Unexpected keyword parameter 'bogus'.", "/backstores/fileio", "create", "name=d2",
	      "file_or_dev=/var/tmp/kt-shell-d2.img", "size=1M", "bogus=1");
	FAILS("Not setting authentication! Syntax error, 'abc' is not a NUMBER.", TPG, "set",
	      "attribute", "authentication=abc");
	v = tpg_attr("authentication");
	CHECK_STR(v, "1");
	free(v);
	FAILS("Missing required parameter wwn", TPG "/acls", "create");
	FAILS("As a precaution, confirm=True needs to be set", "clearconfig");
}

static void piped_and_batch(void)
{
	char in[300], script[300], want[600];
	struct kt_res r;

	/* piped stdin: comments skipped, an error does not stop the session */
	snprintf(in, sizeof(in), "%s/piped.txt", kt_scratch());
	write_file(in, "# a comment\ncd /backstores/ramdisk\nbogus\ncreate ram1 1M\n"
		       "   # another\nls\n");
	run_in(&r, in, (const char *const[]){ NULL });
	CHECK_INT(r.rc, 0);
	CHECK_MSG(strstr(r.out, "Created ramdisk ram1 with size 1M."), "%s", r.out);
	CHECK_MSG(strstr(r.out, "o- ram1 "), "%s", r.out);
	CHECK_MSG(strstr(r.out, "Command not found bogus") || strstr(r.err, "Command not found bogus"),
		  "%s%s", r.out, r.err);
	kt_res_free(&r);
	CHECK(so_exists(LIO_PLUGIN_RAMDISK, "ram1"));

	/* -f: stops at the first error, FILE:LINE: message, non-zero */
	snprintf(script, sizeof(script), "%s/batch.txt", kt_scratch());
	write_file(script, "/backstores/ramdisk create ram2 1M\n# comment\n"
			   "/backstores/ramdisk bogus\n/backstores/ramdisk create ram3 1M\n");
	run_in(&r, NULL, (const char *const[]){ "-f", script, NULL });
	snprintf(want, sizeof(want), "%s:3: Command not found bogus\n", script);
	CHECK(r.rc != 0);
	CHECK_STR(r.err, want);
	kt_res_free(&r);
	CHECK(so_exists(LIO_PLUGIN_RAMDISK, "ram2"));
	CHECK(!so_exists(LIO_PLUGIN_RAMDISK, "ram3"));
	/* --keep-going: runs on, still non-zero */
	OK("Deleted storage object ram2.", "/backstores/ramdisk", "delete", "ram2");
	run_in(&r, NULL, (const char *const[]){ "-f", script, "--keep-going", NULL });
	CHECK(r.rc != 0);
	CHECK_STR(r.err, want);
	kt_res_free(&r);
	CHECK(so_exists(LIO_PLUGIN_RAMDISK, "ram2"));
	CHECK(so_exists(LIO_PLUGIN_RAMDISK, "ram3"));
	OK(NULL, "/backstores/ramdisk", "delete", "ram1");
	OK(NULL, "/backstores/ramdisk", "delete", "ram2");
	OK(NULL, "/backstores/ramdisk", "delete", "ram3");
}

static void sessions(void)
{
	struct lio_target *t = NULL;
	struct lio_tpg *tpg = NULL;
	struct lio_acl *acl = NULL;
	struct lio_session s = { 0 };
	char want[1024];
	struct kt_res r;
	pid_t pid;

	CLI(&r, "sessions");
	CHECK_INT(r.rc, 0);
	CHECK_STR(r.out, "(no open sessions)\n");
	kt_res_free(&r);

	CHECK_OK(ctx, lio_target_lookup(ctx, lio_fabric_find("iscsi"), IQN, &t));
	CHECK_OK(ctx, lio_tpg_lookup(t, 1, &tpg));
	CHECK_OK(ctx, lio_acl_lookup(tpg, INI, &acl));
	pid = fork();
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		dup2(fd, 1);
		execlp(io_tool, io_tool, "-i", INI, "hold", URL_OK, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 100; i++) {
		lio_session_clear(&s);
		if (acl && lio_acl_get_session(acl, &s) == 0 && s.active && s.nconns)
			break;
		usleep(100000);
	}
	CHECK(s.active);

	CHECK_STR(s.alias, "kt-iscsi-io");
	snprintf(want, sizeof(want), "alias: kt-iscsi-io\tsid: %lu type: Normal session-state: LOGGED_IN\n",
		 s.id);
	CLI(&r, "sessions");
	CHECK_INT(r.rc, 0);
	CHECK_STR(r.out, want);
	kt_res_free(&r);
	snprintf(want + strlen(want), sizeof(want) - strlen(want),
		 "    name: " INI " (NOT AUTHENTICATED)\n"
		 "    mapped-lun: 0 backstore: fileio/disk1 mode: rw\n"
		 "    address: 127.0.0.1 (TCP)  cid: 0 connection-state: LOGGED_IN\n");
	CLI(&r, "sessions", "detail");
	CHECK_INT(r.rc, 0);
	CHECK_STR(r.out, want);
	kt_res_free(&r);
	char sid[32];
	snprintf(sid, sizeof(sid), "%lu", s.id);
	CLI(&r, "sessions", "detail", sid);
	CHECK_STR(r.out, want);
	kt_res_free(&r);
	snprintf(sid, sizeof(sid), "sid=%lu", s.id + 1000);
	snprintf(want, sizeof(want), "no session found with sid %lu", s.id + 1000);
	FAILS(want, "sessions", "list", sid);
	FAILS("sid must be a number, 'x' given", "sessions", "list", "x");
	FAILS("action must be one of: list, detail", "sessions", "all");

	lio_session_clear(&s);
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	lio_acl_unref(acl);
	lio_tpg_unref(tpg);
	lio_target_unref(t);
}

static char *ls_text(const char *path)
{
	struct kt_res r;

	CLI(&r, "ls", path);
	CHECK_INT(r.rc, 0);
	free(r.err);
	return r.out;
}

static void ls_lines(void)
{
	char *want = NULL, *got;
	size_t len;
	FILE *f = open_memstream(&want, &len);

	kt_ls_line(f, "", "fileio", "Storage Objects: 1");
	kt_ls_line(f, "  ", "disk1", DISK " (16.0MiB) write-back activated");
	kt_ls_line(f, "    ", "alua", "ALUA Groups: 1");
	kt_ls_line(f, "      ", "default_tg_pt_gp", "ALUA state: Active/optimized");
	fclose(f);
	got = ls_text("/backstores/fileio");
	CHECK_STR(got, want);
	free(got);
	free(want);

	f = open_memstream(&want, &len);
	kt_ls_line(f, "", IQN, "TPGs: 1");
	kt_ls_line(f, "  ", "tpg1", "no-gen-acls, auth per-acl");
	kt_ls_line(f, "    ", "acls", "ACLs: 1");
	kt_ls_line(f, "    | ", INI, "1-way auth, Mapped LUNs: 1");
	kt_ls_line(f, "    |   ", "mapped_lun0", "lun0 fileio/disk1 (rw)");
	kt_ls_line(f, "    ", "luns", "LUNs: 1");
	kt_ls_line(f, "    | ", "lun0", "fileio/disk1 (" DISK ") (default_tg_pt_gp)");
	kt_ls_line(f, "    ", "portals", "Portals: 1");
	kt_ls_line(f, "      ", "0.0.0.0:3260", "OK");
	fclose(f);
	got = ls_text("/iscsi/" IQN);
	CHECK_STR(got, want);
	free(got);
	free(want);
}

static void save_round_trip(void)
{
	char file[300], *before, *after, *ls_before, *ls_after, *v, *why = NULL;
	struct kt_res r;

	snprintf(file, sizeof(file), "%s/save.json", kt_scratch());
	before = kt_objects(lio_target_root(ctx));
	ls_before = ls_text("/");
	OK("Configuration saved to", "saveconfig", file);
	OK("All configuration cleared", "clearconfig", "confirm=true");
	CHECK_MSG(kt_config_empty(ctx, &why), "left behind:\n%s", why ? why : "");
	free(why);
	CLI(&r, "restoreconfig", file);
	CHECK_INT(r.rc, 0);
	CHECK_MSG(strstr(r.out, "Configuration restored from "), "%s", r.out);
	kt_res_free(&r);
	after = kt_objects(lio_target_root(ctx));
	ls_after = ls_text("/");
	CHECK_STR(after, before);
	CHECK_STR(ls_after, ls_before);
	v = tpg_attr("authentication");
	CHECK_STR(v, "1");
	free(v);
	free(before);
	free(after);
	free(ls_before);
	free(ls_after);
	CHECK_INT(login(INI, URL_OK), 0);
	CHECK_INT(login(INI, URL_NONE), 2);
}

/* restoreconfig atomic=true: a file with one thing the kernel cannot take changes nothing. */
static void atomic_restore(void)
{
	char file[300], *before, *after;
	struct kt_res r;
	FILE *f;

	snprintf(file, sizeof(file), "%s/atomic.json", kt_scratch());
	f = fopen(file, "w");
	CHECK(f != NULL);
	if (!f)
		return;
	fputs("{\"fabric_modules\": [], \"targets\": [], \"storage_objects\": ["
	      "{\"name\": \"kt_atomic_rd\", \"plugin\": \"ramdisk\", \"size\": 1048576, "
	      "\"wwn\": \"1d2c3b4a-5968-4776-8594-a3b2c1d0e9f8\"},"
	      "{\"name\": \"kt_atomic_blk\", \"plugin\": \"block\", "
	      "\"dev\": \"/dev/kt-no-such-disk\", \"readonly\": false, \"write_back\": false, "
	      "\"wwn\": \"2d2c3b4a-5968-4776-8594-a3b2c1d0e9f8\"}]}\n", f);
	fclose(f);
	before = kt_objects(lio_target_root(ctx));
	CLI(&r, "restoreconfig", file, "atomic=true");
	CHECK_INT(r.rc, 1);
	CHECK_MSG(strstr(r.err, "previous configuration was put back") &&
		  strstr(r.err, "/dev/kt-no-such-disk"), "stderr: %s", r.err);
	kt_res_free(&r);
	after = kt_objects(lio_target_root(ctx));
	CHECK_STR(after, before);
	free(before);
	free(after);
	/* Without atomic, the rest is restored and the missing device named. */
	CLI(&r, "restoreconfig", file);
	CHECK_INT(r.rc, 1);
	CHECK_MSG(strstr(r.err, "Configuration restored, 1 recoverable errors") &&
		  strstr(r.err, "/dev/kt-no-such-disk"), "stderr: %s", r.err);
	kt_res_free(&r);
	OK("Deleted storage object kt_atomic_rd.", "/backstores/ramdisk", "delete", "kt_atomic_rd");
	/* That partial restore guards the default file until the admin decides. */
	CLI(&r, "saveconfig");
	CHECK_INT(r.rc, 1);
	CHECK_MSG(strstr(r.err, "the last restore was incomplete"), "stderr: %s", r.err);
	kt_res_free(&r);
	OK("Configuration saved to", "saveconfig", "force=true");
}

static void delete_save(void)
{
	struct stat st;
	bool had = stat(SAVEFILE, &st) == 0;
	char *old = had ? kt_slurp(SAVEFILE) : NULL, *text;

	OK("Configuration saved to " SAVEFILE, "saveconfig");
	text = kt_slurp(SAVEFILE);
	CHECK(strstr(text, "\"name\": \"disk1\"") && strstr(text, IQN));
	free(text);
	OK("Deleted storage object disk1.", "/backstores/fileio", "delete", "disk1", "save=true");
	CHECK(!so_exists(LIO_PLUGIN_FILEIO, "disk1"));
	/*
	 * The object leaves the savefile, and so does the saved target that
	 * had a LUN on it, since no running target has one any more (rtslib's
	 * _get_saveconf); the running target stays.
	 */
	text = kt_slurp(SAVEFILE);
	CHECK_MSG(!strstr(text, "disk1") && !strstr(text, IQN), "%s", text);
	free(text);
	CHECK(kt_exists(ctx, "iscsi/" IQN "/tpgt_1"));
	if (had)
		write_file(SAVEFILE, old);
	else
		unlink(SAVEFILE);
	free(old);
}

/*
 * The fabric node's own commands: `version` reads the module's version file
 * (rtslib's reader fails), and the kernel's 6.1 fabrics have no fabric-level
 * attribute or parameter directory, so those groups are not offered.
 */
static void fabric_level(void)
{
	struct kt_res r;

	OK("Target fabric module iscsi: Datera Inc. iSCSI Target v", "/iscsi", "version");
	OK("Target fabric module loopback: TCM Loopback Fabric module v", "/loopback", "version");
	FAILS("Unknown configuration group: attribute", "/iscsi", "get", "attribute");
	FAILS("Unknown configuration group: parameter", "/iscsi", "get", "parameter");
	CLI(&r, "/iscsi", "get");
	CHECK_MSG(r.rc == 0 && strstr(r.out, "global discovery_auth\n"), "%s", r.out);
	kt_res_free(&r);
	/* a target's own param group (cmd_completion_affinity since 5.14) */
	OK("cmd_completion_affinity=", "/iscsi/" IQN, "get", "parameter");
}

/*
 * A new LUN is mapped in each ACL under its own number, or under the
 * smallest free one where the ACL has that number taken.
 */
static void auto_mapped_numbers(void)
{
	OK("Created ramdisk r1", "/backstores/ramdisk", "create", "r1", "1M", "nullio=true");
	OK("Created ramdisk r2", "/backstores/ramdisk", "create", "r2", "1M", "nullio=true");
	OK("Created LUN 5.", TPG "/luns", "create", "/backstores/ramdisk/r1", "5", "false");
	OK("Created Mapped LUN 1.", TPG "/acls/" INI, "create", "1", "5");
	/* LUN 1 is the smallest free; the ACL has 0 and 1 taken, so 2 */
	OK("Created LUN 1.\nCreated LUN 1->2 mapping in node ACL " INI "\n", TPG "/luns",
	   "create", "/backstores/ramdisk/r2");
	OK("Deleted LUN 1.", TPG "/luns", "delete", "1");
	OK("Deleted LUN 5.", TPG "/luns", "delete", "5");
	{
		struct kt_res r;

		/* the deletes took their mapped LUNs along */
		CLI(&r, TPG "/acls/" INI, "ls");
		CHECK_MSG(r.rc == 0 && strstr(r.out, "mapped_lun0") &&
				  !strstr(r.out, "mapped_lun1") && !strstr(r.out, "mapped_lun2"),
			  "%s", r.out);
		kt_res_free(&r);
	}
	OK("Deleted storage object r1.", "/backstores/ramdisk", "delete", "r1");
	OK("Deleted storage object r2.", "/backstores/ramdisk", "delete", "r2");
}

int main(int argc, char **argv)
{
	char home[256], prefs[300], *why = NULL;

	io_tool = argc > 1 ? argv[1] : "kt-iscsi-io";
	ctx = kt_ctx();
	if (!kt_config_empty(ctx, NULL))
		lio_clear(ctx);
	snprintf(home, sizeof(home), "%s/home", kt_scratch());
	mkdir(home, 0700);
	snprintf(prefs, sizeof(prefs), "%s/prefs.conf", home);
	/* piped sessions must not save to /etc/target when they end */
	write_file(prefs, "auto_save_on_exit = false\n");
	snprintf(home_env, sizeof(home_env), "TARGETCLI_HOME=%s", home);
	unlink(DISK);

	/* one-shot commands build a small configuration */
	OK("Created fileio disk1 with size 16777216", "/backstores/fileio", "create", "disk1", DISK,
	   "16M");
	OK("Created target " IQN ".", "/iscsi", "create", IQN);
	OK("Created LUN 0.", TPG "/luns", "create", "/backstores/fileio/disk1");
	OK("Created mapped LUN 0.", TPG "/acls", "create", INI);
	auto_mapped_numbers();

	chap_walkthrough();
	fabric_level();
	errors();
	piped_and_batch();
	sessions();
	ls_lines();
	save_round_trip();
	atomic_restore();
	delete_save();

	OK("Deleted Target " IQN ".", "/iscsi", "delete", IQN);
	CHECK_MSG(kt_config_empty(ctx, &why), "left behind:\n%s", why ? why : "");
	free(why);
	unlink(DISK);
	lio_unref(ctx);
	return tap_done();
}
