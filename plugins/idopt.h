/*
 * Shared by the plugins of [TYPE.ID] sections that become one option
 * "-FLAG HEAD,id=ID,key=value,..." (device, chardev, fsdev, object).
 * Compiled into each of them; nothing here is exported.
 */
#ifndef QL_PLUGINS_IDOPT_H
#define QL_PLUGINS_IDOPT_H

#include <qlaunch/plugin.h>

/* A key whose value names another section: [type.VALUE] must exist. */
struct idopt_ref {
	const char *key;
	const char *type;
};

struct idopt {
	const char *flag;          /* "-device" */
	const char *head_key;      /* key of the implied first value: "driver" */
	const char *head_default;  /* used when head_key is absent, or NULL */
	const char *what;          /* for messages: "a device driver such as virtio-net-pci" */
	const struct idopt_ref *refs; /* ends with a NULL key; may be NULL */
	const char *const *bools;  /* keys that are booleans, written on/off; may be NULL */
};

/* Emit the section as described by d: the other keys in file order, the
 * booleans among them checked and written on/off; records the references.
 * A key named id is refused: the id is the section's. */
int idopt_emit(struct ql_ctx *ctx, const struct ql_host_api *api,
	       const struct idopt *d);

#endif
