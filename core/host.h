/*
 * The host API handed to plugins (struct ql_host_api) and the state it
 * writes to while one configuration is turned into argv.
 */
#ifndef QL_HOST_H
#define QL_HOST_H

#include <stddef.h>

#include <qlaunch/plugin.h>

#include "argv.h"
#include "config.h"
#include "diag.h"
#include "strbuf.h"

/* A reference recorded by require_id, checked once every section is read. */
struct host_ref {
	char *type;
	char *id;
	const struct cfg_section *sec;
	const char *key;     /* borrowed from the section */
	unsigned line;
};

/* An fd a plugin asked for, to be opened once everything is valid. */
struct host_pending {
	const struct cfg_section *sec;
	const char *key;     /* may be NULL */
	ql_open_fn *open;
	const char *arg;
	size_t slot;         /* index into fds */
};

/* Everything one build writes; shared by the ctx of each section. */
struct fd_table;

struct host_state {
	const char *file;    /* config path, for messages */
	const struct fd_table *fdt; /* the [fd.NAME] declarations */
	enum ql_mode mode;
	struct diag *dg;
	struct strv argv;    /* QEMU's arguments after argv[0] */
	int *fds;            /* fds for QEMU: fds[i] becomes fd 3 + i; -1 in dry
			      * modes and, until they are opened, for [fd.NAME] */
	size_t nfds;
	struct host_ref *refs;
	size_t nrefs;
	struct host_pending *pending;
	size_t npending;
};

struct ql_ctx {
	struct host_state *st;
	const struct cfg_section *sec;
	struct av_opt opt;
};

extern const struct ql_host_api host_api;

/* Run one emit callback on sec; returns its result (errors are in dg). */
int host_emit(struct host_state *st, const struct cfg_section *sec,
	      ql_emit_fn *emit);

/* Run mode: open the fds plugins asked for.  Reports failures. */
int host_open_pending(struct host_state *st);

/* Report every reference to a section that does not exist. */
int host_check_refs(struct host_state *st, const struct cfg *cfg);

/* Frees everything, closing fds still owned. */
void host_state_release(struct host_state *st);

#endif
