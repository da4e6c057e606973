#!/usr/bin/env python3
"""Checks that scripts/install-deps.sh installs every program and Python
module the build, the tests and the scripts use, so that a test cannot
depend on a package that only happens to be on the machine it was written
on (debugfs and e2fsck were: a fresh Debian 12 has no e2fsprogs).

It reads the shell scripts (tests/, scripts/, bench/, .ci/run, configure),
the recipes of the Makefiles and the Python files, and collects the words
in command position (the start of a command, after a pipe, `&&`, `;`,
`$(`, `then`, `do`, and the program that `timeout`, `nice`, `xargs`,
`command -v` ... run) and, in Python, the program names in literals, and
the modules imported.  Each program found on PATH is mapped to its Debian
package with `dpkg -S`, each module through its file; the package must be
one that install-deps.sh installs (its list, and what those packages
depend on), or one of the few in ESSENTIAL, which every Debian has.

    python3 scripts/check-deps.py           # TAP, one line per program
    python3 scripts/check-deps.py --list    # program -> package, and where

Run from the source root.
"""
import ast
import glob
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import sysconfig

# Essential packages (Debian's "Essential: yes" and "Priority: required"),
# on every Debian machine; install-deps.sh need not name them.
ESSENTIAL = {
    "base-files", "bash", "bsdutils", "coreutils", "dash", "debianutils",
    "diffutils", "dpkg", "findutils", "grep", "gzip", "hostname", "libc-bin",
    "login", "mawk", "mount", "ncurses-bin", "perl-base", "sed", "tar",
    "util-linux", "apt",
}

# Words in command position that are not programs: shell builtins and
# keywords, and names the scripts define themselves (functions, or
# programs they build).
SHELL_WORDS = set("""
    . : [ [[ ]] { } ! alias bg break case cd command continue do done echo
    elif else esac eval exec exit export false fg fi for function getopts
    hash if in jobs kill let local printf pwd read readonly return set
    shift source test then times trap true type ulimit umask unalias unset
    until wait while
""".split())

# Python modules that a program provides rather than a package of Python
# (gdb's embedded interpreter runs the gdb scripts).
PROGRAM_MODULES = {"gdb": "gdb-multiarch"}

# Words after which the next word is a command too (and which are
# programs themselves when they are not shell words).
PREFIXES = {"timeout", "nice", "xargs", "exec", "command", "time", "sudo",
            "env", "flock", "stdbuf", "setsid", "nohup", "then", "do", "else",
            "elif", "if", "while", "until", "!", "$SUDO", "{"}
# Options of those that take a value.
PREFIX_ARGS = {"-n", "-s", "-k", "--signal", "--kill-after", "-o", "-f",
               "-i", "-I", "-P", "-L", "-u"}
# Make variables that name programs.
MAKE_PROGRAMS = {"CC": "cc", "CROSS_CC": "riscv64-linux-gnu-gcc",
                 "CROSS_OBJDUMP": "riscv64-linux-gnu-objdump", "MAKE": "make",
                 "QEMU_SYSTEM_RISCV64": "qemu-system-riscv64",
                 "FUZZ_CC": "clang", "X86_CC": "cc"}

# Paths in the guest's file system, not the host's.
GUEST_PATHS = {"/usr/share/udhcpc/default.script"}

# Where a fresh Debian machine finds programs (not ~/.pyenv, /usr/local).
SYSTEM_PATH = "/usr/sbin:/usr/bin:/sbin:/bin"

NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_.+-]*$")


def shell_files():
    files = ["configure", ".ci/run"]
    # (tests/images/init and udhcpc.script run in the guest, on busybox.)
    for pat in ("tests/**/*.sh", "scripts/*.sh", "bench/**/*.sh"):
        files += glob.glob(pat, recursive=True)
    return sorted(f for f in set(files) if os.path.isfile(f))


def python_files():
    files = []
    for pat in ("tests/**/*.py", "scripts/*.py", "bench/**/*.py"):
        files += glob.glob(pat, recursive=True)
    return sorted(set(files) - {"scripts/check-deps.py"})


def make_files():
    return ["Makefile"] + sorted(glob.glob("tests/**/Makefile.inc",
                                           recursive=True))


def drop_heredocs(text):
    """Drops the bodies of here-documents (text, not commands)."""
    out, end = [], None
    for line in text.split("\n"):
        if end is not None:
            if line.strip() == end:
                end = None
            continue
        m = re.search(r"<<-?\s*['\"]?([A-Za-z_]+)['\"]?", line)
        if m and "<<<" not in line:
            end = m.group(1)
        out.append(line)
    return "\n".join(out)


def drop_case_patterns(text):
    """Drops `pat|pat)` at the start of a line (case branches)."""
    return re.sub(r"(?m)^(\s*)\(?[^()\s;|]+(\s*\|\s*[^()\s;|]+)*\)", r"\1",
                  text)


def command_texts(text):
    """Splits shell text into pieces of command text: the text outside
    quotes, and the inside of each $( ) and ` ` (also within double
    quotes).  Quoted text, ${ } and $(( )) become a placeholder word."""
    pieces, stack = [[]], []    # stack of (kind, paren depth)
    i, n = 0, len(text)
    mode = "cmd"
    depth = 0
    while i < n:
        c = text[i]
        two = text[i:i + 2]
        if mode == "cmd":
            if c == "\\":
                pieces[-1].append(" ")
                i += 2
                continue
            if c == "#" and (i == 0 or text[i - 1] in " \t\n;|&("):
                while i < n and text[i] != "\n":
                    i += 1
                continue
            if c == "'":
                j = text.find("'", i + 1)
                i = n if j < 0 else j + 1
                pieces[-1].append(" %Q% ")
                continue
            if c == '"':
                stack.append((mode, depth))
                mode = "dq"
                pieces[-1].append(" %Q% ")
                i += 1
                continue
        elif mode == "dq":
            if c == "\\":
                i += 2
                continue
            if c == '"':
                mode, depth = stack.pop()
                i += 1
                continue
            if two != "$(" and c != "`":
                i += 1
                continue
        if text.startswith("$((", i):
            j = text.find("))", i)
            i = n if j < 0 else j + 2
            pieces[-1].append(" %Q% ")
            continue
        if two == "${":
            j = text.find("}", i)
            i = n if j < 0 else j + 1
            pieces[-1].append(" %Q% ")
            continue
        if two == "$(" or c == "`":
            if c == "`" and mode == "bq":
                mode, depth = stack.pop()
                i += 1
                continue
            stack.append((mode, depth))
            mode, depth = ("bq", 0) if c == "`" else ("cmd", 1)
            pieces.append([])
            i += 1 if c == "`" else 2
            continue
        if mode == "cmd" and c == "(":
            depth += 1
            pieces[-1].append(" ; ")
        elif mode == "cmd" and c == ")":
            depth -= 1
            if depth == 0 and stack:
                mode, depth = stack.pop()
                pieces.append([])
            else:
                pieces[-1].append(" ; ")
        elif mode in ("cmd", "bq"):
            pieces[-1].append(c)
        i += 1
    return ["".join(p) for p in pieces]


def command_words(text):
    """The words of shell text in command position."""
    words = []
    for piece in command_texts(text):
        for seg in re.split(r"\|\||&&|[|;&\n]", piece):
            toks = seg.split()
            i = 0
            while i < len(toks) and re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", toks[i]):
                i += 1
            while i < len(toks):
                t = toks[i]
                if t in PREFIXES:
                    if t not in SHELL_WORDS and NAME.match(t):
                        words.append(t)
                    i += 1
                elif t in PREFIX_ARGS:
                    i += 2
                elif t.startswith("-") or re.match(r"^[0-9.]+[smh]?$", t):
                    i += 1
                else:
                    break
            if i < len(toks):
                words.append(toks[i])
    return words


def shell_commands(path, text):
    return command_words(drop_case_patterns(drop_heredocs(text)))


def make_commands(path, text):
    text = text.replace("\\\n", " ")
    recipe = [l[1:] for l in text.split("\n") if l.startswith("\t")]
    out = []
    for line in recipe:
        line = line.lstrip("@-+ ")
        line = re.sub(r"\$\(([A-Z][A-Z0-9_]*)\)",
                      lambda m: MAKE_PROGRAMS.get(m.group(1), "MAKEVAR"), line)
        # In a define expanded by $(eval), $$(f ...) and $$@ are make's.
        line = re.sub(r"\$\$([(@<^*])", r"$\1", line)
        # Automatic variables, then make functions from the innermost out
        # ($(call f,$(filter %.a,$^)) is one word of the command).
        line = re.sub(r"\$[@<^*]", "MAKEVAR", line)
        prev = None
        while prev != line:
            prev = line
            line = re.sub(r"\$\([^()$]*\)", "MAKEVAR", line)
        out += command_words(line.replace("$$", "$"))
    return out


# Python functions that run the program named by their first argument
# (subprocess's, and the tests' wrappers of them).
RUN_FUNCS = {"run", "sh", "Popen", "call", "check_call", "check_output",
             "which"}


def python_programs(path, tree):
    """Program names in a Python file: [(name, sure)].  Sure: the first
    argument of a call that runs a program (or the first word of the
    command list it gets).  Not sure: a string assigned to a name or given
    as a default (GDB = "gdb-multiarch", os.environ.get("QEMU", "qemu-...")),
    which counts only if it names a program on PATH."""
    out = []

    def first_word(node, sure):
        while isinstance(node, ast.BinOp):
            node = node.left
        if isinstance(node, (ast.List, ast.Tuple)) and node.elts:
            node = node.elts[0]
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            out.append((node.value, sure))

    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            f = node.func
            name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")
            if name in RUN_FUNCS and node.args:
                first_word(node.args[0], True)
            elif name in ("get", "getenv") and len(node.args) == 2:
                first_word(node.args[1], False)
        elif isinstance(node, ast.Assign):
            first_word(node.value, False)
    return [(w, sure) for w, sure in out if NAME.match(w)]


def python_imports(tree):
    mods = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            mods.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            mods.add(node.module.split(".")[0])
    return mods


def package_list():
    """The packages named in install-deps.sh's PKGS."""
    text = open("scripts/install-deps.sh").read()
    m = re.search(r'^PKGS="([^"]*)"', text, re.M)
    return m.group(1).split()


def dependency_closure(pkgs):
    """The packages apt installs for pkgs (Depends and Pre-Depends)."""
    out = subprocess.run(
        ["apt-cache", "depends", "--recurse", "--installed", "--no-recommends",
         "--no-suggests", "--no-conflicts", "--no-breaks", "--no-replaces",
         "--no-enhances"] + pkgs, capture_output=True, text=True).stdout
    closure = set(pkgs)
    for line in out.split("\n"):
        line = line.strip()
        if not line:
            continue
        if ":" in line:
            line = line.split(":", 1)[1].strip()
        line = line.strip("<>|")
        if line:
            closure.add(line.split(":")[0])
    return closure


def owners(paths):
    """{path: package} for the files dpkg knows."""
    if not paths:
        return {}
    r = subprocess.run(["dpkg", "-S"] + sorted(paths), capture_output=True,
                       text=True)
    got = {}
    for line in r.stdout.split("\n"):
        if ": " in line:
            pkg, path = line.split(": ", 1)
            got[path] = pkg.split(",")[0].split(":")[0].strip()
    return got


def candidates(path):
    """The names dpkg may know a file by (merged /usr, symlinks)."""
    out = [path]
    for a, b in (("/usr/bin/", "/bin/"), ("/usr/sbin/", "/sbin/"),
                 ("/bin/", "/usr/bin/"), ("/sbin/", "/usr/sbin/")):
        if path.startswith(a):
            out.append(b + path[len(a):])
    real = os.path.realpath(path)
    if real != path:
        out += candidates(real)
    return out


def project_program(word, defined):
    return (word in SHELL_WORDS or word in defined or "$" in word or
            "/" in word or word.startswith("mimic") or
            not NAME.match(word) or word.endswith((".sh", ".py", ".elf")))


def collect():
    """{program: set of files}, {module: set of files}, {path: set of
    files} (the files under /usr/ that the scripts name)."""
    progs, mods, files = {}, {}, {}
    local_mods = {os.path.splitext(os.path.basename(f))[0]
                  for f in python_files()}
    for f in shell_files() + make_files() + python_files():
        text = open(f, errors="replace").read()
        for path in re.findall(r"(/usr/(?:lib|share|src|bin|sbin|libexec)"
                               r"/[A-Za-z0-9_.+/-]*[A-Za-z0-9_])", text):
            files.setdefault(path, set()).add(f)
    for f in shell_files() + make_files():
        text = open(f, errors="replace").read()
        # Functions a script defines, or a file of the tree that it
        # sources (". tests/tap.sh", or beside it: '. "$(dirname "$0")/x.sh"')
        # defines.
        libs = re.findall(r"^\s*\.\s+(tests/[A-Za-z0-9_./-]+\.sh)\s*$",
                          text, re.M)
        libs += [os.path.join(os.path.dirname(f), lib) for lib in re.findall(
            r'^\s*\.\s+"\$\(dirname "\$0"\)/([A-Za-z0-9_.-]+\.sh)"\s*$',
            text, re.M)]
        for lib in libs:
            if os.path.isfile(lib):
                text += "\n" + open(lib, errors="replace").read()
        defined = set(re.findall(r"^\s*([A-Za-z_][A-Za-z0-9_-]*)\s*\(\)", text,
                                 re.M))
        words = (make_commands(f, text) if f in make_files()
                 else shell_commands(f, text))
        for w in words:
            if not project_program(w, defined):
                progs.setdefault(w, set()).add(f)
    for f in python_files():
        tree = ast.parse(open(f).read(), f)
        for w, sure in python_programs(f, tree):
            if not project_program(w, set()) and (sure or shutil.which(w)):
                progs.setdefault(w, set()).add(f)
        for m in python_imports(tree):
            if m not in local_mods and m not in sys.stdlib_module_names:
                mods.setdefault(m, set()).add(f)
    return progs, mods, files


def module_file(name):
    """Where Debian's python3 finds a module (None: nowhere)."""
    if name in PROGRAM_MODULES:
        return None
    r = subprocess.run(
        ["/usr/bin/python3", "-c",
         "import importlib.util, sys; s = importlib.util.find_spec(sys.argv[1]); "
         "print(s.origin if s and s.origin else '')", name],
        capture_output=True, text=True)
    return r.stdout.strip() or None


def main():
    listing = "--list" in sys.argv
    progs, mods, files = collect()
    allowed = dependency_closure(package_list()) | ESSENTIAL
    paths = {}
    for p in progs:
        found = shutil.which(p, path=SYSTEM_PATH)
        paths[p] = candidates(found) if found else []
    mpaths = {}
    for m in mods:
        mf = module_file(m)
        mpaths[m] = candidates(mf) if mf else []
    fpaths = {f: candidates(f) if os.path.exists(f) else [] for f in files}
    known = owners({c for cs in list(paths.values()) + list(mpaths.values()) +
                    list(fpaths.values()) for c in cs})
    n = failed = 0

    def report(ok, what):
        nonlocal n, failed
        n += 1
        failed += not ok
        print("%s %d - %s" % ("ok" if ok else "not ok", n, what))

    for p in sorted(progs):
        where = ", ".join(sorted(progs[p]))
        pkg = next((known[c] for c in paths[p] if c in known), None)
        if listing:
            print("%-28s %-24s %s" % (p, pkg or "?", where))
            continue
        if not paths[p]:
            other = shutil.which(p)
            report(False, "%s (used in %s) is not installed from a Debian "
                   "package%s: add its package to scripts/install-deps.sh"
                   % (p, where, " (only at %s)" % other if other else ""))
        elif not pkg:
            report(False, "%s (used in %s): no Debian package owns %s"
                   % (p, where, paths[p][0]))
        else:
            report(pkg in allowed, "%s comes from %s%s" % (
                p, pkg, "" if pkg in allowed else
                ", which scripts/install-deps.sh does not install (used in %s)"
                % where))
    for m in sorted(mods):
        where = ", ".join(sorted(mods[m]))
        if m in PROGRAM_MODULES:
            pkg = PROGRAM_MODULES[m]
        else:
            pkg = next((known[c] for c in mpaths[m] if c in known), None)
        if listing:
            print("%-28s %-24s %s" % ("python:" + m, pkg or "?", where))
            continue
        if not pkg:
            report(False, "Python module %s (imported by %s) is not installed "
                   "from a Debian package" % (m, where))
        else:
            report(pkg in allowed, "Python module %s comes from %s%s" % (
                m, pkg, "" if pkg in allowed else
                ", which scripts/install-deps.sh does not install (imported "
                "by %s)" % where))
    for f in sorted(files):
        where = ", ".join(sorted(files[f]))
        pkg = next((known[c] for c in fpaths[f] if c in known), None)
        if listing:
            print("%-28s %-24s %s" % (f, pkg or "?", where))
            continue
        if f in GUEST_PATHS:
            continue
        if not fpaths[f]:
            report(False, "%s (named in %s) does not exist: add the package "
                   "that has it to scripts/install-deps.sh" % (f, where))
            continue
        report(not pkg or pkg in allowed, "%s comes from %s%s" % (
            f, pkg or "no package", "" if not pkg or pkg in allowed else
            ", which scripts/install-deps.sh does not install (used in %s)"
            % where))
    if not listing:
        print("1..%d" % n)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
