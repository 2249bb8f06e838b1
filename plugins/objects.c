/*
 * [object.ID]: type (required), every other key passed through in file
 * order -> -object TYPE,id=ID,key=value,...
 */
#include "idopt.h"

static const struct idopt object_opt = {
	.flag = "-object",
	.head_key = "type",
	.what = "an object type such as memory-backend-file",
};

static int object_emit(struct ql_ctx *ctx, const struct ql_host_api *api)
{
	return idopt_emit(ctx, api, &object_opt);
}

static const struct ql_section_type object_sections[] = {
	{ "object", QL_SECTION_MULTI, NULL },
	{ NULL, 0, NULL },
};

QL_PLUGIN_EXPORT const struct ql_plugin QL_PLUGIN_DESCRIPTOR = {
	QL_PLUGIN_HEADER,
	.name = "objects",
	.version = "1.0",
	.description = "user-creatable objects: memory backends, secrets, iothreads (-object)",
	.sections = object_sections,
	.order = QL_ORDER_OBJECTS,
	.emit = object_emit,
};
