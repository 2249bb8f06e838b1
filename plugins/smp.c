/*
 * [smp]: cpus, sockets, dies, clusters, cores, threads, maxcpus
 * -> -smp CPUS,key=value,... (cpus first as the implied key, the others in
 * file order).  Checks what QEMU 7.2 would reject, with clearer words:
 * maxcpus below cpus, and a topology whose product is not maxcpus once the
 * omitted members are computed the way QEMU computes them.  QEMU 7.2's
 * x86 machines (pc, q35: also without a [machine] type, QEMU's default)
 * take clusters = 1 only.
 */
#include <qlaunch/plugin.h>

#include <errno.h>
#include <string.h>

#define SMP_MAX 65535

struct smp {
	uint64_t cpus, sockets, dies, clusters, cores, threads, maxcpus;
};

/* Fill in omitted members as QEMU 7.2 does for machines preferring cores
 * (every current x86 machine type); the product check does not depend on
 * the preference. */
static void smp_complete(struct smp *s)
{
	if (!s->dies)
		s->dies = 1;
	if (!s->clusters)
		s->clusters = 1;
	if (!s->cpus && !s->maxcpus) {
		s->sockets = s->sockets ? s->sockets : 1;
		s->cores = s->cores ? s->cores : 1;
		s->threads = s->threads ? s->threads : 1;
	} else {
		s->maxcpus = s->maxcpus ? s->maxcpus : s->cpus;
		if (!s->cores) {
			s->sockets = s->sockets ? s->sockets : 1;
			s->threads = s->threads ? s->threads : 1;
			s->cores = s->maxcpus / (s->sockets * s->dies * s->clusters * s->threads);
		} else if (!s->sockets) {
			s->threads = s->threads ? s->threads : 1;
			s->sockets = s->maxcpus / (s->dies * s->clusters * s->cores * s->threads);
		}
		if (!s->threads)
			s->threads = s->maxcpus / (s->sockets * s->dies * s->clusters * s->cores);
	}
}

static int smp_emit(struct ql_ctx *ctx, const struct ql_host_api *api)
{
	static const char *const names[] = {
		"cpus", "sockets", "dies", "clusters", "cores", "threads", "maxcpus",
	};
	struct smp s = { 0 };
	uint64_t *fields[] = { &s.cpus, &s.sockets, &s.dies, &s.clusters, &s.cores,
			       &s.threads, &s.maxcpus };
	uint64_t product, given;
	const char *type = "pc";
	int bad = 0;

	for (size_t i = 0; i < 7; i++)
		if (api->get_uint(ctx, names[i], 1, SMP_MAX, fields[i]) < 0)
			bad = 1;
	if (bad)
		return -EINVAL;         /* the core said what is wrong */
	if (!s.cpus && !s.sockets && !s.dies && !s.clusters && !s.cores && !s.threads && !s.maxcpus)
		return api->key_count(ctx) ? -EINVAL :  /* only unknown keys: said so */
		       api->error(ctx, NULL, "empty section, expected at least cpus");
	if (s.cpus && s.maxcpus && s.maxcpus < s.cpus)
		return api->error(ctx, "maxcpus", "maxcpus %llu is less than cpus %llu, expected maxcpus >= cpus",
				  (unsigned long long)s.maxcpus, (unsigned long long)s.cpus);
	if (s.clusters > 1 && QL_HOST_HAS(api, peek)) {
		api->peek(ctx, "machine", NULL, "type", &type);
		if (strcmp(type, "q35") == 0 || strcmp(type, "pc") == 0 || strncmp(type, "pc-", 3) == 0)
			return api->error(ctx, "clusters", "QEMU 7.2's %s machine has no CPU clusters, "
					  "expected clusters = 1", type);
	}
	given = (s.sockets ? s.sockets : 1) * (s.dies ? s.dies : 1) * (s.clusters ? s.clusters : 1) *
		(s.cores ? s.cores : 1) * (s.threads ? s.threads : 1);
	smp_complete(&s);
	product = s.sockets * s.dies * s.clusters * s.cores * s.threads;
	if (product == 0)       /* a computed member came out as 0 */
		return api->error(ctx, NULL,
				  "the given sockets*dies*clusters*cores*threads multiply to %llu, more than "
				  "maxcpus (%llu), expected them to equal maxcpus",
				  (unsigned long long)given, (unsigned long long)s.maxcpus);
	if (s.maxcpus && product != s.maxcpus)
		return api->error(ctx, NULL,
				  "sockets*dies*clusters*cores*threads is %llu*%llu*%llu*%llu*%llu = %llu, "
				  "expected it to equal maxcpus (%llu)",
				  (unsigned long long)s.sockets, (unsigned long long)s.dies,
				  (unsigned long long)s.clusters, (unsigned long long)s.cores,
				  (unsigned long long)s.threads, (unsigned long long)product,
				  (unsigned long long)s.maxcpus);
	if (!s.maxcpus && s.cpus == 0 && product > SMP_MAX)
		return api->error(ctx, NULL, "topology of %llu CPUs is too large, expected at most %d",
				  (unsigned long long)product, SMP_MAX);
	return api->emit_section(ctx);
}

#define COUNT(n, f) { .name = n, .kind = QL_KEY_UINT, .min = 1, .max = SMP_MAX, .flags = f }

static const struct ql_key smp_keys[] = {
	COUNT("cpus", QL_KEY_HEAD),
	COUNT("sockets", 0), COUNT("dies", 0), COUNT("clusters", 0), COUNT("cores", 0),
	COUNT("threads", 0), COUNT("maxcpus", 0),
	{ .name = NULL },
};

static const struct ql_section_type smp_sections[] = {
	{ .name = "smp", .flags = QL_SECTION_SINGLE, .order = QL_ORDER_SMP,
	  .option = "-smp", QL_KEYS(smp_keys), .emit = smp_emit },
	{ .name = NULL },
};

QL_PLUGIN_EXPORT const struct ql_plugin QL_PLUGIN_DESCRIPTOR = {
	QL_PLUGIN_HEADER,
	.name = "smp",
	.version = "1.0",
	.description = "virtual CPU count and topology (-smp)",
	.sections = smp_sections,
};
