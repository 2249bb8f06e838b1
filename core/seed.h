/*
 * Files a launch makes from a template before QEMU starts (api->seed_file):
 * a UEFI variable store copied from the firmware's template, say.
 */
#ifndef QL_SEED_H
#define QL_SEED_H

#include <stddef.h>

#include "argv.h"
#include "config.h"
#include "diag.h"

struct seed {
	const char *template_path;     /* or NULL: path must exist; both live
					* as long as the launch */
	const char *path;
	const struct cfg_section *sec; /* who asked, for messages */
	const char *key;               /* the key it came from, or NULL */
};

struct seed_list {
	struct seed *v;
	size_t n;
};

#define SEED_LIST_INIT { NULL, 0 }

/* Remember one; 0 or -ENOMEM. */
int seed_add(struct seed_list *l, const char *template_path, const char *path,
	     const struct cfg_section *sec, const char *key);

/*
 * Run mode, once the configuration is valid and QEMU runnable: create
 * every path that does not exist as a 0600 copy of its template,
 * atomically and never over an existing file, appending what was made to
 * created (the caller removes those if the launch fails); a path without
 * a template must exist.  An existing path must be a regular file, not a
 * symbolic link or the template, and no other user may be able to swap
 * the path (safedir.h).  file names the config, for
 * messages.  0, or -EINVAL after reporting (stopping at the first).
 */
int seed_make(const struct seed_list *l, const char *file, struct diag *dg,
	      struct strv *created);

/* Free the list; l may be NULL. */
void seed_release(struct seed_list *l);

#endif
