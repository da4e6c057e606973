/*
 * QMP, the JSON machine protocol, on a character backend (usually a Unix
 * or TCP socket).  Each client gets the greeting when it connects, must
 * send qmp_capabilities first, then runs commands; replies carry the
 * request's "id".  Asynchronous events (STOP, RESUME, RESET, SHUTDOWN,
 * POWERDOWN) go to every client that finished the negotiation.  The JSON
 * itself is json-glib's: this file only finds where one message ends
 * (bracket depth outside strings), since input comes in arbitrary chunks,
 * and checks requests the way QEMU does (unknown members and arguments,
 * wrong types), answering errors with QEMU's classes and wording.  Bad
 * input never closes the connection; the next good request works.
 *
 *   monitor_init_qmp(chardev_new_serial("unix:/tmp/qmp,server,wait=off",
 *                                       &err), false);
 *   client: {"execute": "qmp_capabilities"}  ->  {"return": {}}
 *           {"execute": "query-status", "id": 1}
 *        -> {"return": {"status": "running", ...}, "id": 1}
 */
#include <string.h>

#include <json-glib/json-glib.h>

#include "mimic/exec.h"
#include "mimic/monitor.h"
#include "mimic/runstate.h"
#include "mimic/ui.h"
#include "mimic/version.h"
#include "monitor-internal.h"

#define QMP_MAX_MESSAGE (1u << 20)   /* bytes in one request */
#define QMP_MAX_DEPTH 1024           /* nesting of one request */

typedef struct QmpMonitor {
    Chardev *chr;
    bool pretty;
    bool negotiated;         /* qmp_capabilities done (this connection) */
    unsigned connection;     /* counts connections, to notice a client leaving */
    /* The message being received. */
    GString *msg;
    int depth;
    bool in_string, escaped;
    bool too_big;            /* over the limits: dropped, reported at its end */
    char *id_text;           /* the request's id as sent (compacted), or NULL */
} QmpMonitor;

typedef enum QmpErrorClass {
    QMP_ERROR_NONE,
    QMP_ERROR_GENERIC,
    QMP_ERROR_COMMAND_NOT_FOUND,
} QmpErrorClass;

typedef struct QmpError {
    QmpErrorClass cls;
    char *desc;
} QmpError;

static GPtrArray *qmp_monitors;

static void qmp_error_set(QmpError *err, QmpErrorClass cls, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void qmp_error_set(QmpError *err, QmpErrorClass cls, const char *fmt, ...)
{
    va_list ap;

    if (err->cls != QMP_ERROR_NONE)
        return;
    err->cls = cls;
    va_start(ap, fmt);
    err->desc = g_strdup_vprintf(fmt, ap);
    va_end(ap);
}

/* ---- Output ---- */

/* Sends root as one message; id_text, if given, is added as its last
   member "id" (root must be an object then). */
static void qmp_send_with_id(QmpMonitor *m, JsonNode *root, const char *id_text)
{
    g_autoptr(JsonGenerator) gen = json_generator_new();
    g_autofree char *text = NULL;
    g_autofree char *line = NULL;

    json_generator_set_pretty(gen, m->pretty);
    json_generator_set_indent(gen, 4);
    json_generator_set_root(gen, root);
    text = json_generator_to_data(gen, NULL);
    if (id_text) {
        /* text ends in '}' (after a newline when pretty). */
        gsize end = strlen(text) - 1;

        while (end > 1 && g_ascii_isspace(text[end - 1]))
            end--;
        text[end] = '\0';
        line = g_strdup_printf(m->pretty ? "%s%s\n    \"id\" : %s\n}\r\n"
                                         : "%s%s\"id\":%s}\r\n",
                               text, end > 1 ? "," : "", id_text);
    } else {
        line = g_strconcat(text, "\r\n", NULL);
    }
    /* Never waits for the client (a socket keeps what it does not take);
       what is still owed at exit is sent then, the SHUTDOWN event too. */
    chardev_write(m->chr, (const uint8_t *)line, (int)strlen(line));
}

static void qmp_send(QmpMonitor *m, JsonNode *root)
{
    qmp_send_with_id(m, root, NULL);
}

static JsonNode *node_from_object(JsonObject *obj)
{
    JsonNode *n = json_node_init_object(json_node_alloc(), obj);

    json_object_unref(obj);
    return n;
}

static JsonNode *node_from_array(JsonArray *arr)
{
    JsonNode *n = json_node_init_array(json_node_alloc(), arr);

    json_array_unref(arr);
    return n;
}

static JsonNode *empty_object(void)
{
    return node_from_object(json_object_new());
}

/* {"return": ret, "id": id} or {"error": {...}, "id": id}; takes ret. */
static void qmp_reply(QmpMonitor *m, JsonNode *id, JsonNode *ret,
                      const QmpError *err)
{
    JsonObject *rsp = json_object_new();
    g_autoptr(JsonNode) root = NULL;

    if (err && err->cls != QMP_ERROR_NONE) {
        JsonObject *e = json_object_new();

        json_object_set_string_member(e, "class",
            err->cls == QMP_ERROR_COMMAND_NOT_FOUND ? "CommandNotFound"
                                                    : "GenericError");
        json_object_set_string_member(e, "desc", err->desc);
        json_object_set_object_member(rsp, "error", e);
        if (ret)
            json_node_unref(ret);
    } else {
        json_object_set_member(rsp, "return", ret ? ret : empty_object());
    }
    /* The id as the client wrote it: a number like 1e999 has no double
       that prints back as JSON. */
    if (id && !m->id_text)
        json_object_set_member(rsp, "id", json_node_copy(id));
    root = node_from_object(rsp);
    qmp_send_with_id(m, root, id ? m->id_text : NULL);
}

static void qmp_reply_error(QmpMonitor *m, JsonNode *id, QmpErrorClass cls,
                            const char *desc)
{
    QmpError err = { cls, (char *)desc };

    qmp_reply(m, id, NULL, &err);
}

static JsonObject *version_object(void)
{
    JsonObject *v = json_object_new(), *q = json_object_new();

    json_object_set_int_member(q, "micro", MIMIC_VERSION_MICRO);
    json_object_set_int_member(q, "minor", MIMIC_VERSION_MINOR);
    json_object_set_int_member(q, "major", MIMIC_VERSION_MAJOR);
    json_object_set_object_member(v, "qemu", q);
    json_object_set_string_member(v, "package", MIMIC_PACKAGE);
    return v;
}

static void qmp_greet(QmpMonitor *m)
{
    JsonObject *root = json_object_new(), *qmp = json_object_new();
    g_autoptr(JsonNode) node = NULL;

    json_object_set_object_member(qmp, "version", version_object());
    json_object_set_array_member(qmp, "capabilities", json_array_new());
    json_object_set_object_member(root, "QMP", qmp);
    node = node_from_object(root);
    qmp_send(m, node);
}

/* ---- Commands ---- */

typedef enum QmpArgType {
    QMP_ARG_STR,
    QMP_ARG_INT,
    QMP_ARG_BOOL,
    QMP_ARG_ARRAY,
} QmpArgType;

typedef struct QmpParam {
    const char *name;
    QmpArgType type;
    bool optional;
} QmpParam;

typedef JsonNode *(*QmpHandler)(QmpMonitor *m, JsonObject *args, QmpError *err);

typedef struct QmpCommand {
    const char *name;
    QmpHandler fn;
    QmpParam params[5];      /* ends at the first without a name */
} QmpCommand;

static const QmpCommand qmp_commands[];

static JsonNode *qmp_capabilities(QmpMonitor *m, JsonObject *args,
                                  QmpError *err)
{
    JsonArray *enable = json_object_has_member(args, "enable")
                        ? json_object_get_array_member(args, "enable") : NULL;

    if (enable && json_array_get_length(enable) > 0) {
        JsonNode *cap = json_array_get_element(enable, 0);
        const char *name = JSON_NODE_HOLDS_VALUE(cap) &&
                           json_node_get_value_type(cap) == G_TYPE_STRING
                           ? json_node_get_string(cap) : "?";

        qmp_error_set(err, QMP_ERROR_GENERIC, "Capability '%s' not available",
                      name);
        return NULL;
    }
    m->negotiated = true;
    return empty_object();
}

static JsonNode *qmp_query_status(QmpMonitor *m, JsonObject *args,
                                  QmpError *err)
{
    JsonObject *o = json_object_new();

    json_object_set_string_member(o, "status", runstate_name(runstate_get()));
    json_object_set_boolean_member(o, "singlestep", tcg_one_insn_per_tb);
    json_object_set_boolean_member(o, "running", runstate_is_running());
    return node_from_object(o);
}

/* -name: {"name": NAME}, or {} without one, as QEMU. */
static JsonNode *qmp_query_name(QmpMonitor *m, JsonObject *args,
                                QmpError *err)
{
    JsonObject *o = json_object_new();

    if (runstate_guest_name())
        json_object_set_string_member(o, "name", runstate_guest_name());
    return node_from_object(o);
}

static JsonNode *qmp_query_cpus_fast(QmpMonitor *m, JsonObject *args,
                                     QmpError *err)
{
    JsonArray *a = json_array_new();

    for (int i = 0; i < cpu_count; i++) {
        CPUState *cpu = cpu_list[i];
        JsonObject *o = json_object_new(), *props = json_object_new();
        g_autofree char *path =
            g_strdup_printf("/machine/soc0/harts[%d]", cpu->cpu_index);

        json_object_set_int_member(o, "cpu-index", cpu->cpu_index);
        json_object_set_string_member(o, "qom-path", path);
        json_object_set_int_member(o, "thread-id", cpu->thread_id);
        json_object_set_int_member(props, "core-id", cpu->cpu_index);
        json_object_set_int_member(props, "socket-id", 0);
        json_object_set_object_member(o, "props", props);
        json_object_set_string_member(o, "target", cpu->ops->name);
        json_array_add_object_element(a, o);
    }
    return node_from_array(a);
}

static JsonNode *qmp_query_version(QmpMonitor *m, JsonObject *args,
                                   QmpError *err)
{
    return node_from_object(version_object());
}

static JsonNode *qmp_query_commands(QmpMonitor *m, JsonObject *args,
                                    QmpError *err)
{
    JsonArray *a = json_array_new();

    for (const QmpCommand *c = qmp_commands; c->name; c++) {
        JsonObject *o = json_object_new();

        json_object_set_string_member(o, "name", c->name);
        json_array_add_object_element(a, o);
    }
    return node_from_array(a);
}

static JsonNode *qmp_stop(QmpMonitor *m, JsonObject *args, QmpError *err)
{
    if (runstate_is_running())
        vm_stop(RUN_STATE_PAUSED);
    return empty_object();
}

static JsonNode *qmp_cont(QmpMonitor *m, JsonObject *args, QmpError *err)
{
    if (runstate_get() == RUN_STATE_SHUTDOWN) {
        /* Stopped by the guest's power-off (-no-shutdown), or exiting. */
        qmp_error_set(err, QMP_ERROR_GENERIC,
                      runstate_shutdown_requested()
                          ? "The machine is shutting down"
                          : "Resetting the Virtual Machine is required");
        return NULL;
    }
    vm_start();
    return empty_object();
}

static JsonNode *qmp_system_reset(QmpMonitor *m, JsonObject *args,
                                  QmpError *err)
{
    system_reset_request();
    return empty_object();
}

static JsonNode *qmp_system_powerdown(QmpMonitor *m, JsonObject *args,
                                      QmpError *err)
{
    system_powerdown_request();
    return empty_object();
}

static JsonNode *qmp_quit(QmpMonitor *m, JsonObject *args, QmpError *err)
{
    runstate_request_shutdown(SHUTDOWN_CAUSE_HOST_QUIT, 0);
    return empty_object();
}

static JsonNode *qmp_human_monitor_command(QmpMonitor *m, JsonObject *args,
                                           QmpError *err)
{
    const char *line = json_object_get_string_member(args, "command-line");
    int64_t cpu = -1;
    g_autofree char *out = NULL;
    g_autofree char *valid = NULL;
    JsonNode *n;

    if (json_object_has_member(args, "cpu-index")) {
        cpu = json_object_get_int_member(args, "cpu-index");
        if (cpu < 0 || cpu >= cpu_count) {
            qmp_error_set(err, QMP_ERROR_GENERIC, "Invalid CPU index");
            return NULL;
        }
    }
    out = hmp_run_command_cpu(line, (int)cpu);
    valid = g_utf8_make_valid(out, -1);
    n = json_node_new(JSON_NODE_VALUE);
    json_node_set_string(n, valid);
    return n;
}

/* ---- Display and input (include/mimic/ui.h) ---- */

/* screendump {"filename", "format": "ppm" (default) | "png", "device",
   "head"}: only the one console exists. */
static JsonNode *qmp_screendump(QmpMonitor *m, JsonObject *args, QmpError *err)
{
    const char *file = json_object_get_string_member(args, "filename");
    const char *fmt_name = json_object_get_string_member_with_default(
        args, "format", "ppm");
    g_autofree char *msg = NULL;
    UIImageFormat fmt;

    if (!ui_image_format_parse(fmt_name, &fmt)) {
        qmp_error_set(err, QMP_ERROR_GENERIC, "Parameter 'format' does not "
                      "accept value '%s'", fmt_name);
        return NULL;
    }
    if (json_object_has_member(args, "device")) {
        qmp_error_set(err, QMP_ERROR_GENERIC, "Device '%s' not found",
                      json_object_get_string_member(args, "device"));
        return NULL;
    }
    if (json_object_get_int_member_with_default(args, "head", 0) != 0) {
        qmp_error_set(err, QMP_ERROR_GENERIC, "Head '%" G_GINT64_FORMAT
                      "' not found", json_object_get_int_member(args, "head"));
        return NULL;
    }
    if (!ui_screendump(file, fmt, &msg)) {
        qmp_error_set(err, QMP_ERROR_GENERIC, "%s", msg);
        return NULL;
    }
    return empty_object();
}

/* A string member, or "" if it is missing or not a string. */
static const char *str_member(JsonObject *o, const char *name)
{
    JsonNode *n = o ? json_object_get_member(o, name) : NULL;

    if (!n || !JSON_NODE_HOLDS_VALUE(n) ||
        json_node_get_value_type(n) != G_TYPE_STRING)
        return "";
    return json_node_get_string(n);
}

/* An integer or boolean member, or def if missing or of another type. */
static int64_t int_member(JsonObject *o, const char *name, int64_t def)
{
    JsonNode *n = json_object_get_member(o, name);

    if (!n || !JSON_NODE_HOLDS_VALUE(n))
        return def;
    if (json_node_get_value_type(n) == G_TYPE_INT64)
        return json_node_get_int(n);
    if (json_node_get_value_type(n) == G_TYPE_BOOLEAN)
        return json_node_get_boolean(n);
    return def;
}

/* A KeyValue, {"type": "qcode", "data": "a"} or {"type": "number",
   "data": 30}, as an evdev code; 0 with err set if it is not one. */
static unsigned qmp_key_value(JsonNode *n, const char *what, QmpError *err)
{
    JsonObject *o = JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
    JsonNode *data = o ? json_object_get_member(o, "data") : NULL;
    const char *type = str_member(o, "type");
    unsigned code = 0;

    if (data && !strcmp(type, "qcode") && JSON_NODE_HOLDS_VALUE(data) &&
        json_node_get_value_type(data) == G_TYPE_STRING) {
        code = ui_qcode_to_evdev(json_node_get_string(data));
        if (!code)
            qmp_error_set(err, QMP_ERROR_GENERIC, "Parameter '%s.data' does "
                          "not accept value '%s'", what,
                          json_node_get_string(data));
        return code;
    }
    if (data && !strcmp(type, "number") && JSON_NODE_HOLDS_VALUE(data) &&
        json_node_get_value_type(data) == G_TYPE_INT64) {
        int64_t v = json_node_get_int(data);

        code = v > 0 && v < 0x100 ? ui_qnum_to_evdev((unsigned)v) : 0;
        if (!code)
            qmp_error_set(err, QMP_ERROR_GENERIC, "Parameter '%s.data': no "
                          "key has number %" G_GINT64_FORMAT, what, v);
        return code;
    }
    qmp_error_set(err, QMP_ERROR_GENERIC, "Invalid parameter '%s': expected "
                  "{\"type\": \"qcode\"|\"number\", \"data\": ...}", what);
    return 0;
}

/* send-key {"keys": [KeyValue...], "hold-time": ms (100)} */
static JsonNode *qmp_send_key(QmpMonitor *m, JsonObject *args, QmpError *err)
{
    JsonArray *keys = json_object_get_array_member(args, "keys");
    int64_t hold = json_object_get_int_member_with_default(args, "hold-time",
                                                            100);
    guint n = json_array_get_length(keys);
    unsigned codes[16];

    if (n == 0 || n > G_N_ELEMENTS(codes)) {
        qmp_error_set(err, QMP_ERROR_GENERIC, "Parameter 'keys': %u keys "
                      "(1 to %zu)", n, G_N_ELEMENTS(codes));
        return NULL;
    }
    if (hold < 0 || hold > 60000) {
        qmp_error_set(err, QMP_ERROR_GENERIC, "Parameter 'hold-time': %"
                      G_GINT64_FORMAT " (0 to 60000 ms)", hold);
        return NULL;
    }
    for (guint i = 0; i < n; i++) {
        g_autofree char *what = g_strdup_printf("keys[%u]", i);

        codes[i] = qmp_key_value(json_array_get_element(keys, i), what, err);
        if (!codes[i])
            return NULL;
    }
    ui_send_keys(codes, (int)n, (int)hold);
    return empty_object();
}

/* One InputEvent of input-send-event, checked; false with err set. */
static bool qmp_input_event(JsonNode *n, guint i, InputEvent *ev, QmpError *err)
{
    static const struct { const char *name; InputEventKind kind; unsigned code;
                          int value; } buttons[] = {
        { "left", INPUT_EVENT_BTN, BTN_LEFT, 0 },
        { "middle", INPUT_EVENT_BTN, BTN_MIDDLE, 0 },
        { "right", INPUT_EVENT_BTN, BTN_RIGHT, 0 },
        { "side", INPUT_EVENT_BTN, BTN_SIDE, 0 },
        { "extra", INPUT_EVENT_BTN, BTN_EXTRA, 0 },
        /* A wheel "button" press is one step of the wheel. */
        { "wheel-up", INPUT_EVENT_REL, REL_WHEEL, 1 },
        { "wheel-down", INPUT_EVENT_REL, REL_WHEEL, -1 },
        { "wheel-left", INPUT_EVENT_REL, REL_HWHEEL, -1 },
        { "wheel-right", INPUT_EVENT_REL, REL_HWHEEL, 1 },
    };
    JsonObject *o = JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
    JsonNode *dn = o ? json_object_get_member(o, "data") : NULL;
    JsonObject *d = dn && JSON_NODE_HOLDS_OBJECT(dn) ? json_node_get_object(dn)
                                                     : NULL;
    const char *type = str_member(o, "type");
    g_autofree char *what = g_strdup_printf("events[%u]", i);

    if (!d) {
        qmp_error_set(err, QMP_ERROR_GENERIC, "Invalid parameter '%s': "
                      "expected {\"type\": ..., \"data\": {...}}", what);
        return false;
    }
    if (!strcmp(type, "key")) {
        JsonNode *key = json_object_get_member(d, "key");
        g_autofree char *kw = g_strdup_printf("%s.data.key", what);

        ev->kind = INPUT_EVENT_KEY;
        ev->value = int_member(d, "down", 0) != 0;
        ev->code = key ? qmp_key_value(key, kw, err) : 0;
        if (!key)
            qmp_error_set(err, QMP_ERROR_GENERIC, "Parameter '%s' is "
                          "missing", kw);
        return ev->code != 0;
    }
    if (!strcmp(type, "btn")) {
        const char *b = str_member(d, "button");
        bool down = int_member(d, "down", 0) != 0;

        for (size_t k = 0; k < G_N_ELEMENTS(buttons); k++) {
            if (strcmp(buttons[k].name, b))
                continue;
            ev->kind = buttons[k].kind;
            ev->code = buttons[k].code;
            ev->value = buttons[k].kind == INPUT_EVENT_BTN ? down
                        : down ? buttons[k].value : 0;
            return true;
        }
        qmp_error_set(err, QMP_ERROR_GENERIC, "Parameter '%s.data.button' "
                      "does not accept value '%s'", what, b);
        return false;
    }
    if (!strcmp(type, "abs") || !strcmp(type, "rel")) {
        const char *axis = str_member(d, "axis");
        bool abs = !strcmp(type, "abs");

        if (strcmp(axis, "x") && strcmp(axis, "y")) {
            qmp_error_set(err, QMP_ERROR_GENERIC, "Parameter '%s.data.axis' "
                          "does not accept value '%s'", what, axis);
            return false;
        }
        ev->kind = abs ? INPUT_EVENT_ABS : INPUT_EVENT_REL;
        ev->code = axis[0] == 'x' ? (abs ? ABS_X : REL_X)
                                  : (abs ? ABS_Y : REL_Y);
        ev->value = (int)CLAMP(int_member(d, "value", 0),
                               abs ? 0 : -INPUT_ABS_MAX, INPUT_ABS_MAX);
        return true;
    }
    qmp_error_set(err, QMP_ERROR_GENERIC, "Parameter '%s.type' does not "
                  "accept value '%s'", what, type);
    return false;
}

/* input-send-event {"events": [InputEvent...], "device", "head"}: all
   checked first, then sent as one group. */
static JsonNode *qmp_input_send_event(QmpMonitor *m, JsonObject *args,
                                      QmpError *err)
{
    JsonArray *events = json_object_get_array_member(args, "events");
    guint n = json_array_get_length(events);
    g_autofree InputEvent *evs = g_new0(InputEvent, MAX(n, 1u));

    if (json_object_has_member(args, "device")) {
        qmp_error_set(err, QMP_ERROR_GENERIC, "Device '%s' not found",
                      json_object_get_string_member(args, "device"));
        return NULL;
    }
    for (guint i = 0; i < n; i++) {
        if (!qmp_input_event(json_array_get_element(events, i), i, &evs[i],
                             err))
            return NULL;
    }
    for (guint i = 0; i < n; i++) {
        /* A wheel button's release is no event. */
        if (evs[i].kind == INPUT_EVENT_REL && evs[i].value == 0 &&
            (evs[i].code == REL_WHEEL || evs[i].code == REL_HWHEEL))
            continue;
        ui_input_event(evs[i].kind, evs[i].code, evs[i].value);
    }
    ui_input_sync();
    return empty_object();
}

static const QmpCommand qmp_commands[] = {
    { "qmp_capabilities", qmp_capabilities,
      { { "enable", QMP_ARG_ARRAY, true } } },
    { "query-status", qmp_query_status },
    { "query-name", qmp_query_name },
    { "query-cpus-fast", qmp_query_cpus_fast },
    { "query-version", qmp_query_version },
    { "query-commands", qmp_query_commands },
    { "stop", qmp_stop },
    { "cont", qmp_cont },
    { "system_reset", qmp_system_reset },
    { "system_powerdown", qmp_system_powerdown },
    { "quit", qmp_quit },
    { "human-monitor-command", qmp_human_monitor_command,
      { { "command-line", QMP_ARG_STR, false },
        { "cpu-index", QMP_ARG_INT, true } } },
    { "screendump", qmp_screendump,
      { { "filename", QMP_ARG_STR, false }, { "format", QMP_ARG_STR, true },
        { "device", QMP_ARG_STR, true }, { "head", QMP_ARG_INT, true } } },
    { "send-key", qmp_send_key,
      { { "keys", QMP_ARG_ARRAY, false }, { "hold-time", QMP_ARG_INT, true } } },
    { "input-send-event", qmp_input_send_event,
      { { "events", QMP_ARG_ARRAY, false }, { "device", QMP_ARG_STR, true },
        { "head", QMP_ARG_INT, true } } },
    { NULL },
};

/* ---- Requests ---- */

static bool arg_has_type(JsonNode *n, QmpArgType type)
{
    switch (type) {
    case QMP_ARG_ARRAY:
        return JSON_NODE_HOLDS_ARRAY(n);
    case QMP_ARG_STR:
        return JSON_NODE_HOLDS_VALUE(n) &&
               json_node_get_value_type(n) == G_TYPE_STRING;
    case QMP_ARG_INT:
        return JSON_NODE_HOLDS_VALUE(n) &&
               json_node_get_value_type(n) == G_TYPE_INT64;
    case QMP_ARG_BOOL:
        return JSON_NODE_HOLDS_VALUE(n) &&
               json_node_get_value_type(n) == G_TYPE_BOOLEAN;
    }
    return false;
}

static const char *const arg_type_names[] = {
    [QMP_ARG_STR] = "string", [QMP_ARG_INT] = "integer",
    [QMP_ARG_BOOL] = "boolean", [QMP_ARG_ARRAY] = "array",
};

/* Every argument known and of its type, every required one there. */
static bool check_args(const QmpCommand *cmd, JsonObject *args, QmpError *err)
{
    g_autoptr(GList) names = json_object_get_members(args);

    for (GList *l = names; l; l = l->next) {
        const QmpParam *p = cmd->params;

        while (p->name && strcmp(p->name, l->data) != 0)
            p++;
        if (!p->name) {
            qmp_error_set(err, QMP_ERROR_GENERIC, "Parameter '%s' is unexpected",
                          (const char *)l->data);
            return false;
        }
        if (!arg_has_type(json_object_get_member(args, p->name), p->type)) {
            qmp_error_set(err, QMP_ERROR_GENERIC,
                          "Invalid parameter type for '%s', expected: %s",
                          p->name, arg_type_names[p->type]);
            return false;
        }
    }
    for (const QmpParam *p = cmd->params; p->name; p++) {
        if (!p->optional && !json_object_has_member(args, p->name)) {
            qmp_error_set(err, QMP_ERROR_GENERIC, "Parameter '%s' is missing",
                          p->name);
            return false;
        }
    }
    return true;
}

/* The request's shape: members execute (string), arguments (object), id. */
static const char *check_request(JsonObject *req, QmpError *err)
{
    g_autoptr(GList) names = json_object_get_members(req);
    JsonNode *exec;

    for (GList *l = names; l; l = l->next) {
        const char *name = l->data;
        JsonNode *n = json_object_get_member(req, name);

        if (!strcmp(name, "execute")) {
            if (!JSON_NODE_HOLDS_VALUE(n) ||
                json_node_get_value_type(n) != G_TYPE_STRING) {
                qmp_error_set(err, QMP_ERROR_GENERIC,
                              "QMP input member 'execute' must be a string");
                return NULL;
            }
        } else if (!strcmp(name, "arguments")) {
            if (!JSON_NODE_HOLDS_OBJECT(n)) {
                qmp_error_set(err, QMP_ERROR_GENERIC,
                              "QMP input member 'arguments' must be an object");
                return NULL;
            }
        } else if (strcmp(name, "id") != 0) {
            qmp_error_set(err, QMP_ERROR_GENERIC,
                          "QMP input member '%s' is unexpected", name);
            return NULL;
        }
    }
    exec = json_object_get_member(req, "execute");
    if (!exec) {
        qmp_error_set(err, QMP_ERROR_GENERIC,
                      "QMP input lacks member 'execute'");
        return NULL;
    }
    return json_node_get_string(exec);
}

static const QmpCommand *find_command(QmpMonitor *m, const char *name,
                                      QmpError *err)
{
    const QmpCommand *cmd = qmp_commands;

    while (cmd->name && strcmp(cmd->name, name) != 0)
        cmd++;
    if (!m->negotiated && (!cmd->name || cmd->fn != qmp_capabilities)) {
        qmp_error_set(err, QMP_ERROR_COMMAND_NOT_FOUND,
                      "Expecting capabilities negotiation with "
                      "'qmp_capabilities'");
        return NULL;
    }
    if (!cmd->name) {
        qmp_error_set(err, QMP_ERROR_COMMAND_NOT_FOUND,
                      "The command %s has not been found", name);
        return NULL;
    }
    if (m->negotiated && cmd->fn == qmp_capabilities) {
        qmp_error_set(err, QMP_ERROR_COMMAND_NOT_FOUND,
                      "Capabilities negotiation is already complete, "
                      "command ignored");
        return NULL;
    }
    return cmd;
}

static void qmp_dispatch(QmpMonitor *m, JsonNode *root)
{
    QmpError err = { 0 };
    JsonObject *req, *args;
    g_autoptr(JsonObject) no_args = NULL;
    JsonNode *id, *ret = NULL;
    const QmpCommand *cmd;
    const char *name;

    if (!JSON_NODE_HOLDS_OBJECT(root)) {
        qmp_reply_error(m, NULL, QMP_ERROR_GENERIC,
                        "QMP input must be a JSON object");
        return;
    }
    req = json_node_get_object(root);
    id = json_object_get_member(req, "id");
    name = check_request(req, &err);
    cmd = name ? find_command(m, name, &err) : NULL;
    if (cmd) {
        if (json_object_has_member(req, "arguments")) {
            args = json_object_get_object_member(req, "arguments");
        } else {
            no_args = json_object_new();
            args = no_args;
        }
        if (check_args(cmd, args, &err))
            ret = cmd->fn(m, args, &err);
    }
    qmp_reply(m, id, ret, &err);
    g_free(err.desc);
}

/* One complete message (an object, or whatever else came at top level):
   strict JSON first (qmp-json.c), then json-glib's tree. */
static void qmp_handle_message(QmpMonitor *m, const char *text, gsize len)
{
    g_autoptr(JsonParser) parser = json_parser_new_immutable();
    g_autoptr(GError) gerr = NULL;
    g_autofree char *desc = NULL;
    g_autofree char *err = NULL;
    size_t id_off, id_len;

    if (!qmp_json_check(text, len, QMP_MAX_DEPTH, &id_off, &id_len, &err)) {
        desc = g_strdup_printf("JSON parse error, %s", err);
        qmp_reply_error(m, NULL, QMP_ERROR_GENERIC, desc);
        return;
    }
    if (!json_parser_load_from_data(parser, text, (gssize)len, &gerr)) {
        desc = g_strdup_printf("JSON parse error, %s",
                               gerr ? gerr->message : "invalid input");
        qmp_reply_error(m, NULL, QMP_ERROR_GENERIC, desc);
        return;
    }
    if (!json_parser_get_root(parser)) {
        qmp_reply_error(m, NULL, QMP_ERROR_GENERIC,
                        "JSON parse error, empty input");
        return;
    }
    m->id_text = id_len ? qmp_json_compact(text + id_off, id_len) : NULL;
    qmp_dispatch(m, json_parser_get_root(parser));
    g_clear_pointer(&m->id_text, g_free);
}

static void framer_reset(QmpMonitor *m)
{
    g_string_truncate(m->msg, 0);
    m->depth = 0;
    m->in_string = m->escaped = m->too_big = false;
}

/* The message in m->msg ended: handle it and start the next. */
static void message_done(QmpMonitor *m)
{
    g_autofree char *text = NULL;
    gsize len = m->msg->len;
    bool too_big = m->too_big;

    text = g_string_free(m->msg, FALSE);
    m->msg = g_string_new(NULL);
    framer_reset(m);
    if (too_big)
        qmp_reply_error(m, NULL, QMP_ERROR_GENERIC,
                        "JSON parse error, message too large or too deeply "
                        "nested");
    else
        qmp_handle_message(m, text, len);
}

/*
 * Feeds one byte to the framer; true when it completed a message.  A
 * message is a bracketed value (depth back to 0 outside strings); anything
 * else at top level runs to the next newline or opening bracket and is
 * answered with an error.
 */
static bool framer_feed(QmpMonitor *m, char c)
{
    bool top = m->depth == 0;

    if (m->in_string) {
        if (m->escaped)
            m->escaped = false;
        else if (c == '\\')
            m->escaped = true;
        else if (c == '"')
            m->in_string = false;
        /* JSON strings hold no raw newline: one ends the message (stray
           top-level text, or an unterminated string, an error then). */
        else if (c == '\n')
            return m->msg->len > 0;
    } else if (c == '{' || c == '[') {
        if (top && m->msg->len > 0)
            return true;        /* stray text before it; c comes again */
        if (++m->depth > QMP_MAX_DEPTH)
            m->too_big = true;
    } else if ((c == '}' || c == ']') && !top) {
        m->depth--;
    } else if (c == '"') {
        m->in_string = true;
    } else if (top && (c == '\n' || c == '\r' || c == ' ' || c == '\t')) {
        /* Whitespace between messages; a newline ends stray text. */
        if (m->msg->len == 0)
            return false;
        if (c == '\n')
            return true;
    }
    if (m->msg->len >= QMP_MAX_MESSAGE)
        m->too_big = true;
    if (!m->too_big)
        g_string_append_c(m->msg, c);
    return (c == '}' || c == ']') && !m->in_string && m->depth == 0 &&
           !top;
}

static int qmp_can_read(void *opaque)
{
    return 4096;
}

static void qmp_read(void *opaque, const uint8_t *buf, int len)
{
    QmpMonitor *m = opaque;
    unsigned conn = m->connection;

    for (int i = 0; i < len && m->connection == conn; i++) {
        bool before_bracket = (buf[i] == '{' || buf[i] == '[') &&
                              !m->in_string && m->depth == 0 && m->msg->len;

        if (!framer_feed(m, (char)buf[i]))
            continue;
        message_done(m);
        if (before_bracket)
            i--;                /* the bracket starts the next message */
    }
}

static void qmp_event(void *opaque, ChardevEvent event)
{
    QmpMonitor *m = opaque;

    if (event != CHARDEV_EVENT_OPENED && event != CHARDEV_EVENT_CLOSED)
        return;
    /* A new client starts afresh; a reply in progress for the old one
       stops (qmp_read checks connection). */
    m->connection++;
    m->negotiated = false;
    framer_reset(m);
    if (event == CHARDEV_EVENT_OPENED)
        qmp_greet(m);
}

/* ---- Events ---- */

static void qmp_emit_event(const char *name, JsonObject *data)
{
    gint64 now = g_get_real_time();

    for (guint i = 0; qmp_monitors && i < qmp_monitors->len; i++) {
        QmpMonitor *m = g_ptr_array_index(qmp_monitors, i);
        JsonObject *ev, *ts;
        g_autoptr(JsonNode) node = NULL;

        if (!m->negotiated || !chardev_is_open(m->chr))
            continue;
        ev = json_object_new();
        ts = json_object_new();
        json_object_set_string_member(ev, "event", name);
        if (data)
            json_object_set_object_member(ev, "data", json_object_ref(data));
        json_object_set_int_member(ts, "seconds", now / G_USEC_PER_SEC);
        json_object_set_int_member(ts, "microseconds", now % G_USEC_PER_SEC);
        json_object_set_object_member(ev, "timestamp", ts);
        node = node_from_object(ev);
        qmp_send(m, node);
    }
    if (data)
        json_object_unref(data);
}

static JsonObject *cause_data(ShutdownCause cause)
{
    JsonObject *d = json_object_new();

    json_object_set_boolean_member(d, "guest", shutdown_cause_is_guest(cause));
    json_object_set_string_member(d, "reason", shutdown_cause_name(cause));
    return d;
}

static void qmp_runstate_event(void *opaque, RunEvent event, ShutdownCause cause)
{
    switch (event) {
    case RUN_EVENT_STOP:
        qmp_emit_event("STOP", NULL);
        break;
    case RUN_EVENT_RESUME:
        qmp_emit_event("RESUME", NULL);
        break;
    case RUN_EVENT_RESET:
        qmp_emit_event("RESET", cause_data(cause));
        break;
    case RUN_EVENT_SHUTDOWN:
        qmp_emit_event("SHUTDOWN", cause_data(cause));
        break;
    case RUN_EVENT_POWERDOWN:
        qmp_emit_event("POWERDOWN", NULL);
        break;
    }
}

void monitor_init_qmp(Chardev *chr, bool pretty)
{
    QmpMonitor *m = g_new0(QmpMonitor, 1);

    if (!qmp_monitors) {
        qmp_monitors = g_ptr_array_new();
        runstate_add_listener(qmp_runstate_event, NULL);
    }
    m->chr = chr;
    m->pretty = pretty;
    m->msg = g_string_new(NULL);
    g_ptr_array_add(qmp_monitors, m);
    chardev_set_handlers(chr, qmp_can_read, qmp_read, m);
    chardev_set_event_handler(chr, qmp_event);
}
