/* Monotonic milliseconds, and what is left of a deadline, for poll(2). */
#ifndef QL_CLOCK_H
#define QL_CLOCK_H

#include <limits.h>
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

#endif
