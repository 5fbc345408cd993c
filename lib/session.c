/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * iSCSI sessions, parsed from an ACL's info file. The kernel
 * (iscsi_target_configfs.c, lio_target_nacl_info_show) prints either
 *   No active iSCSI Session for Initiator Endpoint: <iqn>
 * or
 *   InitiatorName: <iqn>
 *   InitiatorAlias: <alias>
 *   LIO Session ID: 1   ISID: 0x... TSIH: 1  SessionType: Normal
 *   Session State: TARG_SESS_STATE_LOGGED_IN
 *   ...
 *   CID: 0  Connection State: TARG_CONN_STATE_LOGGED_IN
 *      Address 192.168.1.2 TCP  StatSN: 0x...
 * The reading follows rtslib's NodeACL._get_session.
 */
#include <ctype.h>
#include <stdio.h>

#include "private.h"

/* A copy of the whitespace-delimited token at @s (after leading blanks). */
static char *token(const char *s)
{
	size_t len;

	while (*s && isspace((unsigned char)*s))
		s++;
	for (len = 0; s[len] && !isspace((unsigned char)s[len]); len++)
		;
	return strndup(s, len);
}

/* Token number @n (0-based) of @s. */
static char *nth_token(const char *s, int n)
{
	for (;;) {
		while (*s && isspace((unsigned char)*s))
			s++;
		if (!*s || n-- == 0)
			break;
		while (*s && !isspace((unsigned char)*s))
			s++;
	}
	return token(s);
}

static bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static int set_str(char **field, char *value)
{
	if (!value)
		return -ENOMEM;
	free(*field);
	*field = value;
	return 0;
}

static int parse_line(const char *line, struct lio_session *s)
{
	const char *p;

	if (starts_with(line, "InitiatorName:")) {
		s->active = true;
		return 0;
	}
	if (starts_with(line, "InitiatorAlias:")) {
		size_t len;

		p = line + strlen("InitiatorAlias:");
		while (*p == ' ' || *p == '\t')
			p++;
		len = strlen(p);
		while (len > 0 && isspace((unsigned char)p[len - 1]))
			len--;
		return set_str(&s->alias, strndup(p, len));
	}
	if (starts_with(line, "LIO Session ID:")) {
		_cleanup_free_ char *id = token(line + strlen("LIO Session ID:"));

		if (!id)
			return -ENOMEM;
		s->id = strtoul(id, NULL, 10);
		p = strstr(line, "SessionType:");
		return p ? set_str(&s->type, token(p + strlen("SessionType:"))) : 0;
	}
	if ((p = strstr(line, "TARG_SESS_STATE_")))
		return set_str(&s->state, token(p + strlen("TARG_SESS_STATE_")));
	if (strstr(line, "TARG_SESS_FREE"))
		return set_str(&s->state, strdup("FREE"));
	/* "CID: 0  Connection State: ..." starts a connection. */
	if (starts_with(line, "CID:") || strstr(line, "TARG_CONN_STATE_")) {
		struct lio_connection *c;
		_cleanup_free_ char *cid = NULL;

		c = realloc(s->conns, (s->nconns + 1) * sizeof(*c));
		if (!c)
			return -ENOMEM;
		s->conns = c;
		c = &s->conns[s->nconns++];
		memset(c, 0, sizeof(*c));
		p = strchr(line, ':');
		cid = token(p ? p + 1 : line);
		if (!cid)
			return -ENOMEM;
		c->cid = (unsigned)strtoul(cid, NULL, 10);
		p = strstr(line, "TARG_CONN_STATE_");
		c->state = p ? token(p + strlen("TARG_CONN_STATE_")) : strdup("UNKNOWN");
		return c->state ? 0 : -ENOMEM;
	}
	/* "   Address 192.168.1.2 TCP  StatSN: 0x..." (IPv6 unbracketed). */
	if (strstr(line, "Address") && s->nconns) {
		struct lio_connection *c = &s->conns[s->nconns - 1];
		int r = set_str(&c->address, nth_token(line, 1));

		return r < 0 ? r : set_str(&c->transport, nth_token(line, 2));
	}
	return 0;
}

int lio_session_parse(const char *text, struct lio_session *session)
{
	const char *line = text ? text : "";
	int r = 0;

	memset(session, 0, sizeof(*session));
	while (*line == '\n')
		line++;
	if (!*line || starts_with(line, "No active"))
		return 0;
	/* Whatever the first line, text that is not "No active" is a session. */
	session->active = true;
	while (*line) {
		size_t len = strcspn(line, "\n");
		_cleanup_free_ char *copy = strndup(line, len);

		if (!copy) {
			r = -ENOMEM;
			break;
		}
		r = parse_line(copy, session);
		if (r < 0)
			break;
		line += len;
		if (*line)
			line++;
	}
	if (r < 0)
		lio_session_clear(session);
	return r;
}

void lio_session_clear(struct lio_session *session)
{
	if (!session)
		return;
	free(session->alias);
	free(session->type);
	free(session->state);
	for (size_t i = 0; i < session->nconns; i++) {
		free(session->conns[i].state);
		free(session->conns[i].address);
		free(session->conns[i].transport);
	}
	free(session->conns);
	memset(session, 0, sizeof(*session));
}

int lio_acl_get_session(struct lio_acl *acl, struct lio_session *session)
{
	struct lio_ctx *ctx = lio_obj_ctx(lio_obj(acl));
	_cleanup_free_ char *path = lio_obj_file(lio_obj(acl), NULL, "info");
	_cleanup_free_ char *text = NULL;
	int r;

	memset(session, 0, sizeof(*session));
	if (!path)
		return lio_err(ctx, -ENOMEM, "Out of memory");
	if (!lio_obj_exists(lio_obj(acl)))
		return lio_err(ctx, -ENOENT, "No ACL for %s", lio_acl_wwn(acl));
	/* Only iSCSI ACLs have an info file; others show no session. */
	if (lio_read_file_quiet(path, &text) < 0)
		return 0;
	r = lio_session_parse(text, session);
	if (r < 0)
		return lio_err(ctx, r, "Out of memory");
	return 0;
}
