/* Monotonic milliseconds, and what is left of a deadline, for poll(2). */
#ifndef QL_CLOCK_H
#define QL_CLOCK_H

#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>

static inline long long clk_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Milliseconds left until deadline (a clk_now_ms value): 0 once it has
 * passed, at most INT_MAX. */
static inline int clk_left_ms(long long deadline)
{
	long long d = deadline - clk_now_ms();

	return d <= 0 ? 0 : d > INT_MAX ? INT_MAX : (int)d;
}

/* ms as a person reads a timeout ("2 s", "0.5 s"), in buf. */
static inline const char *clk_span(int ms, char *buf, size_t len)
{
	if (ms % 1000 == 0)
		snprintf(buf, len, "%d s", ms / 1000);
	else
		snprintf(buf, len, "%.1f s", ms / 1000.0);
	return buf;
}

#endif
