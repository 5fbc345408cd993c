// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * /backstores/user:<handler> against a stand-in tcmu-runner on a private
 * D-Bus: handlers as nodes, objects per handler, create's CheckConfig,
 * changemedium, help create's CFGSTRING FORMAT, completion; and no bus or
 * no tcmu-runner meaning no user:<handler> nodes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <lio.h>

#include "shtest.h"
#include "tcmu_fake.h"

#define USER_INFO(config) \
	"Status: ACTIVATED  Max Queue Depth: 128  SectorSize: 512  HwMaxSectors: 128\n" \
	"        Config: " config " Size: 1048576 MaxDataAreaMB: 1024 DataPagesPerBlk: 1\n"

static void add_user_so(struct fixture *fx, const char *hba, const char *name, const char *info)
{
	char rel[256];

	snprintf(rel, sizeof(rel), "target/core/%s/%s/info", hba, name);
	fx_write(fx, rel, info);
	snprintf(rel, sizeof(rel), "target/core/%s/%s/enable", hba, name);
	fx_write(fx, rel, "1\n");
	snprintf(rel, sizeof(rel), "target/core/%s/%s/wwn/vpd_unit_serial", hba, name);
	fx_write(fx, rel, "T10 VPD Unit Serial Number: 9abc\n");
	snprintf(rel, sizeof(rel), "target/core/%s/hba_info", hba);
	fx_write(fx, rel, "HBA Index: 5 plugin: tcm_user version: v5.0\n");
}

/* One ls line as the printer lays it out on a 132-column non-tty. */
static void tl(FILE *f, const char *margin, const char *name, const char *desc)
{
	int pad = 131 - ((int)strlen(desc) + 3) - ((int)strlen(margin) + 3) - (int)strlen(name);

	fprintf(f, "%so- %s ", margin, name);
	for (int i = 0; i < pad; i++)
		fputc('.', f);
	fprintf(f, " [%s]\n", desc);
}

static char *out_of(struct fixture *fx, const char *line)
{
	char *o, *e;

	fx_run(fx, line, &o, &e);
	free(e);
	return o;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && !strcmp(s + a - b, suffix);
}

/* The candidates for @line (cursor at its end), joined with '|'. */
static void cands(struct fixture *fx, const char *line, const char *want, int lineno)
{
	struct strv out = { 0 };
	char got[2048] = "";

	sh_complete(&fx->sh, line, strlen(line), &out);
	for (size_t i = 0; i < out.n; i++)
		snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s", i ? "|" : "", out.v[i]);
	tap_check(!strcmp(got, want), __FILE__, lineno, line, "got '%s', want '%s'", got, want);
	strv_clear(&out);
}
#define CANDS(line, want) cands(fx, line, want, __LINE__)

static void no_user_nodes(struct fixture *fx, int lineno)
{
	char *o = out_of(fx, "ls /backstores");

	tap_check(strstr(o, "o- block") && !strstr(o, "user:"), __FILE__, lineno, "ls /backstores",
		  "%s", o);
	free(o);
}

static void with_handlers(struct fixture *fx)
{
	char *want = NULL, *got;
	size_t len;
	FILE *f = open_memstream(&want, &len);

	tl(f, "", "backstores", "...");
	tl(f, "  ", "block", "Storage Objects: 0");
	tl(f, "  ", "fileio", "Storage Objects: 1");
	tl(f, "  ", "pscsi", "Storage Objects: 0");
	tl(f, "  ", "ramdisk", "Storage Objects: 1");
	tl(f, "  ", "user:fbo", "Storage Objects: 1");
	tl(f, "  ", "user:qcow", "Storage Objects: 1");
	fclose(f);
	got = out_of(fx, "ls /backstores 1");
	CHECK_STR(got, want);
	free(got);
	free(want);

	f = open_memstream(&want, &len);
	tl(f, "", "user:fbo", "Storage Objects: 1");
	tl(f, "  ", "u1", "/var/tmp/u1.img (1.0MiB) activated");
	tl(f, "    ", "alua", "ALUA Groups: 0");
	fclose(f);
	got = out_of(fx, "ls /backstores/user:fbo");
	CHECK_STR(got, want);
	free(got);
	free(want);

	/* each handler shows its own objects only */
	EXPECT(fx, "/backstores/user:fbo/q1 ls", NULL, "No such path /backstores/user:fbo/q1");
	EXPECT(fx, "/backstores/user:fbo delete q1", NULL, "No storage object named q1.");
	EXPECT(fx, "/backstores/user:qcow/q1 status",
	       "Status for /backstores/user:qcow/q1: /var/tmp/q1.qcow2 (1.0MiB) activated\n", NULL);
	EXPECT(fx, "/backstores/user:zbc ls", NULL, "No such path /backstores/user:zbc");

	/* create: the handler checks "<handler>/<cfgstring>" first */
	EXPECT(fx, "/backstores/user:fbo create x 1M /var/tmp/bad.img", NULL,
	       "cfgstring invalid: cannot use 'fbo//var/tmp/bad.img'");
	EXPECT(fx, "/backstores/user:fbo create x 1X /var/tmp/x.img", NULL,
	       "Cannot interpret size, wrong format: 1X");
	EXPECT(fx, "/backstores/user:fbo create x 1M /var/tmp/x.img hw_max_sectors=abc", NULL,
	       "hw_max_sectors must be a positive number, 'abc' given");
	EXPECT(fx, "/backstores/user:fbo create x 1M", NULL, "Missing required parameter cfgstring");

	/* changemedium: name, size in bytes and the whole config reach the handler */
	EXPECT(fx, "/backstores/user:fbo changemedium u1 2M /var/tmp/new.img", "Medium Changed.\n",
	       NULL);
	EXPECT(fx, "/backstores/user:fbo changemedium u1 2M /var/tmp/bad.img", NULL,
	       "ChangeMedium failed: name=u1 size=2097152 config=fbo//var/tmp/bad.img rejected");

	/* help create ends with the handler's ConfigDesc */
	got = out_of(fx, "/backstores/user:fbo help create");
	CHECK_MSG(strstr(got, "create name size cfgstring [wwn] [hw_max_sectors] [control] \n") &&
			  strstr(got, "Creates a User-backed storage object.\n\nSIZE SYNTAX\n"),
		  "%s", got);
	CHECK_MSG(ends_with(got, "\nCFGSTRING FORMAT\n=================\n"
				 "The path to the file to use as a backstore.\n\n"),
		  "%s", got);
	free(got);
	got = out_of(fx, "/backstores/user:qcow help create");
	CHECK_MSG(ends_with(got, "\nCFGSTRING FORMAT\n=================\nNo description.\n\n"),
		  "%s", got);
	free(got);
	got = out_of(fx, "/backstores/user:fbo help delete");
	CHECK_MSG(!strstr(got, "CFGSTRING"), "%s", got);
	free(got);
	got = out_of(fx, "/backstores/user:fbo help");
	CHECK_MSG(strstr(got, "  - changemedium name size cfgstring \n") &&
			  strstr(got, "  - delete name [save] \n") && strstr(got, "  - help [topic] \n") &&
			  strstr(strstr(got, "  - help [topic] \n") + 1, "  - help [topic]") == NULL,
		  "%s", got);
	free(got);

	CANDS("/backstores/u", "/backstores/user:fbo/|/backstores/user:qcow/");
	/* a LUN's storage object: user objects under their handler's node */
	CANDS("/iscsi/iqn.2003-01.org.example:t1/tpg1/luns create /backstores/user:",
	      "/backstores/user:fbo/u1|/backstores/user:qcow/q1");
	/* info shows the config, control and hw_max_sectors, as targetcli-fb */
	got = out_of(fx, "/backstores/user:fbo/u1 info");
	CHECK_MSG(!strncmp(got, "config: fbo//var/tmp/u1.img\ncontrol: ",
				   strlen("config: fbo//var/tmp/u1.img\ncontrol: ")) &&
			  strstr(got, "\nhw_max_sectors: ") && strstr(got, "\nname: u1\nplugin: user\n"),
		  "%s", got);
	free(got);
	CANDS("/backstores/user:fbo c", "cd |changemedium |create ");
	CANDS("/backstores/user:fbo delete ", "name=|save=|u1");
	CANDS("/backstores/user:fbo changemedium ", "cfgstring=|name=|size=|u1");
}

/*
 * D-Bus is asked only by what needs handlers: with the system bus a socket
 * nobody answers, commands elsewhere never connect, and `ls /backstores`
 * does (a child takes the connection and hangs up: no handlers, no error).
 */
static void lazy(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char env[sizeof(sa.sun_path) + 16], *o;
	struct fixture fx;
	int fd, status = -1;
	pid_t pid;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "/tmp/test_shell_user.%d.sock", (int)getpid());
	unlink(sa.sun_path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 4) < 0) {
		CHECK_MSG(false, "cannot listen on %s", sa.sun_path);
		return;
	}
	snprintf(env, sizeof(env), "unix:path=%s", sa.sun_path);
	setenv("DBUS_SYSTEM_BUS_ADDRESS", env, 1);
	fx_setup(&fx);
	EXPECT(&fx, "ls /iscsi", NULL, NULL);
	EXPECT(&fx, "ls /backstores/fileio", NULL, NULL);
	EXPECT(&fx, "/backstores/ramdisk/ram1 info", NULL, NULL);
	EXPECT(&fx, "/backstores/fileio delete nope", NULL, "No storage object named nope.");
	EXPECT(&fx, "/backstores/nope ls", NULL, "No such path /backstores/nope");
	CHECK_MSG(accept(fd, NULL, NULL) < 0 && errno == EAGAIN, "connected to D-Bus");

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		int c;

		alarm(30);
		while ((c = accept(fd, NULL, NULL)) < 0 && errno == EAGAIN)
			usleep(10000);
		_exit(c < 0);
	}
	o = out_of(&fx, "ls /backstores");
	CHECK_MSG(strstr(o, "o- block") && !strstr(o, "user:"), "%s", o);
	free(o);
	waitpid(pid, &status, 0);
	CHECK_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 0, "ls /backstores did not connect");
	fx_teardown(&fx);
	close(fd);
	unlink(sa.sun_path);
}

int main(void)
{
	static const struct fake_handler handlers[] = {
		{ "qcow", NULL },
		{ "fbo", "The path to the file to use as a backstore." },
	};
	struct fake_bus bus;
	struct fixture fx;
	pid_t tcmu;

	lazy();
	/* no system bus at all: no user:<handler> nodes, and no error */
	setenv("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/nonexistent/system_bus_socket", 1);
	fx_setup(&fx);
	add_user_so(&fx, "user_5", "u1", USER_INFO("fbo//var/tmp/u1.img"));
	add_user_so(&fx, "user_6", "q1", USER_INFO("qcow//var/tmp/q1.qcow2"));
	no_user_nodes(&fx, __LINE__);
	EXPECT(&fx, "/backstores/user:fbo ls", NULL, "No such path /backstores/user:fbo");

	if (fake_bus_start(&bus, false) < 0) {
		/* scripts/install-deps.sh test installs dbus: its absence fails */
		CHECK_MSG(false, "dbus-daemon cannot run here");
		fx_teardown(&fx);
		return tap_done();
	}
	setenv("DBUS_SYSTEM_BUS_ADDRESS", bus.address, 1);
	/* a bus without tcmu-runner: still none */
	no_user_nodes(&fx, __LINE__);

	tcmu = fake_tcmu_start(bus.address, handlers, 2);
	CHECK(tcmu > 0);
	if (tcmu > 0) {
		with_handlers(&fx);
		/* tcmu-runner gone: so are its nodes */
		fake_stop(tcmu);
		no_user_nodes(&fx, __LINE__);
		EXPECT(&fx, "/backstores/user:fbo create x 1M /var/tmp/x.img", NULL,
		       "No such path /backstores/user:fbo");
	}
	/* the bus gone under an open connection: none again, no error */
	fake_bus_stop(&bus);
	no_user_nodes(&fx, __LINE__);
	fx_teardown(&fx);
	return tap_done();
}
