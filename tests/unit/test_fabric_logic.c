/*
 * Fabric-side logic of liblio without a kernel: the fabric table, WWN
 * directory names, hardware WWNs from a fake sysfs, portal addresses,
 * session parsing, and a walk over targets, TPGs, LUNs, ACLs, mapped LUNs
 * and portals in a temporary directory standing in for configfs.
 *
 * These prove the library's logic (names, checks, orders, clean-up), not
 * the kernel's behaviour: the kernel tests (tests/kernel) prove that.
 *
 * configfs emulation. A plain directory does not behave like configfs, so
 * this program interposes mkdir(), rmdir(), unlink() and open() for paths
 * under the fake root only (the definitions here take precedence over
 * libc's for the static liblio):
 *  - mkdir creates the kernel's default groups and attribute files of the
 *    object it makes (tpgt_N/{lun,acls,np,attrib,param,auth}, enable,
 *    nexus, ACL tag/cmdsn_depth/info, write_protect, iser, ...);
 *  - rmdir, like configfs, removes attribute files and default groups but
 *    fails with ENOTEMPTY while a user-made directory or a link is inside;
 *  - open for writing truncates, as a configfs store replaces the value,
 *    and can be made to fail (fail_write) to test undoing;
 *  - every mkdir/rmdir/unlink/write is logged, so delete orders can be
 *    checked.
 */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "private.h"
#include "tap.h"

static char fake_root[512];
static size_t fake_len;

/* open() for writing of a path ending in this fails with EIO (NULL: none). */
static const char *fail_write;

#define LOG_MAX 4096
static char *oplog[LOG_MAX];
static int nlog;

static bool in_fake(const char *path)
{
	return fake_len && path && !strncmp(path, fake_root, fake_len) &&
	       path[fake_len] == '/';
}

static void log_op(const char *op, const char *path)
{
	char *e;

	if (nlog >= LOG_MAX || asprintf(&e, "%s %s", op, path + fake_len + 1) < 0)
		return;
	oplog[nlog++] = e;
}

static void log_clear(void)
{
	for (int i = 0; i < nlog; i++)
		free(oplog[i]);
	nlog = 0;
}

/* Index of the first "<op> <path ending in suffix>" entry, -1 if none. */
static int log_find(const char *op, const char *suffix)
{
	size_t ol = strlen(op), sl = strlen(suffix);

	for (int i = 0; i < nlog; i++) {
		size_t l = strlen(oplog[i]);

		if (!strncmp(oplog[i], op, ol) && oplog[i][ol] == ' ' && l >= sl &&
		    !strcmp(oplog[i] + l - sl, suffix))
			return i;
	}
	return -1;
}

static int log_count(const char *op, const char *suffix)
{
	size_t ol = strlen(op), sl = strlen(suffix);
	int n = 0;

	for (int i = 0; i < nlog; i++) {
		size_t l = strlen(oplog[i]);

		if (!strncmp(oplog[i], op, ol) && oplog[i][ol] == ' ' && l >= sl &&
		    !strcmp(oplog[i] + l - sl, suffix))
			n++;
	}
	return n;
}

static void put_file(const char *dir, const char *name, const char *content)
{
	char *p;
	int fd;

	if (asprintf(&p, "%s/%s", dir, name) < 0)
		return;
	fd = openat(AT_FDCWD, p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd >= 0) {
		if (write(fd, content, strlen(content)) < 0)
			perror(p);
		close(fd);
	}
	free(p);
}

static void put_dir(const char *dir, const char *name)
{
	char *p;

	if (asprintf(&p, "%s/%s", dir, name) < 0)
		return;
	mkdirat(AT_FDCWD, p, 0755);
	free(p);
}

/* What the kernel makes inside a new object, judged by its path shape. */
static void populate(const char *path)
{
	char rel[PATH_MAX], *c[16], *save = NULL;
	int n = 0;

	snprintf(rel, sizeof(rel), "%s", path + fake_len + 1);
	for (char *t = strtok_r(rel, "/", &save); t && n < 16; t = strtok_r(NULL, "/", &save))
		c[n++] = t;
	if (n < 2 || strcmp(c[0], "target"))
		return;
	if (!strcmp(c[1], "core")) {
		char *alua;

		if (n != 4)
			return;
		/* A storage object: the kernel's groups, default ALUA group too. */
		put_dir(path, "attrib");
		put_dir(path, "pr");
		put_dir(path, "wwn");
		put_dir(path, "alua");
		if (asprintf(&alua, "%s/alua", path) >= 0) {
			put_dir(alua, "default_tg_pt_gp");
			free(alua);
		}
		put_file(path, "enable", "1");
		return;
	}
	bool iscsi = !strcmp(c[1], "iscsi");
	bool nexus = !strcmp(c[1], "loopback") || !strcmp(c[1], "vhost");

	if (n == 2 && iscsi) {
		char da[PATH_MAX];

		put_file(path, "lio_version", "Datera Inc. iSCSI Target v4.1.0");
		put_dir(path, "discovery_auth");
		snprintf(da, sizeof(da), "%s/discovery_auth", path);
		put_file(da, "userid", "NULL");
		put_file(da, "password", "NULL");
		put_file(da, "userid_mutual", "NULL");
		put_file(da, "password_mutual", "NULL");
		put_file(da, "enforce_discovery_auth", "0");
		put_file(da, "authenticate_target", "0");
	} else if (n == 4 && !strncmp(c[3], "tpgt_", 5)) {
		static const char *const groups[] = { "lun", "acls", "np", "attrib",
						      "param", "auth" };
		for (size_t i = 0; i < ARRAY_SIZE(groups); i++)
			put_dir(path, groups[i]);
		if (iscsi)
			put_file(path, "enable", "0");
		if (nexus)
			put_file(path, "nexus", "");
	} else if (n == 6 && !strcmp(c[4], "lun")) {
		put_file(path, "alua_tg_pt_gp",
			 "TG Port Alias: default_tg_pt_gp\nTG Port Group ID: 0\n");
	} else if (n == 6 && !strcmp(c[4], "acls")) {
		char info[512];

		put_dir(path, "attrib");
		put_dir(path, "auth");
		put_dir(path, "param");
		put_file(path, "tag", "");
		put_file(path, "cmdsn_depth", "64");
		snprintf(info, sizeof(info),
			 "No active iSCSI Session for Initiator Endpoint: %s\n", c[5]);
		if (iscsi)
			put_file(path, "info", info);
	} else if (n == 7 && !strcmp(c[4], "acls") && !strncmp(c[6], "lun_", 4)) {
		put_file(path, "write_protect", "0");
	} else if (n == 6 && !strcmp(c[4], "np")) {
		put_file(path, "iser", "0"); /* no cxgbit: a kernel without it */
	}
}

static bool default_group(const char *name)
{
	static const char *const names[] = { "lun", "acls", "np", "attrib", "param",
					     "auth", "discovery_auth", "pr", "wwn", "alua",
					     "default_tg_pt_gp" };
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(name, names[i]))
			return true;
	return false;
}

/* configfs refuses rmdir while user items (dirs, links) are inside. */
static bool removable(const char *dir, bool strip)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	bool ok = true;

	if (!d)
		return false;
	while (ok && (de = readdir(d))) {
		char p[PATH_MAX];
		struct stat st;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
		if (lstat(p, &st) < 0)
			ok = false;
		else if (S_ISREG(st.st_mode))
			ok = !strip || unlinkat(AT_FDCWD, p, 0) == 0;
		else if (S_ISDIR(st.st_mode) && default_group(de->d_name))
			ok = removable(p, strip) &&
			     (!strip || unlinkat(AT_FDCWD, p, AT_REMOVEDIR) == 0);
		else
			ok = false;
	}
	closedir(d);
	return ok;
}

int mkdir(const char *path, mode_t mode)
{
	if (mkdirat(AT_FDCWD, path, mode) < 0)
		return -1;
	if (in_fake(path)) {
		log_op("mkdir", path);
		populate(path);
	}
	return 0;
}

int rmdir(const char *path)
{
	if (in_fake(path)) {
		log_op("rmdir", path);
		if (lio_is_dir(path) && !removable(path, false)) {
			errno = ENOTEMPTY;
			return -1;
		}
		removable(path, true);
	}
	return unlinkat(AT_FDCWD, path, AT_REMOVEDIR);
}

int unlink(const char *path)
{
	if (in_fake(path))
		log_op("unlink", path);
	return unlinkat(AT_FDCWD, path, 0);
}

int open(const char *path, int flags, ...)
{
	mode_t mode = 0;

	/* as glibc's __OPEN_NEEDS_MODE */
	if ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE) {
		va_list ap;

		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	if (in_fake(path) && (flags & O_ACCMODE) != O_RDONLY) {
		size_t l = strlen(path), fl = fail_write ? strlen(fail_write) : 0;

		log_op("write", path);
		if (fail_write && l >= fl && !strcmp(path + l - fl, fail_write)) {
			errno = EIO;
			return -1;
		}
		flags |= O_TRUNC;
	}
	return openat(AT_FDCWD, path, flags, mode);
}

/* ------------------------------------------------------------------ */

static char *slurp(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *slurp(const char *fmt, ...)
{
	char p[PATH_MAX], *v = NULL;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p, sizeof(p), fmt, ap);
	va_end(ap);
	if (lio_read_file_quiet(p, &v) < 0)
		return NULL;
	return v;
}

static bool exists(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static bool exists(const char *fmt, ...)
{
	char p[PATH_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p, sizeof(p), fmt, ap);
	va_end(ap);
	return lio_path_exists(p);
}

#define CHECK_FILE(want, ...)                                                  \
	do {                                                                   \
		char *_v = slurp(__VA_ARGS__);                                 \
		CHECK_STR(_v, want);                                           \
		free(_v);                                                      \
	} while (0)

static void rm_rf(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *de;

	if (lstat(path, &st) < 0)
		return;
	if (!S_ISDIR(st.st_mode)) {
		unlinkat(AT_FDCWD, path, 0);
		return;
	}
	d = opendir(path);
	while (d && (de = readdir(d))) {
		char p[PATH_MAX];

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(p, sizeof(p), "%s/%s", path, de->d_name);
		rm_rf(p);
	}
	if (d)
		closedir(d);
	unlinkat(AT_FDCWD, path, AT_REMOVEDIR);
}

static char notes[1024];
static void note_cb(void *data, const char *msg)
{
	(void)data;
	snprintf(notes, sizeof(notes), "%s", msg);
}

/* ------------------------------------------------------------------ */
/* Pure logic                                                          */

static void test_table(void)
{
	static const char *const order[] = { "iscsi", "loopback", "vhost", "xen-pvscsi",
					     "srpt", "qla2xxx", "efct", "tcm_fc",
					     "sbp", "ibmvscsis" };
	const struct lio_fabric *f;

	CHECK_INT(lio_fabric_count(), ARRAY_SIZE(order));
	for (size_t i = 0; i < ARRAY_SIZE(order); i++)
		CHECK_STR(lio_fabric_at(i)->name, order[i]);
	CHECK(lio_fabric_at(lio_fabric_count()) == NULL);
	CHECK(lio_fabric_find("usb_gadget") == NULL);
	CHECK(lio_fabric_find(NULL) == NULL);

	f = lio_fabric_find("tcm_fc");
	CHECK_STR(f->dir, "fc");
	CHECK_STR(f->kmod, "tcm_fc");
	CHECK(f->hw_wwns != NULL);
	CHECK_INT(f->features, LIO_FEAT_ACLS);

	f = lio_fabric_find("iscsi");
	CHECK_STR(f->kmod, "iscsi_target_mod");
	CHECK(f->features & LIO_FEAT_DISCOVERY_AUTH);
	CHECK(f->features & LIO_FEAT_TPGTS);
	CHECK(f->features & LIO_FEAT_NPS);
	CHECK(!(f->features & LIO_FEAT_NEXUS));
	CHECK_INT(f->wwn_types, LIO_WWN_IQN | LIO_WWN_NAA | LIO_WWN_EUI);
	CHECK(f->hw_wwns == NULL);

	CHECK_STR(lio_fabric_find("loopback")->kmod, "tcm_loop");
	CHECK_STR(lio_fabric_find("vhost")->kmod, "tcm_vhost");
	CHECK_STR(lio_fabric_find("xen-pvscsi")->kmod, "xen-scsiback");
	CHECK_STR(lio_fabric_find("srpt")->kmod, "ib_srpt");
	CHECK_STR(lio_fabric_find("qla2xxx")->kmod, "tcm_qla2xxx");
	CHECK_STR(lio_fabric_find("sbp")->kmod, "sbp_target");
	CHECK(lio_fabric_find("sbp")->no_auto_enable);
	CHECK(!lio_fabric_find("iscsi")->no_auto_enable);
	CHECK_INT(lio_fabric_find("ibmvscsis")->wwn_types, LIO_WWN_FREE);
	CHECK_INT(lio_fabric_find("loopback")->features, LIO_FEAT_NEXUS);
	CHECK_INT(lio_fabric_find("vhost")->features,
		  LIO_FEAT_NEXUS | LIO_FEAT_ACLS | LIO_FEAT_TPGTS);
}

static void check_dir_roundtrip(const char *fabric, const char *wwn, const char *dir)
{
	const struct lio_fabric *f = lio_fabric_find(fabric);
	char *d = NULL, *w = NULL;

	CHECK_INT(lio_fabric_wwn_to_dir(f, wwn, &d), 0);
	CHECK_STR(d, dir);
	CHECK_INT(lio_fabric_wwn_from_dir(f, dir, &w), 0);
	CHECK_STR(w, wwn);
	free(d);
	free(w);
}

static void test_wwn_dirs(void)
{
	char *s = NULL;

	check_dir_roundtrip("iscsi", "iqn.2003-01.org.example:t1", "iqn.2003-01.org.example:t1");
	check_dir_roundtrip("loopback", "naa.5001405aabbccdde", "naa.5001405aabbccdde");
	check_dir_roundtrip("qla2xxx", "naa.21000024ff3dd9d2", "21:00:00:24:ff:3d:d9:d2");
	check_dir_roundtrip("efct", "naa.10000090fa1b2c3d", "10:00:00:90:fa:1b:2c:3d");
	check_dir_roundtrip("tcm_fc", "naa.2000000c29aabbcc", "20:00:00:0c:29:aa:bb:cc");
	check_dir_roundtrip("srpt", "ib.fe800000000000000002c90300108a41",
			    "0xfe800000000000000002c90300108a41");
	check_dir_roundtrip("sbp", "eui.0011223344556677", "0011223344556677");
	check_dir_roundtrip("ibmvscsis", "30000003", "30000003");

	/* Upper-case kernel names come back normalised. */
	CHECK_INT(lio_fabric_wwn_from_dir(lio_fabric_find("qla2xxx"), "21:00:00:24:FF:3D:D9:D2",
					  &s), 0);
	CHECK_STR(s, "naa.21000024ff3dd9d2");
	free(s);
	/* Wrong type for the format. */
	CHECK_INT(lio_fabric_wwn_to_dir(lio_fabric_find("qla2xxx"), "eui.0011223344556677", &s),
		  -EINVAL);
	CHECK_INT(lio_fabric_wwn_to_dir(lio_fabric_find("srpt"), "naa.21000024ff3dd9d2", &s),
		  -EINVAL);
	CHECK_INT(lio_fabric_wwn_to_dir(lio_fabric_find("iscsi"), "", &s), -EINVAL);
}

static void check_canon(const char *in, int want_r, const char *want)
{
	char *out = NULL;
	int r = lio_portal_canon_ip(in, &out);

	CHECK_MSG(r == want_r, "canon(%s) = %d, want %d", in ? in : "(null)", r, want_r);
	if (want)
		CHECK_STR(out, want);
	else
		CHECK(out == NULL);
	free(out);
}

static void test_canon_ip(void)
{
	check_canon("1.2.3.4", 0, "1.2.3.4");
	check_canon("0.0.0.0", 0, "0.0.0.0");
	check_canon("::0", 0, "[::0]");
	check_canon("::", 0, "[::]");
	check_canon("fe80::5054:ff:fe12:3456", 0, "[fe80::5054:ff:fe12:3456]");
	check_canon("[2001:db8::1]", 0, "[2001:db8::1]");
	check_canon("::ffff:192.0.2.1", 0, "[::ffff:192.0.2.1]");
	check_canon("1.2.3", -EINVAL, NULL);
	check_canon("256.1.1.1", -EINVAL, NULL);
	check_canon("[1.2.3.4]", -EINVAL, NULL);
	check_canon("[::1", -EINVAL, NULL);
	check_canon("localhost", -EINVAL, NULL);
	check_canon("", -EINVAL, NULL);
	check_canon(NULL, -EINVAL, NULL);
	check_canon("1.2.3.4:3260", -EINVAL, NULL);
}

static const char *const info_one =
	"InitiatorName: iqn.1994-05.com.redhat:client1\n"
	"InitiatorAlias: client1.example.com\n"
	"LIO Session ID: 3   ISID: 0x40 00 01 37 00 00  TSIH: 2  SessionType: Normal\n"
	"Session State: TARG_SESS_STATE_LOGGED_IN\n"
	"---------------------[iSCSI Session Values]-----------------------\n"
	"  CmdSN/WR  :  CmdSN/WC  :  ExpCmdSN  :  MaxCmdSN  :     ITT    :     TTT\n"
	" 0x00000040   0x00000040   0x0000001a   0x00000059   0x00000000   0x00000000\n"
	"----------------------[iSCSI Connections]-------------------------\n"
	"CID: 0  Connection State: TARG_CONN_STATE_LOGGED_IN\n"
	"   Address 192.168.122.10 TCP  StatSN: 0x6916c3e9\n";

static const char *const info_v6 =
	"InitiatorName: iqn.2004-10.com.ubuntu:01:abcdef\n"
	"InitiatorAlias: \n"
	"LIO Session ID: 12   ISID: 0x23 3d 00 00 00 01  TSIH: 7  SessionType: Discovery\n"
	"Session State: TARG_SESS_STATE_ACTIVE\n"
	"---------------------[iSCSI Session Values]-----------------------\n"
	"  CmdSN/WR  :  CmdSN/WC  :  ExpCmdSN  :  MaxCmdSN  :     ITT    :     TTT\n"
	" 0x00000040   0x00000040   0x00000002   0x00000041   0x00000001   0xffffffff\n"
	"----------------------[iSCSI Connections]-------------------------\n"
	"CID: 1  Connection State: TARG_CONN_STATE_LOGGED_IN\n"
	"   Address fe80::5054:ff:fe12:3456 TCP  StatSN: 0x00000001\n"
	"CID: 2  Connection State: TARG_CONN_STATE_IN_LOGOUT\n"
	"   Address 2001:db8::1 TCP  StatSN: 0x00000002\n";

static void test_sessions(void)
{
	struct lio_session s;

	CHECK_INT(lio_session_parse("No active iSCSI Session for Initiator Endpoint: "
				    "iqn.1994-05.com.redhat:client1\n", &s), 0);
	CHECK(!s.active);
	CHECK_INT(s.nconns, 0);
	lio_session_clear(&s);

	CHECK_INT(lio_session_parse("", &s), 0);
	CHECK(!s.active);
	lio_session_clear(&s);
	CHECK_INT(lio_session_parse(NULL, &s), 0);
	CHECK(!s.active);
	lio_session_clear(&s);

	CHECK_INT(lio_session_parse(info_one, &s), 0);
	CHECK(s.active);
	CHECK_STR(s.alias, "client1.example.com");
	CHECK_INT(s.id, 3);
	CHECK_STR(s.type, "Normal");
	CHECK_STR(s.state, "LOGGED_IN");
	CHECK_INT(s.nconns, 1);
	if (s.nconns == 1) {
		CHECK_INT(s.conns[0].cid, 0);
		CHECK_STR(s.conns[0].state, "LOGGED_IN");
		CHECK_STR(s.conns[0].address, "192.168.122.10");
		CHECK_STR(s.conns[0].transport, "TCP");
	}
	lio_session_clear(&s);
	CHECK(s.alias == NULL && s.conns == NULL && !s.active);

	CHECK_INT(lio_session_parse(info_v6, &s), 0);
	CHECK(s.active);
	CHECK_STR(s.alias, "");
	CHECK_INT(s.id, 12);
	CHECK_STR(s.type, "Discovery");
	CHECK_STR(s.state, "ACTIVE");
	CHECK_INT(s.nconns, 2);
	if (s.nconns == 2) {
		CHECK_INT(s.conns[0].cid, 1);
		CHECK_STR(s.conns[0].address, "fe80::5054:ff:fe12:3456");
		CHECK_STR(s.conns[0].transport, "TCP");
		CHECK_INT(s.conns[1].cid, 2);
		CHECK_STR(s.conns[1].state, "IN_LOGOUT");
		CHECK_STR(s.conns[1].address, "2001:db8::1");
	}
	lio_session_clear(&s);

	/* A session being freed prints TARG_SESS_FREE. */
	CHECK_INT(lio_session_parse("InitiatorName: iqn.1994-05.com.redhat:c\n"
				    "Session State: TARG_SESS_FREE\n", &s), 0);
	CHECK(s.active);
	CHECK_STR(s.state, "FREE");
	lio_session_clear(&s);
}

/* ------------------------------------------------------------------ */
/* Hardware WWNs from a fake sysfs                                     */

static void mkpath(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void mkpath(const char *fmt, ...)
{
	char p[PATH_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p, sizeof(p), fmt, ap);
	va_end(ap);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		mkdirat(AT_FDCWD, p, 0755);
		*s = '/';
	}
	mkdirat(AT_FDCWD, p, 0755);
}

static void fc_host(const char *sys, const char *devpath, const char *host,
		    const char *link, const char *bus, const char *port_name)
{
	char p[PATH_MAX], t[PATH_MAX];

	mkpath("%s/devices/%s/%s/fc_host/%s", sys, devpath, host, host);
	snprintf(p, sizeof(p), "%s/devices/%s/%s/fc_host/%s", sys, devpath, host, host);
	put_file(p, "port_name", port_name);
	mkpath("%s/bus/%s", sys, bus);
	snprintf(p, sizeof(p), "%s/devices/%s/%s", sys, devpath, link);
	snprintf(t, sizeof(t), "%s/bus/%s", sys, bus);
	CHECK(symlink(t, p) == 0);
	mkpath("%s/class/fc_host", sys);
	snprintf(p, sizeof(p), "%s/class/fc_host/%s", sys, host);
	snprintf(t, sizeof(t), "../../devices/%s/%s/fc_host/%s", devpath, host, host);
	CHECK(symlink(t, p) == 0);
}

static void check_hw(struct lio_ctx *ctx, const char *sys, const char *fabric,
		     int n, const char *first)
{
	char **wwns = NULL;
	int r = lio_fabric_hw_wwns_root(ctx, lio_fabric_find(fabric), sys, &wwns);

	CHECK_MSG(r == n, "%s: %d hardware WWNs, want %d", fabric, r, n);
	if (r > 0 && first)
		CHECK_STR(wwns[0], first);
	if (r > 0)
		lio_strv_free(wwns, (size_t)r);
}

static void test_hw_wwns(struct lio_ctx *ctx, const char *base)
{
	char sys[1024], p[PATH_MAX];
	char **wwns = (char **)1;

	snprintf(sys, sizeof(sys), "%s/sys", base);
	/* Nothing there at all: no hardware, no error. */
	check_hw(ctx, sys, "srpt", 0, NULL);
	check_hw(ctx, sys, "qla2xxx", 0, NULL);
	CHECK_INT(lio_fabric_hw_wwns(ctx, lio_fabric_find("iscsi"), &wwns), 0);
	CHECK(wwns == NULL);

	mkpath("%s/class/infiniband/mlx4_0/ports/1/gids", sys);
	snprintf(p, sizeof(p), "%s/class/infiniband/mlx4_0/ports/1/gids", sys);
	put_file(p, "0", "fe80:0000:0000:0000:0002:C903:0010:8a41\n");
	check_hw(ctx, sys, "srpt", 1, "ib.fe800000000000000002c90300108a41");

	fc_host(sys, "pci0000:00/0000:03:00.0", "host5", "driver", "pci/drivers/qla2xxx",
		"0x21000024ff3dd9d2\n");
	fc_host(sys, "pci0000:00/0000:04:00.0", "host6", "driver", "pci/drivers/efct",
		"0x10000090fa1b2c3d\n");
	fc_host(sys, "virtual/net/eth0/ctlr_0", "host7", "subsystem", "fcoe",
		"0x2000000c29aabbcc\n");
	check_hw(ctx, sys, "qla2xxx", 1, "naa.21000024ff3dd9d2");
	check_hw(ctx, sys, "efct", 1, "naa.10000090fa1b2c3d");
	check_hw(ctx, sys, "tcm_fc", 1, "naa.2000000c29aabbcc");

	/* Only the first local FireWire node counts. */
	mkpath("%s/bus/firewire/devices/fw0", sys);
	mkpath("%s/bus/firewire/devices/fw1", sys);
	mkpath("%s/bus/firewire/devices/fw2", sys);
	snprintf(p, sizeof(p), "%s/bus/firewire/devices/fw0", sys);
	put_file(p, "is_local", "0\n");
	put_file(p, "guid", "0x0000000000000001\n");
	snprintf(p, sizeof(p), "%s/bus/firewire/devices/fw1", sys);
	put_file(p, "is_local", "1\n");
	put_file(p, "guid", "0x0011223344556677\n");
	snprintf(p, sizeof(p), "%s/bus/firewire/devices/fw2", sys);
	put_file(p, "is_local", "1\n");
	put_file(p, "guid", "0x00112233445566ff\n");
	check_hw(ctx, sys, "sbp", 1, "eui.0011223344556677");

	mkpath("%s/module/ibmvscsis/drivers/vio:ibmvscsis/30000003", sys);
	snprintf(p, sizeof(p), "%s/module/ibmvscsis/drivers/vio:ibmvscsis/30000003", sys);
	put_file(p, "devspec", "/vdevice/v-scsi-host@30000003\n");
	check_hw(ctx, sys, "ibmvscsis", 1, "30000003");
}

/* ------------------------------------------------------------------ */
/* The fake-root walk                                                  */

struct walk {
	struct lio_ctx *ctx;
	char tgt[1024]; /* <root>/target */
	const struct lio_fabric *iscsi, *loop, *qla;
};

static struct lio_so *make_so(struct walk *w, const char *hba, const char *name)
{
	char p[PATH_MAX];
	struct lio_so *so = NULL;

	snprintf(p, sizeof(p), "%s/core/%s", w->tgt, hba);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/core/%s/%s", w->tgt, hba, name);
	mkdir(p, 0755);
	CHECK_INT(lio_so_from_path(w->ctx, p, &so), 0);
	return so;
}

static void test_so_path(struct walk *w)
{
	struct lio_so *so = NULL;
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "/elsewhere/core/rd_mcp_12/ram/");
	CHECK_INT(lio_so_from_path(w->ctx, p, &so), 0);
	if (so) {
		CHECK_INT(so->plugin, LIO_PLUGIN_RAMDISK);
		CHECK_INT(so->hba_index, 12);
		CHECK_STR(lio_obj_name(lio_obj(so)), "ram");
		snprintf(p, sizeof(p), "%s/core/rd_mcp_12/ram", w->tgt);
		/* Rebuilt under the context's root. */
		CHECK_STR(lio_obj_path(lio_obj(so)), p);
		snprintf(p, sizeof(p), "%s/core/rd_mcp_12", w->tgt);
		CHECK_STR(so->hba_path, p);
		CHECK(lio_obj_kind(lio_obj(so)) == LIO_KIND_SO);
		lio_obj_unref(lio_obj(so));
	}
	static const char *const bad[] = {
		"/x/y", "core/fileio_0", "/t/core/bogus_1/x", "/t/core/fileio_x/y",
		"/t/notcore/fileio_0/x", "/t/core/fileio/x", "/t/core/fileio_0/", "",
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		so = NULL;
		CHECK_MSG(lio_so_from_path(w->ctx, bad[i], &so) == -EINVAL, "%s", bad[i]);
		CHECK(so == NULL);
	}
}

static void test_targets(struct walk *w)
{
	struct lio_target *t1 = NULL, *t2 = NULL, *tl = NULL, *tq = NULL, **list = NULL;
	size_t n = 99;
	char *v = NULL;
	bool b;

	CHECK(!lio_fabric_loaded(w->ctx, w->iscsi));
	CHECK_INT(lio_target_list(w->ctx, w->iscsi, &list, &n), 0);
	CHECK_INT(n, 0);
	lio_list_free(list, n);
	CHECK(!lio_fabric_loaded(w->ctx, w->iscsi)); /* listing loads nothing */

	CHECK_INT(lio_discovery_auth_get(w->ctx, w->loop, LIO_AUTH_USERID, &v), -EOPNOTSUPP);
	CHECK(strstr(lio_errmsg(w->ctx), "loopback"));
	CHECK(!lio_fabric_loaded(w->ctx, w->loop));

	CHECK_INT(lio_target_create(w->ctx, w->iscsi, "IQN.2003-01.org.example:t1", &t1), 0);
	CHECK(lio_fabric_loaded(w->ctx, w->iscsi));
	CHECK_STR(lio_target_wwn(t1), "iqn.2003-01.org.example:t1");
	CHECK(lio_target_fabric(t1) == w->iscsi);
	CHECK(exists("%s/iscsi/iqn.2003-01.org.example:t1", w->tgt));
	CHECK(lio_obj_target(lio_obj(t1)) == t1);
	CHECK(lio_obj_tpg(lio_obj(t1)) == NULL);

	CHECK_INT(lio_target_create(w->ctx, w->iscsi, "iqn.2003-01.org.example:t1", &t2),
		  -EEXIST);
	CHECK_STR(lio_errmsg(w->ctx), "Target iqn.2003-01.org.example:t1 already exists");
	CHECK_INT(lio_target_create(w->ctx, w->iscsi, "bogus", &t2), -EINVAL);
	CHECK_INT(lio_target_create(w->ctx, w->iscsi, NULL, &t2), 0);
	CHECK(!strncmp(lio_target_wwn(t2), "iqn.2003-01.org.linux-iscsi.", 28));

	CHECK_INT(lio_target_list(w->ctx, w->iscsi, &list, &n), 0);
	CHECK_INT(n, 2); /* lio_version and discovery_auth are not targets */
	if (n == 2) {
		CHECK_STR(lio_target_wwn(list[0]), "iqn.2003-01.org.example:t1");
		CHECK_STR(lio_target_wwn(list[1]), lio_target_wwn(t2));
	}
	lio_list_free(list, n);

	CHECK_INT(lio_target_lookup(w->ctx, w->iscsi, "iqn.2003-01.org.example:nope", &tl),
		  -ENOENT);
	CHECK_STR(lio_errmsg(w->ctx), "No such target iqn.2003-01.org.example:nope in iscsi");
	CHECK_INT(lio_target_delete(t2), 0);
	CHECK(!lio_obj_exists(lio_obj(t2)));
	CHECK_INT(lio_target_delete(t2), -ENOENT);
	lio_target_unref(t2);

	/* Discovery auth: CHAP files with "NULL" for unset, enforce 0/1. */
	CHECK_INT(lio_discovery_auth_get(w->ctx, w->iscsi, LIO_AUTH_USERID, &v), 0);
	CHECK_STR(v, "");
	free(v);
	CHECK_INT(lio_discovery_auth_set(w->ctx, w->iscsi, LIO_AUTH_MUTUAL_USERID, "joe"), 0);
	CHECK_FILE("joe", "%s/iscsi/discovery_auth/userid_mutual", w->tgt);
	CHECK_INT(lio_discovery_auth_get(w->ctx, w->iscsi, LIO_AUTH_MUTUAL_USERID, &v), 0);
	CHECK_STR(v, "joe");
	free(v);
	CHECK_INT(lio_discovery_auth_set_enforce(w->ctx, w->iscsi, true), 0);
	CHECK_FILE("1", "%s/iscsi/discovery_auth/enforce_discovery_auth", w->tgt);
	CHECK_INT(lio_discovery_auth_get_enforce(w->ctx, w->iscsi, &b), 0);
	CHECK(b);

	/* Old rtslib NAA WWNs: naa.6 becomes naa.5. */
	CHECK_INT(lio_target_create(w->ctx, w->loop, "naa.60014051234567ab", &tl), 0);
	CHECK_STR(lio_target_wwn(tl), "naa.50014051234567ab");
	CHECK(exists("%s/loopback/naa.50014051234567ab", w->tgt));
	lio_target_unref(tl);
	CHECK_INT(lio_target_lookup(w->ctx, w->loop, "naa.60014051234567ab", &tl), 0);
	lio_target_unref(tl);

	/* A hardware fabric: colon names, and a note when the port is absent. */
	notes[0] = '\0';
	CHECK_INT(lio_target_create(w->ctx, w->qla, "21:00:00:1B:32:81:23:45", &tq), 0);
	CHECK_STR(lio_target_wwn(tq), "naa.2100001b32812345");
	CHECK(exists("%s/qla2xxx/21:00:00:1b:32:81:23:45", w->tgt));
	CHECK_STR(notes, "Hardware missing for this WWN");
	CHECK_INT(lio_target_create(w->ctx, w->qla, NULL, &t2), -EINVAL);
	CHECK_INT(lio_target_list(w->ctx, w->qla, &list, &n), 0);
	CHECK_INT(n, 1);
	if (n == 1)
		CHECK_STR(lio_target_wwn(list[0]), "naa.2100001b32812345");
	lio_list_free(list, n);
	lio_target_unref(tq);
	lio_target_unref(t1);
}

static void test_tpgs(struct walk *w)
{
	struct lio_target *t1 = NULL, *tl = NULL, *tq = NULL;
	struct lio_tpg *a = NULL, *b = NULL, *c = NULL, **list = NULL;
	char *nexus = NULL;
	size_t n = 0;
	bool on;

	CHECK_INT(lio_target_lookup(w->ctx, w->iscsi, "iqn.2003-01.org.example:t1", &t1), 0);
	CHECK_INT(lio_tpg_create(t1, 0, &a), 0);
	CHECK_INT(lio_tpg_tag(a), 1);
	CHECK(lio_tpg_target(a) == t1);
	CHECK_INT(lio_tpg_create(t1, 0, &b), 0);
	CHECK_INT(lio_tpg_tag(b), 2);
	CHECK_INT(lio_tpg_create(t1, 2, &c), -EEXIST);
	CHECK_INT(lio_tpg_create(t1, 10, &c), 0);
	CHECK_INT(lio_tpg_list(t1, &list, &n), 0);
	CHECK_INT(n, 3);
	if (n == 3) {
		CHECK_INT(lio_tpg_tag(list[0]), 1);
		CHECK_INT(lio_tpg_tag(list[1]), 2);
		CHECK_INT(lio_tpg_tag(list[2]), 10); /* natural order: tpgt_10 last */
	}
	lio_list_free(list, n);
	CHECK_INT(lio_tpg_delete(b), 0);
	lio_tpg_unref(b);
	CHECK_INT(lio_tpg_create(t1, 0, &b), 0);
	CHECK_INT(lio_tpg_tag(b), 2); /* the freed tag is reused */
	CHECK_INT(lio_tpg_delete(b), 0);
	CHECK_INT(lio_tpg_delete(c), 0);
	CHECK_INT(lio_tpg_lookup(t1, 10, &b), -ENOENT);
	lio_tpg_unref(b);
	lio_tpg_unref(c);

	/* enable: written only on a change. */
	CHECK_INT(lio_tpg_get_enable(a, &on), 0);
	CHECK(!on);
	log_clear();
	CHECK_INT(lio_tpg_set_enable(a, true), 0);
	CHECK_INT(lio_tpg_set_enable(a, true), 0);
	CHECK_INT(log_count("write", "/tpgt_1/enable"), 1);
	CHECK_FILE("1", "%s/enable", lio_obj_path(lio_obj(a)));
	CHECK_INT(lio_tpg_get_nexus(a, &nexus), -EOPNOTSUPP);
	lio_tpg_unref(a);

	/* Nexus fabric: the TPG gets a nexus of the target's type at once. */
	CHECK_INT(lio_target_lookup(w->ctx, w->loop, "naa.50014051234567ab", &tl), 0);
	CHECK_INT(lio_tpg_create(tl, 0, &a), 0);
	CHECK_INT(lio_tpg_get_nexus(a, &nexus), 0);
	CHECK(nexus && !strncmp(nexus, "naa.5001405", 11) && strlen(nexus) == 20);
	free(nexus);
	CHECK_INT(lio_tpg_set_nexus(a, "naa.5001405000000001"), -EEXIST);
	/* A fabric without tpgts has one TPG. */
	CHECK_INT(lio_tpg_create(tl, 0, &b), -EEXIST);
	CHECK_STR(lio_errmsg(w->ctx), "Target cannot have multiple TPGs");
	CHECK(!exists("%s/tpgt_2", lio_obj_path(lio_obj(tl))));
	/* No enable file: always enabled, nothing to write. */
	CHECK(!exists("%s/enable", lio_obj_path(lio_obj(a))));
	CHECK_INT(lio_tpg_get_enable(a, &on), 0);
	CHECK(on);
	CHECK_INT(lio_tpg_set_enable(a, false), 0);
	CHECK_INT(lio_target_delete(tl), 0);
	CHECK(!exists("%s/loopback/naa.50014051234567ab", w->tgt));
	lio_tpg_unref(a);
	lio_target_unref(tl);

	/* A failed nexus write leaves no TPG behind. */
	CHECK_INT(lio_target_create(w->ctx, w->loop, "naa.5001405000000002", &tl), 0);
	fail_write = "/tpgt_1/nexus";
	CHECK_INT(lio_tpg_create(tl, 0, &a), -EIO);
	fail_write = NULL;
	CHECK(strstr(lio_errmsg(w->ctx), "nexus") != NULL);
	CHECK(!exists("%s/tpgt_1", lio_obj_path(lio_obj(tl))));
	CHECK_INT(lio_target_delete(tl), 0);
	lio_target_unref(tl);

	/* qla2xxx keeps one TPG too; it has no enable file either. */
	CHECK_INT(lio_target_lookup(w->ctx, w->qla, "naa.2100001b32812345", &tq), 0);
	CHECK_INT(lio_tpg_create(tq, 0, &a), 0);
	CHECK_INT(lio_tpg_create(tq, 3, &b), -EEXIST);
	lio_tpg_unref(a);
	lio_target_unref(tq);
	lio_target_unref(t1);
}

static void test_luns(struct walk *w, struct lio_tpg *tpg, struct lio_so **so)
{
	struct lio_lun *l0 = NULL, *l = NULL, **list = NULL;
	struct lio_so *got = NULL, *ghost = NULL;
	char longalias[300], path[PATH_MAX], *s = NULL;
	size_t n = 0;

	CHECK_INT(lio_lun_create(tpg, so[0], -1, NULL, &l0), 0);
	CHECK_INT(lio_lun_index(l0), 0);
	CHECK(lio_lun_tpg(l0) == tpg);
	CHECK_INT(lio_lun_get_alias(l0, &s), 0);
	CHECK(s && strlen(s) == 10 && strspn(s, "0123456789abcdef") == 10);
	free(s);

	CHECK_INT(lio_lun_create(tpg, so[0], -1, "again", &l), -EBUSY);
	CHECK_STR(lio_errmsg(w->ctx), "lun for storage object fileio/disk1 already exists");
	CHECK_INT(lio_lun_create(tpg, so[1], 0, NULL, &l), -EEXIST);
	CHECK_STR(lio_errmsg(w->ctx), "LUN 0 already exists");
	CHECK_INT(lio_lun_create(tpg, so[1], 65536, NULL, &l), -ERANGE);
	CHECK_STR(lio_errmsg(w->ctx), "LUN index 65536 out of range 0-65535");
	CHECK_INT(lio_lun_create(tpg, so[1], -1, "a/b", &l), -EINVAL);
	CHECK(!exists("%s/lun/lun_1", lio_obj_path(lio_obj(tpg))));

	/* A failed link leaves no LUN directory. */
	memset(longalias, 'a', sizeof(longalias) - 1);
	longalias[sizeof(longalias) - 1] = '\0';
	CHECK_INT(lio_lun_create(tpg, so[1], -1, longalias, &l), -ENAMETOOLONG);
	CHECK(!exists("%s/lun/lun_1", lio_obj_path(lio_obj(tpg))));

	ghost = NULL;
	CHECK_INT(lio_so_alloc(w->ctx, LIO_PLUGIN_FILEIO, 77, "ghost", &ghost), 0);
	CHECK_INT(lio_lun_create(tpg, ghost, -1, NULL, &l), -ENOENT);
	lio_obj_unref(lio_obj(ghost));

	CHECK_INT(lio_lun_create(tpg, so[1], 10, "ram", &l), 0);
	lio_lun_unref(l);
	CHECK_INT(lio_lun_create(tpg, so[2], -1, "blk", &l), 0);
	CHECK_INT(lio_lun_index(l), 1);
	lio_lun_unref(l);
	CHECK_INT(lio_lun_create(tpg, so[3], 2, NULL, &l), 0);
	lio_lun_unref(l);

	CHECK_INT(lio_lun_list(tpg, &list, &n), 0);
	CHECK_INT(n, 4);
	if (n == 4) {
		CHECK_INT(lio_lun_index(list[0]), 0);
		CHECK_INT(lio_lun_index(list[1]), 1);
		CHECK_INT(lio_lun_index(list[2]), 2);
		CHECK_INT(lio_lun_index(list[3]), 10);
	}
	lio_list_free(list, n);

	CHECK_INT(lio_lun_lookup(tpg, 10, &l), 0);
	CHECK_INT(lio_lun_get_so(l, &got), 0);
	if (got) {
		CHECK_INT(lio_obj_kind(lio_obj(got)), LIO_KIND_SO);
		CHECK_INT(got->plugin, LIO_PLUGIN_RAMDISK);
		CHECK_INT(got->hba_index, 1);
		CHECK_STR(lio_obj_name(lio_obj(got)), "ram1");
		CHECK_STR(lio_obj_path(lio_obj(got)), lio_obj_path(lio_obj(so[1])));
		CHECK_STR(got->hba_path, so[1]->hba_path);
		lio_obj_unref(lio_obj(got));
	}
	CHECK_INT(lio_lun_get_alias(l, &s), 0);
	CHECK_STR(s, "ram");
	free(s);
	lio_lun_unref(l);
	CHECK_INT(lio_lun_lookup(tpg, 3, &l), -ENOENT);

	/* ALUA group membership. */
	CHECK_INT(lio_lun_get_alua_group(l0, &s), 0);
	CHECK_STR(s, "default_tg_pt_gp");
	free(s);
	CHECK_INT(lio_lun_set_alua_group(l0, "grp1"), 0);
	CHECK_FILE("grp1", "%s/alua_tg_pt_gp", lio_obj_path(lio_obj(l0)));
	put_file(lio_obj_path(lio_obj(l0)), "alua_tg_pt_gp", "");
	CHECK_INT(lio_lun_set_alua_group(l0, "grp1"), -EOPNOTSUPP);
	snprintf(path, sizeof(path), "%s/alua_tg_pt_gp", lio_obj_path(lio_obj(l0)));
	unlinkat(AT_FDCWD, path, 0);
	CHECK_INT(lio_lun_get_alua_group(l0, &s), 0);
	CHECK_STR(s, "");
	free(s);
	lio_lun_unref(l0);

	/* A LUN without its link. */
	{
		char p[PATH_MAX];

		snprintf(p, sizeof(p), "%s/lun/lun_20", lio_obj_path(lio_obj(tpg)));
		mkdir(p, 0755);
		CHECK_INT(lio_lun_lookup(tpg, 20, &l), 0);
		CHECK_INT(lio_lun_get_so(l, &got), -ENOLINK);
		CHECK_INT(lio_lun_get_alias(l, &s), -ENOLINK);
		CHECK_INT(lio_lun_delete(l), 0);
		CHECK(!exists("%s", p));
		lio_lun_unref(l);
	}
}

static void test_acls(struct walk *w, struct lio_tpg *tpg)
{
	struct lio_acl *a1 = NULL, *a2 = NULL, *x = NULL, **list = NULL;
	struct lio_target *tq = NULL, *tl = NULL;
	struct lio_tpg *tpq = NULL, *tpl = NULL;
	struct lio_portal *portal = NULL;
	struct lio_session s;
	unsigned depth = 0;
	char *v = NULL;
	size_t n = 0;

	CHECK_INT(lio_acl_create(tpg, "iqn.1994-05.com.redhat:client1", &a1), 0);
	CHECK_STR(lio_acl_wwn(a1), "iqn.1994-05.com.redhat:client1");
	CHECK(lio_acl_tpg(a1) == tpg);
	CHECK_INT(lio_acl_create(tpg, "IQN.1994-05.com.redhat:client1", &x), -EEXIST);
	CHECK_STR(lio_errmsg(w->ctx), "ACL for iqn.1994-05.com.redhat:client1 already exists");
	CHECK_INT(lio_acl_create(tpg, "not a wwn", &x), -EINVAL);
	CHECK_INT(lio_acl_create(tpg, "iqn.1994-05.com.redhat:client2", &a2), 0);
	CHECK_INT(lio_acl_lookup(tpg, "iqn.1994-05.com.redhat:client3", &x), -ENOENT);
	CHECK_INT(lio_acl_lookup(tpg, "iqn.1994-05.com.redhat:client2", &x), 0);
	lio_acl_unref(x);
	CHECK_INT(lio_acl_list(tpg, &list, &n), 0);
	CHECK_INT(n, 2);
	if (n == 2) {
		CHECK_STR(lio_acl_wwn(list[0]), "iqn.1994-05.com.redhat:client1");
		CHECK_STR(lio_acl_wwn(list[1]), "iqn.1994-05.com.redhat:client2");
	}
	lio_list_free(list, n);

	CHECK_INT(lio_acl_get_tag(a1, &v), 0);
	CHECK_STR(v, "");
	free(v);
	CHECK_INT(lio_acl_set_tag(a1, "grp"), 0);
	CHECK_FILE("grp", "%s/tag", lio_obj_path(lio_obj(a1)));
	CHECK_INT(lio_acl_get_tag(a1, &v), 0);
	CHECK_STR(v, "grp");
	free(v);
	CHECK_INT(lio_acl_set_tag(a1, "a.b"), -EINVAL);
	CHECK_STR(lio_errmsg(w->ctx), "'.' not permitted in tag names.");
	CHECK_INT(lio_acl_set_tag(a1, NULL), 0);
	CHECK_FILE("NULL", "%s/tag", lio_obj_path(lio_obj(a1)));
	CHECK_INT(lio_acl_get_tag(a1, &v), 0);
	CHECK_STR(v, "");
	free(v);

	CHECK_INT(lio_acl_get_cmdsn_depth(a1, &depth), 0);
	CHECK_INT(depth, 64);
	CHECK_INT(lio_acl_set_cmdsn_depth(a1, 128), 0);
	CHECK_FILE("128", "%s/cmdsn_depth", lio_obj_path(lio_obj(a1)));

	CHECK_INT(lio_acl_get_session(a1, &s), 0);
	CHECK(!s.active);
	lio_session_clear(&s);
	put_file(lio_obj_path(lio_obj(a1)), "info", info_one);
	CHECK_INT(lio_acl_get_session(a1, &s), 0);
	CHECK(s.active && s.nconns == 1);
	lio_session_clear(&s);

	/* Hardware fabric: colon-separated ACL names. */
	CHECK_INT(lio_target_lookup(w->ctx, w->qla, "naa.2100001b32812345", &tq), 0);
	CHECK_INT(lio_tpg_lookup(tq, 1, &tpq), 0);
	CHECK_INT(lio_acl_create(tpq, "naa.2100001b32899999", &x), 0);
	CHECK(exists("%s/acls/21:00:00:1b:32:89:99:99", lio_obj_path(lio_obj(tpq))));
	lio_acl_unref(x);
	CHECK_INT(lio_acl_list(tpq, &list, &n), 0);
	CHECK_INT(n, 1);
	if (n == 1)
		CHECK_STR(lio_acl_wwn(list[0]), "naa.2100001b32899999");
	lio_list_free(list, n);
	/* No info file (not iSCSI): no session, no error. */
	CHECK_INT(lio_acl_lookup(tpq, "21:00:00:1b:32:89:99:99", &x), 0);
	CHECK_INT(lio_acl_get_session(x, &s), 0);
	CHECK(!s.active);
	lio_session_clear(&s);
	lio_acl_unref(x);
	lio_tpg_unref(tpq);
	lio_target_unref(tq);

	/* A fabric without ACLs. */
	CHECK_INT(lio_target_create(w->ctx, w->loop, "naa.5001405000000003", &tl), 0);
	CHECK_INT(lio_tpg_create(tl, 0, &tpl), 0);
	CHECK_INT(lio_acl_create(tpl, "naa.5001405000000004", &x), -EOPNOTSUPP);
	CHECK_STR(lio_errmsg(w->ctx), "fabric loopback has no ACLs");
	CHECK_INT(lio_acl_list(tpl, &list, &n), 0);
	CHECK_INT(n, 0);
	lio_list_free(list, n);
	CHECK_INT(lio_portal_create(tpl, "0.0.0.0", 3260, &portal), -EOPNOTSUPP);
	lio_tpg_unref(tpl);
	lio_target_unref(tl);

	lio_acl_unref(a1);
	lio_acl_unref(a2);
}

static void test_mapped_luns(struct walk *w, struct lio_tpg *tpg)
{
	struct lio_acl *a1 = NULL, *a2 = NULL;
	struct lio_mapped_lun *m = NULL, **list = NULL;
	struct lio_lun *l0 = NULL;
	char longalias[300], *s = NULL;
	unsigned idx = 99;
	size_t n = 0;
	bool wp = true;

	CHECK_INT(lio_acl_lookup(tpg, "iqn.1994-05.com.redhat:client1", &a1), 0);
	CHECK_INT(lio_acl_lookup(tpg, "iqn.1994-05.com.redhat:client2", &a2), 0);

	CHECK_INT(lio_mapped_lun_create(a1, 0, 0, false, "m0", &m), 0);
	CHECK(lio_mapped_lun_acl(m) == a1);
	CHECK_INT(lio_mapped_lun_index(m), 0);
	CHECK_INT(lio_mapped_lun_get_tpg_lun(m, &idx), 0);
	CHECK_INT(idx, 0);
	CHECK_INT(lio_mapped_lun_get_alias(m, &s), 0);
	CHECK_STR(s, "m0");
	free(s);
	CHECK_INT(lio_mapped_lun_get_write_protect(m, &wp), 0);
	CHECK(!wp);
	lio_mapped_lun_unref(m);

	CHECK_INT(lio_mapped_lun_create(a1, 0, 1, false, NULL, &m), -EEXIST);
	CHECK_INT(lio_mapped_lun_create(a1, 1, 5, false, NULL, &m), -ENOENT);
	CHECK_STR(lio_errmsg(w->ctx), "LUN 5 does not exist in this TPG");
	CHECK(!exists("%s/lun_1", lio_obj_path(lio_obj(a1))));

	CHECK_INT(lio_mapped_lun_create(a1, 1, 10, true, "m1", &m), 0);
	CHECK_FILE("1", "%s/write_protect", lio_obj_path(lio_obj(m)));
	CHECK_INT(lio_mapped_lun_get_write_protect(m, &wp), 0);
	CHECK(wp);
	CHECK_INT(lio_mapped_lun_set_write_protect(m, false), 0);
	CHECK_FILE("0", "%s/write_protect", lio_obj_path(lio_obj(m)));
	CHECK_INT(lio_mapped_lun_get_tpg_lun(m, &idx), 0);
	CHECK_INT(idx, 10);
	lio_mapped_lun_unref(m);

	CHECK_INT(lio_mapped_lun_create(a2, 0, 0, false, NULL, &m), 0);
	lio_mapped_lun_unref(m);
	CHECK_INT(lio_mapped_lun_create(a2, 3, 1, true, "a/b", &m), -EINVAL);
	memset(longalias, 'a', sizeof(longalias) - 1);
	longalias[sizeof(longalias) - 1] = '\0';
	CHECK_INT(lio_mapped_lun_create(a2, 4, 1, false, longalias, &m), -ENAMETOOLONG);
	CHECK(!exists("%s/lun_4", lio_obj_path(lio_obj(a2))));
	/* write_protect refused after mkdir and link: both are undone. */
	fail_write = "/lun_4/write_protect";
	CHECK_INT(lio_mapped_lun_create(a2, 4, 1, true, "m4", &m), -EIO);
	fail_write = NULL;
	CHECK(!exists("%s/lun_4", lio_obj_path(lio_obj(a2))));
	CHECK_INT(lio_mapped_lun_create(a2, 5, 1, false, "m5", &m), 0);
	lio_mapped_lun_unref(m);

	CHECK_INT(lio_mapped_lun_list(a1, &list, &n), 0);
	CHECK_INT(n, 2);
	if (n == 2) {
		CHECK_INT(lio_mapped_lun_index(list[0]), 0);
		CHECK_INT(lio_mapped_lun_index(list[1]), 1);
	}
	lio_list_free(list, n);
	CHECK_INT(lio_mapped_lun_lookup(a1, 7, &m), -ENOENT);

	/* Deleting TPG LUN 0 takes the mapped LUNs that point at it first. */
	log_clear();
	CHECK_INT(lio_lun_lookup(tpg, 0, &l0), 0);
	CHECK_INT(lio_lun_delete(l0), 0);
	CHECK(!exists("%s/lun_0", lio_obj_path(lio_obj(a1))));
	CHECK(!exists("%s/lun_0", lio_obj_path(lio_obj(a2))));
	CHECK(exists("%s/lun_1", lio_obj_path(lio_obj(a1))));
	CHECK(exists("%s/lun_5", lio_obj_path(lio_obj(a2))));
	CHECK(!lio_obj_exists(lio_obj(l0)));
	{
		int um = log_find("unlink", "client1/lun_0/m0");
		int rm = log_find("rmdir", "client1/lun_0");
		int ul = log_find("unlink", "tpgt_1/lun/lun_0/");
		int rl = log_find("rmdir", "tpgt_1/lun/lun_0");

		/* the LUN's link has a generated name: find it by prefix */
		for (int i = 0; i < nlog && ul < 0; i++)
			if (!strncmp(oplog[i], "unlink ", 7) && strstr(oplog[i], "tpgt_1/lun/lun_0/"))
				ul = i;
		CHECK(um >= 0 && rm > um);
		CHECK(ul > rm && rl > ul);
		CHECK(log_find("rmdir", "client2/lun_0") < rl);
	}
	lio_lun_unref(l0);

	/* A mapped LUN whose link went away reads as broken. */
	{
		char p[PATH_MAX];

		snprintf(p, sizeof(p), "%s/lun_9", lio_obj_path(lio_obj(a2)));
		mkdir(p, 0755);
		CHECK_INT(lio_mapped_lun_lookup(a2, 9, &m), 0);
		CHECK_INT(lio_mapped_lun_get_tpg_lun(m, &idx), -ENOLINK);
		CHECK_INT(lio_mapped_lun_delete(m), 0);
		lio_mapped_lun_unref(m);
	}
	lio_acl_unref(a1);
	lio_acl_unref(a2);
}

static void test_portals(struct walk *w, struct lio_tpg *tpg)
{
	struct lio_portal *p = NULL, *q = NULL, **list = NULL;
	size_t n = 0;
	bool on = true;

	CHECK_INT(lio_portal_create(tpg, "0.0.0.0", 3260, &p), 0);
	CHECK_STR(lio_portal_ip(p), "0.0.0.0");
	CHECK_INT(lio_portal_port(p), 3260);
	CHECK(exists("%s/np/0.0.0.0:3260", lio_obj_path(lio_obj(tpg))));
	CHECK_INT(lio_portal_create(tpg, "0.0.0.0", 3260, &q), -EEXIST);
	CHECK_STR(lio_errmsg(w->ctx), "Portal 0.0.0.0:3260 already exists");
	CHECK_INT(lio_portal_create(tpg, "::0", 3260, &q), 0);
	CHECK_STR(lio_portal_ip(q), "[::0]");
	CHECK(exists("%s/np/[::0]:3260", lio_obj_path(lio_obj(tpg))));
	lio_portal_unref(q);
	CHECK_INT(lio_portal_create(tpg, "1.2.3", 3260, &q), -EINVAL);
	CHECK_STR(lio_errmsg(w->ctx), "Invalid IP address 1.2.3");
	CHECK_INT(lio_portal_create(tpg, "1.2.3.4", 70000, &q), -EINVAL);

	CHECK_INT(lio_portal_list(tpg, &list, &n), 0);
	CHECK_INT(n, 2);
	if (n == 2) {
		CHECK_STR(lio_portal_ip(list[0]), "0.0.0.0");
		CHECK_STR(lio_portal_ip(list[1]), "[::0]");
		CHECK_INT(lio_portal_port(list[1]), 3260);
	}
	lio_list_free(list, n);
	CHECK_INT(lio_portal_lookup(tpg, "::0", 3260, &q), 0);
	lio_portal_unref(q);
	CHECK_INT(lio_portal_lookup(tpg, "[::0]", 3261, &q), -ENOENT);

	CHECK_INT(lio_portal_get_iser(p, &on), 0);
	CHECK(!on);
	CHECK_INT(lio_portal_set_iser(p, true), 0);
	CHECK_FILE("1", "%s/iser", lio_obj_path(lio_obj(p)));
	CHECK_INT(lio_portal_get_iser(p, &on), 0);
	CHECK(on);
	CHECK_INT(lio_portal_get_offload(p, &on), 0);
	CHECK(!on);
	CHECK_INT(lio_portal_set_offload(p, true), -EOPNOTSUPP);
	CHECK_INT(lio_portal_set_offload(p, false), 0);
	lio_portal_unref(p);
}

/* Delete the whole target and check the 3.7 order in the log. */
static void test_delete_order(struct walk *w)
{
	struct lio_target *t1 = NULL;
	int enable, last_mlun = -1, first_acl = INT_MAX, last_acl = -1, first_lun = INT_MAX,
		    last_lun = -1, first_np = INT_MAX, iser, tpgt, target;
	char dir[PATH_MAX];

	CHECK_INT(lio_target_lookup(w->ctx, w->iscsi, "iqn.2003-01.org.example:t1", &t1), 0);
	snprintf(dir, sizeof(dir), "%s", lio_obj_path(lio_obj(t1)));
	log_clear();
	CHECK_INT(lio_target_delete(t1), 0);
	lio_target_unref(t1);
	CHECK(!exists("%s", dir));

	for (int i = 0; i < nlog; i++) {
		const char *e = oplog[i];

		if (!strncmp(e, "rmdir ", 6) && strstr(e, "/acls/") && strstr(e, "/lun_"))
			last_mlun = i;
		else if (!strncmp(e, "rmdir ", 6) && strstr(e, "/acls/")) {
			first_acl = i < first_acl ? i : first_acl;
			last_acl = i;
		} else if (!strncmp(e, "rmdir ", 6) && strstr(e, "/lun/lun_")) {
			first_lun = i < first_lun ? i : first_lun;
			last_lun = i;
		} else if (!strncmp(e, "rmdir ", 6) && strstr(e, "/np/"))
			first_np = i < first_np ? i : first_np;
	}
	enable = log_find("write", "tpgt_1/enable");
	iser = log_find("write", "np/0.0.0.0:3260/iser");
	tpgt = log_find("rmdir", "tpgt_1");
	target = log_find("rmdir", "iqn.2003-01.org.example:t1");
	CHECK_INT(enable, 0);
	if (getenv("LIO_TEST_LOG"))
		for (int i = 0; i < nlog; i++)
			fprintf(stderr, "# %s\n", oplog[i]);
	/* Per ACL: link, mapped LUN, then the ACL. */
	CHECK(enable < log_find("unlink", "client1/lun_1/m1"));
	CHECK(log_find("unlink", "client1/lun_1/m1") < log_find("rmdir", "client1/lun_1"));
	CHECK(log_find("rmdir", "client1/lun_1") < log_find("rmdir", "redhat:client1"));
	CHECK(log_find("rmdir", "client2/lun_5") < log_find("rmdir", "redhat:client2"));
	CHECK(last_mlun > enable && last_mlun < last_acl && first_acl > enable);
	CHECK(last_acl >= 0 && last_acl < first_lun);
	CHECK(last_lun >= 0 && last_lun < iser);
	CHECK(iser >= 0 && iser < first_np);
	CHECK(tpgt > first_np && target == nlog - 1);
	/* Only the portal with iSER on gets a write; no cxgbit file, no write. */
	CHECK_INT(log_count("write", "/iser"), 1);
	CHECK_INT(log_count("write", "/cxgbit"), 0);
	/* Nothing but the fabric's own entries is left. */
	{
		struct lio_target **list = NULL;
		size_t n = 9;

		CHECK_INT(lio_target_list(w->ctx, w->iscsi, &list, &n), 0);
		CHECK_INT(n, 0);
		lio_list_free(list, n);
	}
}

static void test_clear(struct walk *w, struct lio_so **so)
{
	struct lio_target *t = NULL;
	struct lio_tpg *tpg = NULL;
	struct lio_lun *l = NULL;
	struct lio_acl *a = NULL;
	struct lio_mapped_lun *m = NULL;
	char p[PATH_MAX];

	CHECK_INT(lio_target_create(w->ctx, w->iscsi, "iqn.2003-01.org.example:t2", &t), 0);
	CHECK_INT(lio_tpg_create(t, 0, &tpg), 0);
	CHECK_INT(lio_lun_create(tpg, so[0], -1, NULL, &l), 0);
	CHECK_INT(lio_acl_create(tpg, "iqn.1994-05.com.redhat:client1", &a), 0);
	CHECK_INT(lio_mapped_lun_create(a, 0, 0, false, NULL, &m), 0);
	CHECK_INT(lio_discovery_auth_set(w->ctx, w->iscsi, LIO_AUTH_PASSWORD, "secret"), 0);
	/* An HBA left without an object, and the core's alua directory. */
	snprintf(p, sizeof(p), "%s/core/pscsi_9", w->tgt);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/core/alua", w->tgt);
	mkdir(p, 0755);

	CHECK_MSG(lio_clear(w->ctx) == 0, "%s", lio_errmsg(w->ctx));
	for (size_t i = 0; i < lio_fabric_count(); i++) {
		struct lio_target **list = NULL;
		size_t n = 9;

		CHECK_INT(lio_target_list(w->ctx, lio_fabric_at(i), &list, &n), 0);
		CHECK_MSG(n == 0, "%s has %zu targets", lio_fabric_at(i)->name, n);
		lio_list_free(list, n);
	}
	CHECK_FILE("NULL", "%s/iscsi/discovery_auth/password", w->tgt);
	CHECK_FILE("NULL", "%s/iscsi/discovery_auth/userid_mutual", w->tgt);
	CHECK_FILE("0", "%s/iscsi/discovery_auth/enforce_discovery_auth", w->tgt);
	CHECK(!exists("%s/core/fileio_0", w->tgt));
	CHECK(!exists("%s/core/rd_mcp_1", w->tgt));
	CHECK(!exists("%s/core/pscsi_9", w->tgt));
	CHECK(exists("%s/core/alua", w->tgt));
	lio_mapped_lun_unref(m);
	lio_acl_unref(a);
	lio_lun_unref(l);
	lio_tpg_unref(tpg);
	lio_target_unref(t);
}

static void test_walk(void)
{
	struct walk w = { 0 };
	struct lio_target *t1 = NULL;
	struct lio_tpg *tpg = NULL;
	struct lio_so *so[4] = { 0 };
	char tmpl[] = "/tmp/lio-fabric-XXXXXX", p[PATH_MAX];

	if (!mkdtemp(tmpl) || !realpath(tmpl, p) || strlen(p) >= sizeof(fake_root)) {
		CHECK_MSG(0, "mkdtemp: %s", strerror(errno));
		return;
	}
	memcpy(fake_root, p, strlen(p) + 1);
	fake_len = strlen(fake_root);
	snprintf(w.tgt, sizeof(w.tgt), "%s/target", fake_root);
	mkdir(w.tgt, 0755);
	snprintf(p, sizeof(p), "%s/target/core", fake_root);
	mkdir(p, 0755);
	CHECK_INT(lio_new(&w.ctx, fake_root), 0);
	lio_set_autoload(w.ctx, false);
	snprintf(p, sizeof(p), "%s/lock", fake_root);
	lio_set_lock_path(w.ctx, p);
	lio_set_note_fn(w.ctx, note_cb, NULL);
	w.iscsi = lio_fabric_find("iscsi");
	w.loop = lio_fabric_find("loopback");
	w.qla = lio_fabric_find("qla2xxx");

	test_hw_wwns(w.ctx, fake_root);
	test_so_path(&w);
	test_targets(&w);
	test_tpgs(&w);

	so[0] = make_so(&w, "fileio_0", "disk1");
	so[1] = make_so(&w, "rd_mcp_1", "ram1");
	so[2] = make_so(&w, "iblock_3", "blk");
	so[3] = make_so(&w, "rd_mcp_4", "ram2");
	CHECK_INT(lio_target_lookup(w.ctx, w.iscsi, "iqn.2003-01.org.example:t1", &t1), 0);
	CHECK_INT(lio_tpg_lookup(t1, 1, &tpg), 0);
	if (tpg && so[3]) {
		test_luns(&w, tpg, so);
		test_acls(&w, tpg);
		test_mapped_luns(&w, tpg);
		test_portals(&w, tpg);
		test_delete_order(&w);
		test_clear(&w, so);
	}
	lio_tpg_unref(tpg);
	lio_target_unref(t1);
	for (size_t i = 0; i < ARRAY_SIZE(so); i++)
		lio_obj_unref(lio_obj(so[i]));
	lio_unref(w.ctx);
	log_clear();
	fake_len = 0;
	rm_rf(fake_root);
}

int main(void)
{
	test_table();
	test_wwn_dirs();
	test_canon_ip();
	test_sessions();
	test_walk();
	return tap_done();
}
