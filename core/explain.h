/*
 * 'qlaunch print --explain': the command line option by option, each
 * after the section that wrote it and the file and line of every key of
 * that section, so that with base files and plugin sets one can see which
 * file to edit.
 */
#ifndef QL_EXPLAIN_H
#define QL_EXPLAIN_H

#include "build.h"
#include "config.h"
#include "strbuf.h"

/* Append the explanation of l, built from cfg, to sb.  0 or -ENOMEM. */
int xp_explain(const struct launch *l, const struct cfg *cfg, struct strbuf *sb);

#endif
