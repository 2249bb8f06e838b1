/*
 * Sections as their type declares them: the core's checks of every
 * declared key (struct ql_key) and the generic emitter of the shape
 * "-OPTION HEAD,EARLY...,ID_KEY=ID,KEY=VALUE... ARG...".  Plugins reach the
 * emitter through api->emit_section; a type without an emit hook gets it
 * directly.
 */
#ifndef QL_SECTION_H
#define QL_SECTION_H

#include "host.h"

/*
 * Check ctx's section against ctx->type: keys it does not declare (unless
 * QL_SECTION_PASS), a key named like the type's id_key, each declared key's
 * kind, the required keys; records the references of QL_KEY_REF keys.
 * Fills *ctx->check (release with sec_check_release); problems are
 * reported.  Returns 0 or -ENOMEM.
 */
int sec_check(struct ql_ctx *ctx);
void sec_check_release(struct sec_check *c);

/* The generic emitter; -EINVAL without a message if the check failed. */
int sec_emit(struct ql_ctx *ctx);

#endif
