/*
 * The QEMU argument vector being built, and QEMU's option escaping.
 */
#ifndef QL_ARGV_H
#define QL_ARGV_H

#include "strbuf.h"

/* Append s to sb with every ',' doubled, as QEMU's option parser expects
 * inside a value ("/a,b" -> "/a,,b"). */
int av_escape(struct strbuf *sb, const char *s);

/* Is key usable as an option key: [A-Za-z0-9_.-]+ (no ',' or '=')? */
int av_valid_key(const char *key);

/*
 * A comma-separated option under construction: "-flag a,k=v,...".  Values
 * are escaped as they are added; keys are checked by the caller.
 */
struct av_opt {
	char *flag;          /* NULL when no option is open */
	struct strbuf body;
};

#define AV_OPT_INIT { NULL, STRBUF_INIT }

int av_opt_begin(struct av_opt *o, const char *flag);
int av_opt_value(struct av_opt *o, const char *value);
int av_opt_pair(struct av_opt *o, const char *key, const char *value);
/* Push flag and body to argv and close the option. */
int av_opt_end(struct av_opt *o, struct strv *argv);
void av_opt_release(struct av_opt *o);

#endif
