#include <qlconfig.h>

#include "value.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>

int val_uint(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	/* no leading zero: QEMU reads some numbers (-smp) as octal then */
	if (!*s || (s[0] == '0' && s[1]))
		return -EINVAL;
	for (; *s; s++) {
		unsigned d;

		if (!isdigit((unsigned char)*s))
			return -EINVAL;
		d = (unsigned)(*s - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int val_size(const char *s, uint64_t unit, uint64_t *out)
{
	static const char suffixes[] = "KMGT";
	size_t n = strspn(s, "0123456789");
	char digits[32];
	const char *p;
	uint64_t v, mul = unit;
	int r;

	if (n == 0 || n >= sizeof(digits))
		return n ? -ERANGE : -EINVAL;
	if (s[n]) {
		p = strchr(suffixes, toupper((unsigned char)s[n]));
		if (!p || s[n + 1])
			return -EINVAL;
		mul = (uint64_t)1 << (10 * (p - suffixes + 1));
	}
	memcpy(digits, s, n);
	digits[n] = '\0';
	r = val_uint(digits, &v);
	if (r < 0)
		return r;
	if (mul && v > UINT64_MAX / mul)
		return -ERANGE;
	*out = v * mul;
	return 0;
}

int val_bool(const char *s, int *out)
{
	static const char *const yes[] = { "on", "yes", "true" };
	static const char *const no[] = { "off", "no", "false" };

	for (size_t i = 0; i < 3; i++) {
		if (strcmp(s, yes[i]) == 0) {
			*out = 1;
			return 0;
		}
		if (strcmp(s, no[i]) == 0) {
			*out = 0;
			return 0;
		}
	}
	return -EINVAL;
}

/* Levenshtein distance, capped: anything above cap returns cap + 1. */
static size_t distance(const char *a, const char *b, size_t cap)
{
	size_t la = strlen(a), lb = strlen(b), row[64];

	if (la >= 64 || lb >= 64)
		return cap + 1;
	if ((la > lb ? la - lb : lb - la) > cap)
		return cap + 1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0], best;

		row[0] = i;
		best = row[0];
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t cost = tolower((unsigned char)a[i - 1]) !=
				      tolower((unsigned char)b[j - 1]);
			size_t v = diag + cost;

			if (up + 1 < v)
				v = up + 1;
			if (row[j - 1] + 1 < v)
				v = row[j - 1] + 1;
			diag = up;
			row[j] = v;
			if (v < best)
				best = v;
		}
		if (best > cap)
			return cap + 1;
	}
	return row[lb];
}

const char *val_suggest(const char *word, const char *const *candidates)
{
	const char *best = NULL;
	size_t len = strlen(word), cap = len <= 2 ? 0 : len <= 3 ? 1 : 2;
	size_t best_d = cap + 1;

	if (!candidates || cap == 0)
		return NULL;
	for (; *candidates; candidates++) {
		size_t d = distance(word, *candidates, cap);

		if (d < best_d) {
			best = *candidates;
			best_d = d;
		}
	}
	return best;
}
