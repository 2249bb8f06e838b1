#include <qlconfig.h>

#include "argv.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

int av_escape(struct strbuf *sb, const char *s)
{
	const char *comma;
	int r;

	while ((comma = strchr(s, ','))) {
		r = sb_add(sb, s, (size_t)(comma - s) + 1);
		if (r < 0 || (r = sb_addc(sb, ',')) < 0)
			return r;
		s = comma + 1;
	}
	return sb_adds(sb, s);
}

int av_valid_key(const char *key)
{
	if (!*key)
		return 0;
	for (; *key; key++)
		if (!isalnum((unsigned char)*key) && !strchr("_.-", *key))
			return 0;
	return 1;
}

int av_opt_begin(struct av_opt *o, const char *flag)
{
	av_opt_release(o);
	o->flag = strdup(flag);
	return o->flag ? 0 : -ENOMEM;
}

static int av_sep(struct av_opt *o)
{
	return o->body.len ? sb_addc(&o->body, ',') : 0;
}

int av_opt_value(struct av_opt *o, const char *value)
{
	int r = av_sep(o);

	return r < 0 ? r : av_escape(&o->body, value);
}

int av_opt_pair(struct av_opt *o, const char *key, const char *value)
{
	int r = av_sep(o);

	if (r < 0 || (r = sb_adds(&o->body, key)) < 0 ||
	    (r = sb_addc(&o->body, '=')) < 0)
		return r;
	return av_escape(&o->body, value);
}

int av_opt_end(struct av_opt *o, struct strv *argv)
{
	int r = sv_push(argv, o->flag);

	if (r == 0)
		r = sv_take(argv, sb_detach(&o->body));
	av_opt_release(o);
	return r;
}

void av_opt_release(struct av_opt *o)
{
	if (!o)
		return;
	free(o->flag);
	o->flag = NULL;
	sb_release(&o->body);
}
