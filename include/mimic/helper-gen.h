/*
 * Helpers declared once.  A target lists the C functions that its
 * translated code calls in one file (target/<arch>/helper.def), one line
 * per helper:
 *
 *     DEF_HELPER_3(csr, i64, env, i64, i64, 0)
 *                  name ret  arguments..., TCG_CALL_* flags
 *
 * and its helper.h expands that list with the macros below, which make,
 * for each line:
 *   - the prototype of the C function the target defines by hand:
 *         uint64_t helper_csr(RISCVCPU *, uint64_t, uint64_t);
 *     so a definition that disagrees with the list does not compile;
 *   - a typed generator for the translator, which emits the call op:
 *         static inline void gen_helper_csr(TCGv_i64 ret, TCGv_ptr arg1,
 *                                           TCGv_i64 arg2, TCGv_i64 arg3);
 *     so a call site that passes the wrong kind of temp does not compile
 *     (configure makes incompatible pointer types an error);
 *   - inside that generator, the helper's TCGHelperInfo, its argument and
 *     return types derived from the same type names.
 *
 * Type names: void (returns nothing), noreturn (returns nothing and never
 * returns: the prototype gets _Noreturn and the call TCG_CALL_NO_RETURN),
 * i32 (uint32_t), i64 (uint64_t), ptr (void *), and env: the target's CPU
 * pointer, whose type the target names in HELPER_ENV_TYPE while it
 * expands its list.  An i32 is passed zero-extended, as tcg.h says.
 *
 * Where the TCGHelperInfo lives, and why: it is a static object inside
 * each gen_helper_*() (static inline), so a translation unit holds the
 * infos of exactly the helpers it generates calls to, and nothing else.
 * That keeps the list free of a "define the infos here" switch and of a
 * separate .c file per target that could fall out of step with it; it
 * puts no global helper_info_* symbol in the binary, so two targets'
 * lists never clash on one (only the helper_* functions are global, and a
 * name shared by two targets clashes only in a program that links both
 * targets' helper objects, which no program does today); and a helper
 * that one build leaves out (semihosting in user mode) is not pulled in
 * by a table that names it.  The cost is one small copy of an info per
 * translation unit that calls the helper.
 *
 * A target's helper.h does:
 *
 *     #include "mimic/helper-gen.h"
 *     #define HELPER_ENV_TYPE RISCVCPU
 *     #include "helper.def"
 *     #undef HELPER_ENV_TYPE
 *
 * This header only defines macros, so several lists may be expanded in
 * one program, or one after the other in one translation unit.
 */
#ifndef MIMIC_HELPER_GEN_H
#define MIMIC_HELPER_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mimic/tcg-op.h"
#include "mimic/tcg.h"

/* The C type of a type name, in the prototype. */
#define HELPER_C_void void
#define HELPER_C_noreturn _Noreturn void
#define HELPER_C_i32 uint32_t
#define HELPER_C_i64 uint64_t
#define HELPER_C_ptr void *
#define HELPER_C_env HELPER_ENV_TYPE *

/* The IR type of a value (ret_type of a helper without a result is
   unused and left 0, as a zeroed info has it). */
#define HELPER_TCG_void 0
#define HELPER_TCG_noreturn 0
#define HELPER_TCG_i32 TCG_TYPE_I32
#define HELPER_TCG_i64 TCG_TYPE_I64
#define HELPER_TCG_ptr TCG_TYPE_PTR
#define HELPER_TCG_env TCG_TYPE_PTR

/* The generator's parameter type of an argument, and its TCGTemp. */
#define HELPER_TCGV_i32 TCGv_i32
#define HELPER_TCGV_i64 TCGv_i64
#define HELPER_TCGV_ptr TCGv_ptr
#define HELPER_TCGV_env TCGv_ptr
#define HELPER_TEMP_i32(v) tcgv_i32_temp(v)
#define HELPER_TEMP_i64(v) tcgv_i64_temp(v)
#define HELPER_TEMP_ptr(v) tcgv_ptr_temp(v)
#define HELPER_TEMP_env(v) tcgv_ptr_temp(v)

/* What the return type adds: whether there is a result, the generator's
   leading parameter for it (with and without arguments after it), the
   result's temp, and flags the type implies. */
#define HELPER_HAS_RET_void false
#define HELPER_HAS_RET_noreturn false
#define HELPER_HAS_RET_i32 true
#define HELPER_HAS_RET_i64 true
#define HELPER_HAS_RET_ptr true
#define HELPER_RET_PARAM_void
#define HELPER_RET_PARAM_noreturn
#define HELPER_RET_PARAM_i32 TCGv_i32 ret,
#define HELPER_RET_PARAM_i64 TCGv_i64 ret,
#define HELPER_RET_PARAM_ptr TCGv_ptr ret,
#define HELPER_RET_PARAM0_void void
#define HELPER_RET_PARAM0_noreturn void
#define HELPER_RET_PARAM0_i32 TCGv_i32 ret
#define HELPER_RET_PARAM0_i64 TCGv_i64 ret
#define HELPER_RET_PARAM0_ptr TCGv_ptr ret
#define HELPER_RET_TEMP_void NULL
#define HELPER_RET_TEMP_noreturn NULL
#define HELPER_RET_TEMP_i32 tcgv_i32_temp(ret)
#define HELPER_RET_TEMP_i64 tcgv_i64_temp(ret)
#define HELPER_RET_TEMP_ptr tcgv_ptr_temp(ret)
#define HELPER_RET_FLAGS_void 0
#define HELPER_RET_FLAGS_noreturn TCG_CALL_NO_RETURN
#define HELPER_RET_FLAGS_i32 0
#define HELPER_RET_FLAGS_i64 0
#define HELPER_RET_FLAGS_ptr 0

/* Removes one level of parentheses: lists travel through the macros
   below as one parenthesized argument. */
#define HELPER_UNPAREN(...) __VA_ARGS__

/*
 * The generator of helper name_: params is its parenthesized parameter
 * list, types the parenthesized IR types of its n arguments, args an
 * expression for the TCGTemp *[] of the call.  (The parameters that a
 * designator also spells end in _, so that .name and .flags survive.)
 */
#define HELPER_GEN(name_, ret, flags_, n, params, types, args)                \
    static inline void gen_helper_##name_ params                              \
    {                                                                         \
        static const TCGHelperInfo info = {                                   \
            .func = (void *)helper_##name_,                                   \
            .name = #name_,                                                   \
            .flags = (flags_) | HELPER_RET_FLAGS_##ret,                       \
            .nb_args = n,                                                     \
            .has_ret = HELPER_HAS_RET_##ret,                                  \
            .ret_type = HELPER_TCG_##ret,                                     \
            .arg_types = { HELPER_UNPAREN types },                            \
        };                                                                    \
        tcg_gen_call(&info, HELPER_RET_TEMP_##ret, n, args);                  \
    }

#define DEF_HELPER_0(name, ret, flags)                                        \
    HELPER_C_##ret helper_##name(void);                                       \
    HELPER_GEN(name, ret, flags, 0, (HELPER_RET_PARAM0_##ret), (0), NULL)

#define DEF_HELPER_1(name, ret, t1, flags)                                    \
    HELPER_C_##ret helper_##name(HELPER_C_##t1);                              \
    HELPER_GEN(name, ret, flags, 1,                                           \
               (HELPER_RET_PARAM_##ret HELPER_TCGV_##t1 arg1),                \
               (HELPER_TCG_##t1),                                             \
               ((TCGTemp *[]){ HELPER_TEMP_##t1(arg1) }))

#define DEF_HELPER_2(name, ret, t1, t2, flags)                                \
    HELPER_C_##ret helper_##name(HELPER_C_##t1, HELPER_C_##t2);               \
    HELPER_GEN(name, ret, flags, 2,                                           \
               (HELPER_RET_PARAM_##ret HELPER_TCGV_##t1 arg1,                 \
                HELPER_TCGV_##t2 arg2),                                       \
               (HELPER_TCG_##t1, HELPER_TCG_##t2),                            \
               ((TCGTemp *[]){ HELPER_TEMP_##t1(arg1),                        \
                               HELPER_TEMP_##t2(arg2) }))

#define DEF_HELPER_3(name, ret, t1, t2, t3, flags)                            \
    HELPER_C_##ret helper_##name(HELPER_C_##t1, HELPER_C_##t2,                \
                                 HELPER_C_##t3);                              \
    HELPER_GEN(name, ret, flags, 3,                                           \
               (HELPER_RET_PARAM_##ret HELPER_TCGV_##t1 arg1,                 \
                HELPER_TCGV_##t2 arg2, HELPER_TCGV_##t3 arg3),                \
               (HELPER_TCG_##t1, HELPER_TCG_##t2, HELPER_TCG_##t3),           \
               ((TCGTemp *[]){ HELPER_TEMP_##t1(arg1),                        \
                               HELPER_TEMP_##t2(arg2),                        \
                               HELPER_TEMP_##t3(arg3) }))

#define DEF_HELPER_4(name, ret, t1, t2, t3, t4, flags)                        \
    HELPER_C_##ret helper_##name(HELPER_C_##t1, HELPER_C_##t2,                \
                                 HELPER_C_##t3, HELPER_C_##t4);               \
    HELPER_GEN(name, ret, flags, 4,                                           \
               (HELPER_RET_PARAM_##ret HELPER_TCGV_##t1 arg1,                 \
                HELPER_TCGV_##t2 arg2, HELPER_TCGV_##t3 arg3,                 \
                HELPER_TCGV_##t4 arg4),                                       \
               (HELPER_TCG_##t1, HELPER_TCG_##t2, HELPER_TCG_##t3,            \
                HELPER_TCG_##t4),                                             \
               ((TCGTemp *[]){ HELPER_TEMP_##t1(arg1),                        \
                               HELPER_TEMP_##t2(arg2),                        \
                               HELPER_TEMP_##t3(arg3),                        \
                               HELPER_TEMP_##t4(arg4) }))

#define DEF_HELPER_5(name, ret, t1, t2, t3, t4, t5, flags)                    \
    HELPER_C_##ret helper_##name(HELPER_C_##t1, HELPER_C_##t2,                \
                                 HELPER_C_##t3, HELPER_C_##t4,                \
                                 HELPER_C_##t5);                              \
    HELPER_GEN(name, ret, flags, 5,                                           \
               (HELPER_RET_PARAM_##ret HELPER_TCGV_##t1 arg1,                 \
                HELPER_TCGV_##t2 arg2, HELPER_TCGV_##t3 arg3,                 \
                HELPER_TCGV_##t4 arg4, HELPER_TCGV_##t5 arg5),                \
               (HELPER_TCG_##t1, HELPER_TCG_##t2, HELPER_TCG_##t3,            \
                HELPER_TCG_##t4, HELPER_TCG_##t5),                            \
               ((TCGTemp *[]){ HELPER_TEMP_##t1(arg1),                        \
                               HELPER_TEMP_##t2(arg2),                        \
                               HELPER_TEMP_##t3(arg3),                        \
                               HELPER_TEMP_##t4(arg4),                        \
                               HELPER_TEMP_##t5(arg5) }))

#define DEF_HELPER_6(name, ret, t1, t2, t3, t4, t5, t6, flags)                \
    HELPER_C_##ret helper_##name(HELPER_C_##t1, HELPER_C_##t2,                \
                                 HELPER_C_##t3, HELPER_C_##t4,                \
                                 HELPER_C_##t5, HELPER_C_##t6);               \
    HELPER_GEN(name, ret, flags, 6,                                           \
               (HELPER_RET_PARAM_##ret HELPER_TCGV_##t1 arg1,                 \
                HELPER_TCGV_##t2 arg2, HELPER_TCGV_##t3 arg3,                 \
                HELPER_TCGV_##t4 arg4, HELPER_TCGV_##t5 arg5,                 \
                HELPER_TCGV_##t6 arg6),                                       \
               (HELPER_TCG_##t1, HELPER_TCG_##t2, HELPER_TCG_##t3,            \
                HELPER_TCG_##t4, HELPER_TCG_##t5, HELPER_TCG_##t6),           \
               ((TCGTemp *[]){ HELPER_TEMP_##t1(arg1),                        \
                               HELPER_TEMP_##t2(arg2),                        \
                               HELPER_TEMP_##t3(arg3),                        \
                               HELPER_TEMP_##t4(arg4),                        \
                               HELPER_TEMP_##t5(arg5),                        \
                               HELPER_TEMP_##t6(arg6) }))

#endif
