/*
 * Key names and codes (include/mimic/ui.h): QMP's QKeyCode names (what
 * send-key, input-send-event and HMP's sendkey take) and USB HID usages
 * (SDL's scancodes) mapped to Linux evdev key codes, which is what the
 * virtio keyboard delivers.
 */
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "mimic/ui.h"

typedef struct QCode {
    const char *name;
    unsigned key;
} QCode;

/* QMP's QKeyCode enumeration, by name. */
static const QCode qcodes[] = {
    { "shift", KEY_LEFTSHIFT }, { "shift_r", KEY_RIGHTSHIFT },
    { "alt", KEY_LEFTALT }, { "alt_r", KEY_RIGHTALT },
    { "ctrl", KEY_LEFTCTRL }, { "ctrl_r", KEY_RIGHTCTRL },
    { "menu", KEY_MENU }, { "esc", KEY_ESC },
    { "1", KEY_1 }, { "2", KEY_2 }, { "3", KEY_3 }, { "4", KEY_4 },
    { "5", KEY_5 }, { "6", KEY_6 }, { "7", KEY_7 }, { "8", KEY_8 },
    { "9", KEY_9 }, { "0", KEY_0 },
    { "minus", KEY_MINUS }, { "equal", KEY_EQUAL },
    { "backspace", KEY_BACKSPACE }, { "tab", KEY_TAB },
    { "q", KEY_Q }, { "w", KEY_W }, { "e", KEY_E }, { "r", KEY_R },
    { "t", KEY_T }, { "y", KEY_Y }, { "u", KEY_U }, { "i", KEY_I },
    { "o", KEY_O }, { "p", KEY_P },
    { "bracket_left", KEY_LEFTBRACE }, { "bracket_right", KEY_RIGHTBRACE },
    { "ret", KEY_ENTER },
    { "a", KEY_A }, { "s", KEY_S }, { "d", KEY_D }, { "f", KEY_F },
    { "g", KEY_G }, { "h", KEY_H }, { "j", KEY_J }, { "k", KEY_K },
    { "l", KEY_L },
    { "semicolon", KEY_SEMICOLON }, { "apostrophe", KEY_APOSTROPHE },
    { "grave_accent", KEY_GRAVE }, { "backslash", KEY_BACKSLASH },
    { "z", KEY_Z }, { "x", KEY_X }, { "c", KEY_C }, { "v", KEY_V },
    { "b", KEY_B }, { "n", KEY_N }, { "m", KEY_M },
    { "comma", KEY_COMMA }, { "dot", KEY_DOT }, { "slash", KEY_SLASH },
    { "asterisk", KEY_KPASTERISK }, { "spc", KEY_SPACE },
    { "caps_lock", KEY_CAPSLOCK },
    { "f1", KEY_F1 }, { "f2", KEY_F2 }, { "f3", KEY_F3 }, { "f4", KEY_F4 },
    { "f5", KEY_F5 }, { "f6", KEY_F6 }, { "f7", KEY_F7 }, { "f8", KEY_F8 },
    { "f9", KEY_F9 }, { "f10", KEY_F10 }, { "f11", KEY_F11 },
    { "f12", KEY_F12 },
    { "num_lock", KEY_NUMLOCK }, { "scroll_lock", KEY_SCROLLLOCK },
    { "kp_divide", KEY_KPSLASH }, { "kp_multiply", KEY_KPASTERISK },
    { "kp_subtract", KEY_KPMINUS }, { "kp_add", KEY_KPPLUS },
    { "kp_enter", KEY_KPENTER }, { "kp_decimal", KEY_KPDOT },
    { "sysrq", KEY_SYSRQ },
    { "kp_0", KEY_KP0 }, { "kp_1", KEY_KP1 }, { "kp_2", KEY_KP2 },
    { "kp_3", KEY_KP3 }, { "kp_4", KEY_KP4 }, { "kp_5", KEY_KP5 },
    { "kp_6", KEY_KP6 }, { "kp_7", KEY_KP7 }, { "kp_8", KEY_KP8 },
    { "kp_9", KEY_KP9 },
    { "less", KEY_102ND }, { "print", KEY_SYSRQ },
    { "home", KEY_HOME }, { "pgup", KEY_PAGEUP }, { "pgdn", KEY_PAGEDOWN },
    { "end", KEY_END }, { "left", KEY_LEFT }, { "up", KEY_UP },
    { "down", KEY_DOWN }, { "right", KEY_RIGHT },
    { "insert", KEY_INSERT }, { "delete", KEY_DELETE },
    { "stop", KEY_STOP }, { "again", KEY_AGAIN }, { "props", KEY_PROPS },
    { "undo", KEY_UNDO }, { "front", KEY_FRONT }, { "copy", KEY_COPY },
    { "open", KEY_OPEN }, { "paste", KEY_PASTE }, { "find", KEY_FIND },
    { "cut", KEY_CUT }, { "lf", KEY_LINEFEED }, { "help", KEY_HELP },
    { "meta_l", KEY_LEFTMETA }, { "meta_r", KEY_RIGHTMETA },
    { "compose", KEY_COMPOSE }, { "pause", KEY_PAUSE },
    { "ro", KEY_RO }, { "hiragana", KEY_HIRAGANA }, { "henkan", KEY_HENKAN },
    { "yen", KEY_YEN }, { "muhenkan", KEY_MUHENKAN },
    { "katakanahiragana", KEY_KATAKANAHIRAGANA },
    { "kp_comma", KEY_KPCOMMA }, { "kp_equals", KEY_KPEQUAL },
    { "power", KEY_POWER }, { "sleep", KEY_SLEEP }, { "wake", KEY_WAKEUP },
    { "audionext", KEY_NEXTSONG }, { "audioprev", KEY_PREVIOUSSONG },
    { "audiostop", KEY_STOPCD }, { "audioplay", KEY_PLAYPAUSE },
    { "audiomute", KEY_MUTE }, { "volumeup", KEY_VOLUMEUP },
    { "volumedown", KEY_VOLUMEDOWN }, { "mediaselect", KEY_MEDIA },
    { "mail", KEY_MAIL }, { "calculator", KEY_CALC },
    { "computer", KEY_COMPUTER }, { "ac_home", KEY_HOMEPAGE },
    { "ac_back", KEY_BACK }, { "ac_forward", KEY_FORWARD },
    { "ac_refresh", KEY_REFRESH }, { "ac_bookmarks", KEY_BOOKMARKS },
    { "lang1", KEY_HANGEUL }, { "lang2", KEY_HANJA },
    { "f13", KEY_F13 }, { "f14", KEY_F14 }, { "f15", KEY_F15 },
    { "f16", KEY_F16 }, { "f17", KEY_F17 }, { "f18", KEY_F18 },
    { "f19", KEY_F19 }, { "f20", KEY_F20 }, { "f21", KEY_F21 },
    { "f22", KEY_F22 }, { "f23", KEY_F23 }, { "f24", KEY_F24 },
};

unsigned ui_qcode_to_evdev(const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(qcodes); i++) {
        if (!strcmp(qcodes[i].name, name))
            return qcodes[i].key;
    }
    return 0;
}

const char *ui_evdev_to_qcode(unsigned keycode)
{
    for (size_t i = 0; i < G_N_ELEMENTS(qcodes); i++) {
        if (qcodes[i].key == keycode)
            return qcodes[i].name;
    }
    return NULL;
}

/* QEMU's key numbers ("qnum"): PC scancode set 1, 0x80 | the byte after
   an 0xe0 prefix for the extended keys.  The plain ones equal evdev's. */
static const struct { uint8_t qnum; uint16_t key; } qnum_extended[] = {
    { 0x9c, KEY_KPENTER }, { 0x9d, KEY_RIGHTCTRL }, { 0xb5, KEY_KPSLASH },
    { 0xb7, KEY_SYSRQ }, { 0xb8, KEY_RIGHTALT }, { 0xc6, KEY_PAUSE },
    { 0xc7, KEY_HOME }, { 0xc8, KEY_UP }, { 0xc9, KEY_PAGEUP },
    { 0xcb, KEY_LEFT }, { 0xcd, KEY_RIGHT }, { 0xcf, KEY_END },
    { 0xd0, KEY_DOWN }, { 0xd1, KEY_PAGEDOWN }, { 0xd2, KEY_INSERT },
    { 0xd3, KEY_DELETE }, { 0xdb, KEY_LEFTMETA }, { 0xdc, KEY_RIGHTMETA },
    { 0xdd, KEY_COMPOSE },
};

unsigned ui_qnum_to_evdev(unsigned qnum)
{
    if (qnum >= 1 && qnum <= KEY_F12 && qnum != 0x54 && qnum != 0x55)
        return qnum;
    for (size_t i = 0; i < G_N_ELEMENTS(qnum_extended); i++) {
        if (qnum_extended[i].qnum == qnum)
            return qnum_extended[i].key;
    }
    return 0;
}

bool ui_parse_key_combo(const char *keys, unsigned *codes, int max, int *n,
                        char **err)
{
    g_auto(GStrv) parts = NULL;

    *n = 0;
    if (!keys || !*keys) {
        *err = g_strdup("no key given");
        return false;
    }
    /* "-" alone names the minus key; otherwise it separates keys. */
    if (!strcmp(keys, "-")) {
        codes[(*n)++] = KEY_MINUS;
        return true;
    }
    parts = g_strsplit(keys, "-", -1);
    for (int i = 0; parts[i]; i++) {
        unsigned code = ui_qcode_to_evdev(parts[i]);
        char *end;

        /* A number is a qnum, as in QEMU's sendkey 0x1e. */
        if (!code && g_ascii_isdigit(parts[i][0])) {
            unsigned long v = strtoul(parts[i], &end, 0);

            if (!*end && v <= 0xff)
                code = ui_qnum_to_evdev((unsigned)v);
        }
        if (!code) {
            *err = g_strdup_printf("invalid parameter: %s", parts[i]);
            return false;
        }
        if (*n == max) {
            *err = g_strdup_printf("too many keys (at most %d)", max);
            return false;
        }
        codes[(*n)++] = code;
    }
    return true;
}

/*
 * USB HID keyboard usages (HID Usage Tables, page 7, which SDL's
 * scancodes are) from 0x04, to evdev codes.
 */
static const uint16_t hid_keys[] = {
    [0x04] = KEY_A, KEY_B, KEY_C, KEY_D, KEY_E, KEY_F, KEY_G, KEY_H,
    KEY_I, KEY_J, KEY_K, KEY_L, KEY_M, KEY_N, KEY_O, KEY_P, KEY_Q, KEY_R,
    KEY_S, KEY_T, KEY_U, KEY_V, KEY_W, KEY_X, KEY_Y, KEY_Z,
    [0x1e] = KEY_1, KEY_2, KEY_3, KEY_4, KEY_5, KEY_6, KEY_7, KEY_8,
    KEY_9, KEY_0,
    [0x28] = KEY_ENTER, KEY_ESC, KEY_BACKSPACE, KEY_TAB, KEY_SPACE,
    KEY_MINUS, KEY_EQUAL, KEY_LEFTBRACE, KEY_RIGHTBRACE, KEY_BACKSLASH,
    [0x32] = KEY_BACKSLASH,           /* non-US # */
    [0x33] = KEY_SEMICOLON, KEY_APOSTROPHE, KEY_GRAVE, KEY_COMMA, KEY_DOT,
    KEY_SLASH, KEY_CAPSLOCK,
    [0x3a] = KEY_F1, KEY_F2, KEY_F3, KEY_F4, KEY_F5, KEY_F6, KEY_F7,
    KEY_F8, KEY_F9, KEY_F10, KEY_F11, KEY_F12,
    [0x46] = KEY_SYSRQ, KEY_SCROLLLOCK, KEY_PAUSE, KEY_INSERT, KEY_HOME,
    KEY_PAGEUP, KEY_DELETE, KEY_END, KEY_PAGEDOWN, KEY_RIGHT, KEY_LEFT,
    KEY_DOWN, KEY_UP,
    [0x53] = KEY_NUMLOCK, KEY_KPSLASH, KEY_KPASTERISK, KEY_KPMINUS,
    KEY_KPPLUS, KEY_KPENTER, KEY_KP1, KEY_KP2, KEY_KP3, KEY_KP4, KEY_KP5,
    KEY_KP6, KEY_KP7, KEY_KP8, KEY_KP9, KEY_KP0, KEY_KPDOT,
    [0x64] = KEY_102ND, KEY_COMPOSE, KEY_POWER, KEY_KPEQUAL,
    [0x68] = KEY_F13, KEY_F14, KEY_F15, KEY_F16, KEY_F17, KEY_F18,
    KEY_F19, KEY_F20, KEY_F21, KEY_F22, KEY_F23, KEY_F24,
    [0x74] = KEY_OPEN, KEY_HELP, KEY_PROPS, KEY_FRONT, KEY_STOP, KEY_AGAIN,
    KEY_UNDO, KEY_CUT, KEY_COPY, KEY_PASTE, KEY_FIND, KEY_MUTE,
    KEY_VOLUMEUP, KEY_VOLUMEDOWN,
    [0x85] = KEY_KPCOMMA,
    [0x87] = KEY_RO, KEY_KATAKANAHIRAGANA, KEY_YEN, KEY_HENKAN,
    KEY_MUHENKAN,
    [0x90] = KEY_HANGEUL, KEY_HANJA,
    [0xe0] = KEY_LEFTCTRL, KEY_LEFTSHIFT, KEY_LEFTALT, KEY_LEFTMETA,
    KEY_RIGHTCTRL, KEY_RIGHTSHIFT, KEY_RIGHTALT, KEY_RIGHTMETA,
};

unsigned ui_hid_to_evdev(unsigned usage)
{
    return usage < G_N_ELEMENTS(hid_keys) ? hid_keys[usage] : 0;
}
