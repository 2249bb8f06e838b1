/*
 * Shared base files: a config's [include] section.
 *
 *   [include]
 *   path   = BASE...         base files, blank-separated, merged in order
 *   remove = SECTION...      sections of the bases to drop: TYPE or TYPE.ID
 *   unset  = SECTION:KEY...  keys of the bases' sections to drop
 *
 * The result is one config: the bases merged in order (a later base's key
 * wins over an earlier one's, key by key), then remove and unset applied,
 * then the including file's own sections on top, again key by key.  A
 * section keeps the place where it first appeared; every key keeps the
 * file and line its value came from, so each message names the file the
 * user has to edit.  A base may include bases of its own (depth at most
 * INC_MAX_DEPTH, INC_MAX_FILES files in all, no cycles).  Relative names
 * resolve against the including file's directory.
 *
 * Bases are read only from places no other user can change: qlaunch runs
 * as root, and whoever could swap a base file could change the VM.  A
 * base must be a regular file of root or the effective user that neither
 * group nor others may write, in directories that sd_check_tree accepts.
 */
#ifndef QL_INCLUDE_H
#define QL_INCLUDE_H

#include "config.h"
#include "diag.h"

#define INC_SECTION "include"
#define INC_MAX_DEPTH 8
#define INC_MAX_FILES 64

/* Load path with the bases it includes, merged (the merged config has no
 * [include] section).  Like cfg_load: 0 and *out, or every problem in dg
 * and -EINVAL/-ENOMEM/-errno with *out NULL. */
int inc_load(const char *path, struct diag *dg, struct cfg **out);

#endif
