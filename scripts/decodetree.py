#!/usr/bin/env python3
"""Turns a .decode instruction table into a C decoder.

A .decode file lists instruction patterns as bit strings (most significant
bit first) with named fields; the generator emits one C function

    static bool decode_NAME(DisasContext *ctx, uint32_t insn);

that matches insn against the patterns, extracts the fields of the one that
matches into an arg_SET struct and calls the extern translator function
bool trans_PATTERN(DisasContext *ctx, arg_SET *a), returning its result (or
false when no pattern matches).  The syntax (one item per line, # comments,
a trailing backslash continues a line):

    %field  pos:len pos:slen ... [!function=fn]   field: concatenated bit
            ranges, most significant first; 's' sign-extends the result;
            fn(ctx, value) post-processes it (e.g. a shift by 1)
    &set    name name ...                         argument struct arg_set
    @fmt    [bits] [&set] [args]                  shared format
    pat     bits [@fmt] [&set] [args]             pattern -> trans_pat

bits are tokens of 0 1 (fixed), . (field bits), - (ignored) and inline
fields name:len or name:slen; args are name=%field, %field (same name) or
name=constant.  A pattern without a set or a format gets an implicit set
named after itself; a format without a set one named after the format.
Patterns at top level (and inside [ ]) must not overlap: the generator
reports any pair that can match the same encoding.  Inside { } they may
overlap; they are tried in order until a trans function returns true.

The output, build/gen/.../decode-NAME.c.inc, has two parts: declarations
(arg_ structs and trans_ prototypes, under include guards so several
decoders can share sets) and, unless DECODETREE_DECLS_ONLY is defined, the
decode function.  When DECODETREE_TEST_STUBS is defined it also defines
every trans function as a stub calling decodetree_test_record(ctx, "name",
"fmt", fields...), which unit tests use to see what an encoding maps to.

Usage: decodetree.py FILE.decode -o OUT.c.inc [--decode NAME]
       decodetree.py --selftest
"""

import argparse
import os
import re
import sys


class DecodeError(Exception):
    pass


class Field:
    """A named %field: segments (pos, len, signed) and an optional function."""

    def __init__(self, name, segs, func):
        self.name = name
        self.segs = segs
        self.func = func

    def width(self):
        return sum(s[1] for s in self.segs)

    def c_expr(self):
        if not self.segs:
            expr = "0"
        else:
            parts = []
            shift = self.width()
            for pos, length, _ in self.segs:
                shift -= length
                if length == 32:
                    part = "insn"
                else:
                    part = "decodetree_extract(insn, %d, %d)" % (pos, length)
                if shift:
                    part = "(%s << %d)" % (part, shift)
                parts.append(part)
            expr = " | ".join(parts)
            if self.segs[0][2]:
                expr = "decodetree_sextend(%s, %d)" % (expr, self.width())
            else:
                expr = "(int)(%s)" % expr
        if self.func:
            expr = "%s(ctx, %s)" % (self.func, expr)
        return expr


class ArgSet:
    def __init__(self, name, fields, implicit=False):
        self.name = name
        self.fields = fields
        self.implicit = implicit


class Pattern:
    """A pattern or format: fixed bits, field sources and an argument set."""

    def __init__(self, name, lineno):
        self.name = name
        self.lineno = lineno
        self.mask = 0
        self.bits = 0
        self.width = 0
        self.sources = {}   # field name -> Field or int
        self.argset = None
        self.fmt = None


class Group:
    def __init__(self, overlap, lineno):
        self.overlap = overlap
        self.lineno = lineno
        self.items = []
        self.mask = 0
        self.bits = 0


class Parser:
    def __init__(self, filename):
        self.filename = filename
        self.fields = {}
        self.argsets = {}
        self.formats = {}
        self.patterns = []
        self.trans = {}       # trans name -> ArgSet
        self.root = Group(False, 0)
        self.width = None

    def error(self, lineno, msg):
        raise DecodeError("%s:%d: %s" % (self.filename, lineno, msg))

    def parse(self, text):
        stack = [self.root]
        lines = text.split("\n")
        i = 0
        while i < len(lines):
            lineno = i + 1
            line = lines[i].split("#", 1)[0].rstrip()
            while line.endswith("\\") and i + 1 < len(lines):
                i += 1
                line = line[:-1] + " " + lines[i].split("#", 1)[0].rstrip()
            i += 1
            toks = line.split()
            if not toks:
                continue
            if toks[0] in ("{", "["):
                g = Group(toks[0] == "{", lineno)
                stack[-1].items.append(g)
                stack.append(g)
                toks = toks[1:]
            if toks and toks[0] in ("}", "]"):
                if len(stack) == 1 or stack[-1].overlap != (toks[0] == "}"):
                    self.error(lineno, "unbalanced '%s'" % toks[0])
                stack.pop()
                toks = toks[1:]
            if not toks:
                continue
            if toks[0].startswith("%"):
                self.parse_field(lineno, toks)
            elif toks[0].startswith("&"):
                self.parse_argset(lineno, toks)
            elif toks[0].startswith("@"):
                self.parse_pattern(lineno, toks, True)
            else:
                stack[-1].items.append(self.parse_pattern(lineno, toks, False))
        if len(stack) != 1:
            self.error(stack[-1].lineno, "group not closed")

    def check_name(self, lineno, name):
        if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", name):
            self.error(lineno, "bad name '%s'" % name)

    def parse_field(self, lineno, toks):
        name = toks[0][1:]
        self.check_name(lineno, name)
        if name in self.fields:
            self.error(lineno, "field %%%s defined twice" % name)
        segs, func = [], None
        for t in toks[1:]:
            m = re.match(r"^(\d+):(s?)(\d+)$", t)
            if t.startswith("!function="):
                func = t[len("!function="):]
                self.check_name(lineno, func)
            elif m:
                pos, length = int(m.group(1)), int(m.group(3))
                if length < 1 or pos + length > 32:
                    self.error(lineno, "bad segment '%s'" % t)
                if m.group(2) and segs:
                    self.error(lineno, "only the first segment may be signed")
                segs.append((pos, length, bool(m.group(2))))
            else:
                self.error(lineno, "bad field segment '%s'" % t)
        if not segs and not func:
            self.error(lineno, "field %%%s has no bits" % name)
        if sum(s[1] for s in segs) > 32:
            self.error(lineno, "field %%%s is wider than 32 bits" % name)
        self.fields[name] = Field(name, segs, func)

    def parse_argset(self, lineno, toks):
        name = toks[0][1:]
        self.check_name(lineno, name)
        if name in self.argsets:
            self.error(lineno, "argument set &%s defined twice" % name)
        fields = toks[1:]
        for f in fields:
            self.check_name(lineno, f)
        if len(set(fields)) != len(fields):
            self.error(lineno, "argument set &%s repeats a name" % name)
        self.argsets[name] = ArgSet(name, fields)

    def parse_bits(self, lineno, p, toks):
        """Consumes the bit-string tokens at the front of toks."""
        chars = ""
        inline = []
        while toks:
            t = toks[0]
            m = re.match(r"^([A-Za-z_][A-Za-z0-9_]*):(s?)(\d+)$", t)
            if re.match(r"^[01.\-]+$", t):
                chars += t
            elif m:
                length = int(m.group(3))
                inline.append((m.group(1), len(chars), length, bool(m.group(2))))
                chars += "." * length
            else:
                break
            toks.pop(0)
        p.width = len(chars)
        for i, c in enumerate(chars):
            bit = 1 << (p.width - 1 - i)
            if c in "01":
                p.mask |= bit
                if c == "1":
                    p.bits |= bit
        for name, start, length, signed in inline:
            pos = p.width - start - length
            p.sources[name] = Field(name, [(pos, length, signed)], None)

    def parse_pattern(self, lineno, toks, is_format):
        name = toks[0][1:] if is_format else toks[0]
        self.check_name(lineno, name)
        p = Pattern(name, lineno)
        toks = list(toks[1:])
        self.parse_bits(lineno, p, toks)
        explicit = {}
        for t in toks:
            if t.startswith("@"):
                if is_format or p.fmt:
                    self.error(lineno, "unexpected format '%s'" % t)
                if t[1:] not in self.formats:
                    self.error(lineno, "unknown format '%s'" % t)
                p.fmt = self.formats[t[1:]]
            elif t.startswith("&"):
                if p.argset or t[1:] not in self.argsets:
                    self.error(lineno, "bad argument set '%s'" % t)
                p.argset = self.argsets[t[1:]]
            elif t.startswith("%"):
                explicit[t[1:]] = self.lookup_field(lineno, t[1:])
            elif "=" in t:
                key, val = t.split("=", 1)
                self.check_name(lineno, key)
                if val.startswith("%"):
                    explicit[key] = self.lookup_field(lineno, val[1:])
                else:
                    try:
                        explicit[key] = int(val, 0)
                    except ValueError:
                        self.error(lineno, "bad value '%s'" % t)
            else:
                self.error(lineno, "unexpected '%s'" % t)
        self.merge_format(lineno, p, explicit)
        if is_format:
            if name in self.formats:
                self.error(lineno, "format @%s defined twice" % name)
            self.formats[name] = p
        else:
            self.finish_pattern(lineno, p)
        return p

    def lookup_field(self, lineno, name):
        if name not in self.fields:
            self.error(lineno, "unknown field '%%%s'" % name)
        return self.fields[name]

    def merge_format(self, lineno, p, explicit):
        fmt = p.fmt
        if fmt:
            if fmt.width and p.width and fmt.width != p.width:
                self.error(lineno, "width differs from format @%s" % fmt.name)
            both = fmt.mask & p.mask
            if (fmt.bits ^ p.bits) & both:
                self.error(lineno, "fixed bits conflict with format @%s"
                           % fmt.name)
            p.mask |= fmt.mask
            p.bits |= fmt.bits
            srcs = dict(fmt.sources)
            srcs.update(p.sources)
            p.sources = srcs
            if not p.argset:
                p.argset = fmt.argset
        p.sources.update(explicit)
        if not p.argset:
            names = list(p.sources)
            if p.name in self.argsets:
                p.argset = self.argsets[p.name]
                if sorted(p.argset.fields) != sorted(names):
                    self.error(lineno, "implicit set &%s clashes" % p.name)
            else:
                p.argset = ArgSet(p.name, names, implicit=True)
                self.argsets[p.name] = p.argset
        for f in p.sources:
            if f not in p.argset.fields:
                self.error(lineno, "'%s' is not in &%s" % (f, p.argset.name))

    def finish_pattern(self, lineno, p):
        if self.width is None:
            self.width = p.width
        if p.width != self.width or p.width not in (16, 32):
            self.error(lineno, "pattern is %d bits wide, expected %s"
                       % (p.width, self.width if self.width in (16, 32)
                          else "16 or 32"))
        for f in p.argset.fields:
            if f not in p.sources:
                self.error(lineno, "'%s' of &%s is not set" % (f, p.argset.name))
        prev = self.trans.get(p.name)
        if prev and prev is not p.argset:
            self.error(lineno, "trans_%s used with two argument sets" % p.name)
        self.trans[p.name] = p.argset
        self.patterns.append(p)


def overlaps(a, b):
    common = a.mask & b.mask
    return (a.bits & common) == (b.bits & common)


def describe(item):
    if isinstance(item, Group):
        return "group at line %d" % item.lineno
    return "%s (line %d)" % (item.name, item.lineno)


def settle_group(g, filename):
    """Computes each group's common mask and checks non-overlap rules."""
    for it in g.items:
        if isinstance(it, Group):
            settle_group(it, filename)
    if not g.items:
        raise DecodeError("%s:%d: empty group" % (filename, g.lineno))
    mask = ~0
    for it in g.items:
        mask &= it.mask
    first = g.items[0].bits
    for it in g.items[1:]:
        mask &= ~(first ^ it.bits)
    g.mask = mask & 0xffffffff
    g.bits = first & g.mask
    if g.overlap:
        return
    for i, a in enumerate(g.items):
        for b in g.items[i + 1:]:
            if overlaps(a, b):
                raise DecodeError("%s:%d: %s overlaps %s" % (
                    filename, b.lineno, describe(b), describe(a)))


class Emitter:
    def __init__(self, parser, fname):
        self.p = parser
        self.fname = fname
        self.out = []
        self.sets_used = {}

    def line(self, depth, text):
        self.out.append("    " * depth + text if text else "")

    def guard(self, name):
        return "DECODETREE_%s" % name.upper()

    def emit_decls(self):
        p = self.p
        self.line(0, "#ifndef DECODETREE_COMMON")
        self.line(0, "#define DECODETREE_COMMON")
        self.line(0, "static inline uint32_t decodetree_extract(uint32_t insn, "
                  "int pos, int len)")
        self.line(0, "{")
        self.line(1, "return (insn >> pos) & ((1u << len) - 1);")
        self.line(0, "}")
        self.line(0, "")
        self.line(0, "static inline int decodetree_sextend(uint32_t val, int len)")
        self.line(0, "{")
        self.line(1, "return (int32_t)(val << (32 - len)) >> (32 - len);")
        self.line(0, "}")
        self.line(0, "#endif")
        self.line(0, "")
        for name in sorted(set(a.name for a in p.trans.values())):
            a = p.argsets[name]
            g = self.guard("ARG_" + name)
            self.line(0, "#ifndef %s" % g)
            self.line(0, "#define %s" % g)
            self.line(0, "typedef struct arg_%s {" % name)
            for f in a.fields:
                self.line(1, "int %s;" % f)
            if not a.fields:
                self.line(1, "char unused_;")
            self.line(0, "} arg_%s;" % name)
            self.line(0, "#endif")
        self.line(0, "")
        for t in sorted(p.trans):
            self.line(0, "bool trans_%s(DisasContext *ctx, arg_%s *a);"
                      % (t, p.trans[t].name))
        self.line(0, "")

    def emit_stubs(self):
        p = self.p
        self.line(0, "#ifdef DECODETREE_TEST_STUBS")
        for t in sorted(p.trans):
            a = p.trans[t]
            g = self.guard("STUB_" + t)
            self.line(0, "#ifndef %s" % g)
            self.line(0, "#define %s" % g)
            self.line(0, "bool trans_%s(DisasContext *ctx, arg_%s *a)"
                      % (t, a.name))
            self.line(0, "{")
            fmt = " ".join("%s=%%d" % f for f in a.fields)
            args = "".join(", a->%s" % f for f in a.fields)
            if not a.fields:
                args = ", 0"
                self.line(1, "(void)a;")
            self.line(1, 'return decodetree_test_record(ctx, "%s", "%s"%s);'
                      % (t, fmt, args))
            self.line(0, "}")
            self.line(0, "#endif")
        self.line(0, "#endif")
        self.line(0, "")

    def emit_pattern(self, depth, pat, known):
        rest = pat.mask & ~known
        d = depth
        if rest:
            self.line(d, "if ((insn & 0x%08x) == 0x%08x) {" %
                      (rest, pat.bits & rest))
            d += 1
        self.line(d, "/* %s:%d */" % (os.path.basename(self.p.filename),
                                     pat.lineno))
        a = pat.argset
        self.sets_used[a.name] = a
        for f in a.fields:
            src = pat.sources[f]
            val = str(src) if isinstance(src, int) else src.c_expr()
            self.line(d, "u.f_%s.%s = %s;" % (a.name, f, val))
        self.line(d, "if (trans_%s(ctx, &u.f_%s)) {" % (pat.name, a.name))
        self.line(d + 1, "return true;")
        self.line(d, "}")
        if rest:
            self.line(depth, "}")

    def emit_items(self, depth, items, known, overlap):
        """Emits code that tries items; falls through if none accepts."""
        if not overlap and len(items) > 1:
            common = ~known & 0xffffffff
            for it in items:
                common &= it.mask
            if common:
                self.emit_switch(depth, items, known, common)
                return
        for it in items:
            if isinstance(it, Group):
                rest = it.mask & ~known
                d = depth
                if rest:
                    self.line(d, "if ((insn & 0x%08x) == 0x%08x) {" %
                              (rest, it.bits & rest))
                    d += 1
                self.emit_items(d, it.items, known | rest, it.overlap)
                if rest:
                    self.line(depth, "}")
            else:
                self.emit_pattern(depth, it, known)

    def emit_switch(self, depth, items, known, common):
        cases = {}
        for it in items:
            cases.setdefault(it.bits & common, []).append(it)
        self.line(depth, "switch (insn & 0x%08x) {" % common)
        for val in sorted(cases):
            self.line(depth, "case 0x%08x:" % val)
            self.emit_items(depth + 1, cases[val], known | common, False)
            self.line(depth + 1, "break;")
        self.line(depth, "}")

    def emit_decoder(self):
        body_start = len(self.out)
        self.emit_items(1, self.p.root.items, 0, self.p.root.overlap)
        body = self.out[body_start:]
        del self.out[body_start:]
        self.line(0, "static bool %s(DisasContext *ctx, uint32_t insn)"
                  % self.fname)
        self.line(0, "{")
        self.line(1, "union {")
        for name in sorted(self.sets_used):
            self.line(2, "arg_%s f_%s;" % (name, name))
        self.line(1, "} u;")
        self.line(0, "")
        self.out.extend(body)
        self.line(1, "return false;")
        self.line(0, "}")

    def generate(self):
        src = os.path.basename(self.p.filename)
        g = self.guard(self.fname)
        self.line(0, "/* Generated by scripts/decodetree.py from %s: do not "
                  "edit. */" % src)
        self.line(0, "")
        self.line(0, "#ifndef %s_DECLS" % g)
        self.line(0, "#define %s_DECLS" % g)
        self.line(0, "#include <stdbool.h>")
        self.line(0, "#include <stdint.h>")
        self.line(0, "")
        self.emit_decls()
        self.emit_stubs()
        self.line(0, "#endif")
        self.line(0, "")
        self.line(0, "#if !defined(DECODETREE_DECLS_ONLY) && !defined(%s_FUNC)"
                  % g)
        self.line(0, "#define %s_FUNC" % g)
        self.emit_decoder()
        self.line(0, "#endif")
        return "\n".join(self.out) + "\n"


def generate(text, filename, fname):
    p = Parser(filename)
    p.parse(text)
    if not p.patterns:
        raise DecodeError("%s: no patterns" % filename)
    settle_group(p.root, filename)
    return Emitter(p, fname).generate()


def selftest():
    """Quick checks of the parser; the C-level tests live in tests/unit."""
    ok = True

    def expect_error(text, what):
        nonlocal ok
        try:
            generate(text, "t.decode", "decode_t")
        except DecodeError as e:
            if what not in str(e):
                print("selftest: wrong error for %r: %s" % (what, e))
                ok = False
            return
        print("selftest: no error for %r" % what)
        ok = False

    expect_error("a 00000000 x:4 ....\nb 0000000000000000\n", "overlaps")
    expect_error("&s y\n&t z\na 00000000 y:8 &s\na 11111111 z:8 &t\n",
                 "two argument sets")
    expect_error("&s x y\na 0000000000000000 x:16 &s\n", "is not set")
    expect_error("a 000000000000000 0\nb 0000000000000000 0\n", "bits wide")
    expect_error("{\na 00000000000000000000000000000000\n", "not closed")
    expect_error("a 0000000000000000 x=%nope\n", "unknown field")
    expect_error("%f 30:4\n", "bad segment")
    text = ("%imm 31:s1 7:1 !function=twice\n&b imm\n"
            "{\n a 1.000000000000000000000000000000 &b imm=%imm\n"
            " b ................................ &b imm=3\n}\n")
    out = generate(text, "t.decode", "decode_t")
    for want in ("decodetree_sextend(", "twice(ctx,",
                 "bool trans_a(DisasContext *ctx, arg_b *a);"):
        if want not in out:
            print("selftest: output lacks %r" % want)
            ok = False
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("input", nargs="?")
    ap.add_argument("-o", "--output")
    ap.add_argument("--decode", help="decoder function name "
                    "(default decode_ + the input's base name)")
    ap.add_argument("--selftest", action="store_true")
    args = ap.parse_args()
    if args.selftest:
        ok = selftest()
        print("decodetree selftest: %s" % ("ok" if ok else "FAILED"))
        return 0 if ok else 1
    if not args.input:
        ap.error("no input file")
    base = os.path.splitext(os.path.basename(args.input))[0]
    fname = args.decode or "decode_" + re.sub(r"\W", "_", base)
    try:
        with open(args.input) as f:
            text = f.read()
        out = generate(text, args.input, fname)
    except (OSError, DecodeError) as e:
        print("decodetree: %s" % e, file=sys.stderr)
        return 1
    if args.output:
        tmp = args.output + ".tmp"
        with open(tmp, "w") as f:
            f.write(out)
        os.replace(tmp, args.output)
    else:
        sys.stdout.write(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
