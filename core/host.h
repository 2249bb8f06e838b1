/*
 * The host API handed to plugins (struct ql_host_api) and the state it
 * writes to while one configuration is turned into argv.
 */
#ifndef QL_HOST_H
#define QL_HOST_H

#include <stddef.h>

#include <qlaunch/plugin.h>

#include "arena.h"
#include "argv.h"
#include "config.h"
#include "diag.h"
#include "fdpass.h"
#include "seed.h"
#include "strmap.h"
#include "strbuf.h"

/* A reference recorded by require_id, checked once every section is read. */
struct host_ref {
	char *type;
	char *id;
	const struct cfg_section *sec;
	const char *key;     /* borrowed from the section */
	const char *file;    /* where the key (or section) came from */
	unsigned line;
};

/* Everything one build writes; shared by the ctx of each section. */
struct fd_table;

struct host_state {
	const char *file;    /* config path, for messages */
	const struct fd_table *fdt; /* the [fd.NAME] declarations */
	enum ql_mode mode;
	struct diag *dg;
	struct strv argv;    /* QEMU's arguments after argv[0] */
	struct fdp_table fdp; /* the fds QEMU will see (fdpass.h) */
	struct host_ref *refs;
	size_t nrefs;
	struct arena strings; /* what api->format returned */
	const struct cfg *cfg; /* the whole configuration, for peek */
	struct strmap counters; /* api->counter's names (in strings) */
	struct seed_list seeds; /* api->seed_file's files, made in run mode */
};

/* What checking one section's keys against its type found. */
struct sec_check {
	unsigned char *bad;  /* bad[i]: key i of the section failed (reported) */
	int failed;          /* a problem with the section was reported */
};

struct ql_ctx {
	struct host_state *st;
	const struct cfg_section *sec;
	const struct ql_section_type *type;
	struct sec_check *check;
	struct av_opt opt;
};

extern const struct ql_host_api host_api;

/* Run emit (NULL: the generic emitter) on sec, checked as check says;
 * returns its result (errors are in dg). */
int host_emit(struct host_state *st, const struct cfg_section *sec,
	      const struct ql_section_type *type, struct sec_check *check,
	      ql_emit_fn *emit);

/* Report at key's line (key may be NULL) of the ctx's section; -EINVAL. */
int host_error(struct ql_ctx *ctx, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* opt_pair with the QEMU key and the INI key it came from (for the
 * message) told apart. */
int host_opt_pair_at(struct ql_ctx *ctx, const char *ini_key,
		     const char *qemu_key, const char *value);

/* "[a.ID], [b.ID] or [c.ID]" for the blank-separated types, into sb. */
int host_describe_types(struct strbuf *sb, const char *types);

/* Report every reference to a section that does not exist. */
int host_check_refs(struct host_state *st, const struct cfg *cfg);

/* Frees everything, closing fds still owned. */
void host_state_release(struct host_state *st);

#endif
