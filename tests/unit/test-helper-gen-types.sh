#!/bin/sh
# needs: none
# A helper list (include/mimic/helper-gen.h) is checked by the compiler:
# a call site that passes the wrong kind of temp, the wrong number of
# them, or a definition that disagrees with the list does not compile.
# Each case is a few lines of C compiled with the build's flags
# (config.mak) against a small list, and once against RISC-V's own
# helper.def; a correct program compiles first, so that a broken harness
# fails instead of passing every case.  Prints TAP.  Run from the source
# root after configure.
. tests/tap.sh
B=${BUILD_DIR:-build}
TAP_SHOW=err

if [ ! -f "$B/config.mak" ]; then
    echo "1..0 # SKIP not configured ($B/config.mak missing)"
    exit 0
fi
CC=$(sed -n 's/^CC=//p' "$B/config.mak")
CFLAGS=$(sed -n 's/^BASE_CFLAGS=//p' "$B/config.mak")

# A list of one helper, in the shape of a target's helper.def.
cat > "$T/list.def" <<'EOC'
DEF_HELPER_2(add, i64, env, i64, TCG_CALL_NO_RWG)
DEF_HELPER_1(halt, noreturn, env, 0)
EOC
# The program around each case: $1 is the definition of helper_add,
# $2 the body of the translator function.
program() {
    cat <<EOC
#include "mimic/helper-gen.h"
typedef struct Env { uint64_t r; } Env;
#define HELPER_ENV_TYPE Env
#include "$T/list.def"
#undef HELPER_ENV_TYPE
$1
_Noreturn void helper_halt(Env *env) { for (;;) ; }
void translate(TCGv_i64 a, TCGv_i32 w)
{
    $2
}
EOC
}
GOOD_DEF='uint64_t helper_add(Env *env, uint64_t v) { return env->r + v; }'

# compiles NAME STATUS ERR_PATTERN DEFINITION BODY
compiles() {
    program "$4" "$5" > "$T/case.c"
    # shellcheck disable=SC2086
    check_cmd "$1" "$2" "" "$3" $CC $CFLAGS -I. -Iinclude -fsyntax-only "$T/case.c"
}

compiles "a correct list, definition and call compile" 0 "" "$GOOD_DEF" \
    'gen_helper_add(a, tcg_env(), a); gen_helper_halt(tcg_env());'
compiles "an i32 temp for an i64 argument does not compile" 1 \
    "incompatible pointer type" "$GOOD_DEF" 'gen_helper_add(a, tcg_env(), w);'
compiles "an i64 temp for env does not compile" 1 \
    "incompatible pointer type" "$GOOD_DEF" 'gen_helper_add(a, a, a);'
compiles "an i32 temp for an i64 result does not compile" 1 \
    "incompatible pointer type" "$GOOD_DEF" 'gen_helper_add(w, tcg_env(), a);'
compiles "a constant for a temp does not compile" 1 \
    "int-conversion" "$GOOD_DEF" 'gen_helper_add(a, tcg_env(), 1);'
compiles "a missing argument does not compile" 1 \
    "too few arguments" "$GOOD_DEF" 'gen_helper_add(a, tcg_env());'
compiles "a result for a helper without one does not compile" 1 \
    "too many arguments" "$GOOD_DEF" 'gen_helper_halt(a, tcg_env());'
compiles "a definition that disagrees with the list does not compile" 1 \
    "conflicting types" \
    'uint64_t helper_add(Env *env, uint32_t v) { return env->r + v; }' \
    'gen_helper_add(a, tcg_env(), a);'

# RISC-V's list: helper_csr is (env, i64, i64) -> i64.
cat > "$T/rv.c" <<'EOC'
#include "target/riscv/helper.h"
void translate(TCGv_i64 a, TCGv_i32 w)
{
    gen_helper_csr(a, tcg_env(), CSR_ARG, a);
}
EOC
# shellcheck disable=SC2086
check_cmd "target/riscv/helper.def's generators compile with the right temps" \
    0 "" "" $CC $CFLAGS -I. -Iinclude -DCSR_ARG=a -fsyntax-only "$T/rv.c"
# shellcheck disable=SC2086
check_cmd "gen_helper_csr with an i32 temp does not compile" 1 "" \
    "incompatible pointer type" \
    $CC $CFLAGS -I. -Iinclude -DCSR_ARG=w -fsyntax-only "$T/rv.c"

tap_end
