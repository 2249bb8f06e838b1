/*
 * [audiodev.ID]: driver (required, QEMU 7.2's back-ends), every other key
 * (nested ones such as out.mixing-engine included) passed through in file
 * order -> -audiodev DRIVER,id=ID,key=value,...
 */
#include <qlaunch/plugin.h>

static const char *const audio_drivers[] = {
	"none", "alsa", "coreaudio", "dbus", "dsound", "jack", "oss", "pa", "sdl", "sndio",
	"spice", "wav", NULL,
};

static const struct ql_key audiodev_keys[] = {
	{ .name = "driver", .kind = QL_KEY_CHOICE, .flags = QL_KEY_HEAD | QL_KEY_REQUIRED,
	  .choices = audio_drivers },
	{ .name = NULL },
};

static const struct ql_section_type audiodev_sections[] = {
	{ .name = "audiodev", .flags = QL_SECTION_MULTI | QL_SECTION_PASS, .order = QL_ORDER_AUDIODEV,
	  .option = "-audiodev", .id_key = "id", QL_KEYS(audiodev_keys) },
	{ .name = NULL },
};

QL_PLUGIN_EXPORT const struct ql_plugin QL_PLUGIN_DESCRIPTOR = {
	QL_PLUGIN_HEADER,
	.name = "audiodev",
	.version = "1.0",
	.description = "audio back-ends (-audiodev)",
	.sections = audiodev_sections,
};
