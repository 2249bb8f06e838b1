#include <qlconfig.h>

#include "output.h"

#include <errno.h>
#include <string.h>

int out_shell_quote(struct strbuf *sb, const char *word)
{
	static const char safe[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				   "0123456789_-./:=,+@%^";
	const char *q;
	int r;

	/* a word that starts with '=' is a command path to zsh (=cmd) */
	if (*word && *word != '=' && word[strspn(word, safe)] == '\0')
		return sb_adds(sb, word);
	r = sb_addc(sb, '\'');
	while (r == 0 && (q = strchr(word, '\''))) {
		r = sb_add(sb, word, (size_t)(q - word));
		if (r == 0)
			r = sb_adds(sb, "'\\''");
		word = q + 1;
	}
	if (r == 0)
		r = sb_adds(sb, word);
	return r ? r : sb_addc(sb, '\'');
}

/* Length of the UTF-8 sequence at s, or 0 if it is not valid. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n;
	unsigned cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return n;
}

int out_json_string(struct strbuf *sb, const char *word)
{
	const unsigned char *s = (const unsigned char *)word;
	int r = sb_addc(sb, '"');

	while (r == 0 && *s) {
		size_t n = utf8_len(s);

		if (n == 0)
			return -EILSEQ;
		if (*s == '"' || *s == '\\')
			r = sb_printf(sb, "\\%c", *s);
		else if (*s == '\n')
			r = sb_adds(sb, "\\n");
		else if (*s == '\t')
			r = sb_adds(sb, "\\t");
		else if (*s < 0x20 || *s == 0x7f)
			r = sb_printf(sb, "\\u%04x", *s);
		else
			r = sb_add(sb, (const char *)s, n);
		s += n;
	}
	return r ? r : sb_addc(sb, '"');
}

int out_render(const struct strv *argv, enum out_format fmt,
	       struct strbuf *sb, size_t *bad)
{
	int r = fmt == OUT_JSON ? sb_addc(sb, '[') : 0;

	for (size_t i = 0; i < argv->n && r == 0; i++) {
		switch (fmt) {
		case OUT_SHELL:
			if (i)
				r = sb_addc(sb, ' ');
			if (r == 0)
				r = out_shell_quote(sb, argv->v[i]);
			break;
		case OUT_NULL:
			r = sb_add(sb, argv->v[i], strlen(argv->v[i]) + 1);
			break;
		case OUT_JSON:
			if (i)
				r = sb_adds(sb, ", ");
			if (r == 0)
				r = out_json_string(sb, argv->v[i]);
			if (r == -EILSEQ)
				*bad = i;
			break;
		}
	}
	if (r == 0 && fmt == OUT_JSON)
		r = sb_addc(sb, ']');
	if (r == 0 && fmt != OUT_NULL)
		r = sb_addc(sb, '\n');
	return r;
}
