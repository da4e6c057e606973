/*
 * Support library for the bare-metal RISC-V guest tests: UART output, check
 * macros that count and report failures, CSR access, and the trap/U-mode
 * helpers built on crt.S.  Every test includes this header.  It is also
 * included from assembly (crt.S, asm.h), where only the constants are seen.
 */
#ifndef TCG_RISCV64_LIB_H
#define TCG_RISCV64_LIB_H

#define TRAP_FRAME_SIZE  (34 * 8)     /* x0..x31, mepc, padding */
#define MAX_HARTS        8            /* harts start_hart() can start */

/* mcause values (exceptions). */
#define CAUSE_MISALIGNED_FETCH  0
#define CAUSE_FETCH_ACCESS      1
#define CAUSE_ILLEGAL_INSN      2
#define CAUSE_BREAKPOINT        3
#define CAUSE_MISALIGNED_LOAD   4
#define CAUSE_LOAD_ACCESS       5
#define CAUSE_MISALIGNED_STORE  6
#define CAUSE_STORE_ACCESS      7
#define CAUSE_ECALL_U           8
#define CAUSE_ECALL_S           9
#define CAUSE_ECALL_M           11

#define MSTATUS_MIE   (1UL << 3)
#define MSTATUS_MPIE  (1UL << 7)
#define MSTATUS_MPP   (3UL << 11)
#define MSTATUS_MPRV  (1UL << 17)

/*
 * An address that nothing is mapped at on the virt board (between the
 * fw_cfg/virtio block at 0x1000_0000.. and the flash at 0x2000_0000).
 */
#define UNMAPPED_ADDR 0x18000000UL

#ifndef __ASSEMBLER__

#include <stdint.h>
#include <stddef.h>

typedef uint8_t  u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t   i8;
typedef int16_t  i16;
typedef int32_t  i32;
typedef int64_t  i64;


/* ---- output ---- */
void uart_putc(char c);
void uart_puts(const char *s);
void print_hex(u64 v);            /* 0x + 16 digits */
void print_dec(i64 v);
void print_udec(u64 v);

/* ---- exit (never returns): 0 = pass, n = exit status n ---- */
void test_exit(int code) __attribute__((noreturn));

/* ---- checks ---- */
extern unsigned test_failures;
extern unsigned test_checks;

void check_fail(const char *file, int line, const char *what,
                int has_values, u64 got, u64 expected);

#define CHECK(cond) do {                                                   \
        test_checks++;                                                     \
        if (!(cond))                                                       \
            check_fail(__FILE_NAME__, __LINE__, #cond, 0, 0, 0);           \
    } while (0)

#define CHECK_EQ(a, b) do {                                                \
        u64 _got = (u64)(a), _exp = (u64)(b);                              \
        test_checks++;                                                     \
        if (_got != _exp)                                                  \
            check_fail(__FILE_NAME__, __LINE__, #a " == " #b, 1, _got, _exp); \
    } while (0)

/* For table-driven checks: names the operation and its inputs on failure. */
void check_op_fail(const char *file, int line, const char *op,
                   u64 a, u64 b, u64 got, u64 expected);
#define CHECK_OP(op, a, b, got, exp) do {                                  \
        u64 _g = (u64)(got), _e = (u64)(exp);                              \
        test_checks++;                                                     \
        if (_g != _e)                                                      \
            check_op_fail(__FILE_NAME__, __LINE__, op, (u64)(a), (u64)(b), _g, _e); \
    } while (0)

/* Prints the summary and "OK <name>" (or a FAIL line); returns failures. */
int test_finish(const char *name);
#ifdef TEST_NAME     /* -DTEST_NAME="name", from the build */
static inline int test_end(void) { return test_finish(TEST_NAME); }
#endif

/* ---- CSRs ---- */
#define STR_(x) #x
#define STR(x) STR_(x)
#define csr_read(csr) ({ u64 __v;                                          \
        __asm__ __volatile__("csrr %0, " STR(csr) : "=r"(__v) :: "memory"); __v; })
#define csr_write(csr, val) ({                                             \
        __asm__ __volatile__("csrw " STR(csr) ", %0" :: "r"((u64)(val)) : "memory"); })
#define csr_set(csr, val) ({                                               \
        __asm__ __volatile__("csrs " STR(csr) ", %0" :: "r"((u64)(val)) : "memory"); })
#define csr_clear(csr, val) ({                                             \
        __asm__ __volatile__("csrc " STR(csr) ", %0" :: "r"((u64)(val)) : "memory"); })
#define csr_swap(csr, val) ({ u64 __v;                                     \
        __asm__ __volatile__("csrrw %0, " STR(csr) ", %1"                  \
                             : "=r"(__v) : "r"((u64)(val)) : "memory"); __v; })

/* ---- traps ---- */
struct trap_frame {
    u64 x[32];      /* x[0] unused; x[2] is the interrupted sp */
    u64 mepc;       /* written back to mepc before mret */
    u64 pad;
};

enum trap_mode {
    TRAP_NONE = 0,  /* a trap is unexpected: report it and exit(3) */
    TRAP_SKIP,      /* record it, resume after the trapping instruction */
    TRAP_RET,       /* record it, resume at ra (for calls to bad addresses) */
};

struct trap_record {
    u64 mcause;
    u64 mepc;
    u64 mtval;
    u64 mstatus;    /* mstatus as seen by the handler */
};

/*
 * trap_expect(mode) arms a one-shot expectation: the next trap is recorded in
 * trap_last, trap_count is incremented and execution resumes as the mode
 * says; then the mode goes back to TRAP_NONE.
 */
extern volatile int trap_mode;
extern volatile unsigned trap_count;
extern volatile struct trap_record trap_last;
static inline void trap_expect(int mode)
{
    trap_count = 0;
    trap_last.mcause = trap_last.mepc = trap_last.mtval = ~0UL;
    __asm__ __volatile__("" ::: "memory");
    trap_mode = mode;
    __asm__ __volatile__("" ::: "memory");
}

/*
 * A hook that sees every trap first (before trap_expect handling); it returns
 * nonzero when it handled the trap (and may edit the frame, e.g. mepc).
 */
extern int (*volatile trap_hook)(struct trap_frame *f, u64 mcause, u64 mtval);

/* Length in bytes of the instruction at addr (2 or 4). */
static inline int insn_len(u64 addr)
{
    return ((*(volatile u16 *)addr) & 3) == 3 ? 4 : 2;
}

/* Check that exactly one trap with this cause was taken (and its mtval). */
#define CHECK_TRAP(cause) do {                                             \
        CHECK_EQ(trap_count, 1);                                           \
        CHECK_EQ(trap_last.mcause, (cause));                               \
    } while (0)
#define CHECK_TRAP_TVAL(cause, tval) do {                                  \
        CHECK_TRAP(cause);                                                 \
        CHECK_EQ(trap_last.mtval, (tval));                                 \
    } while (0)
#define CHECK_NO_TRAP() do {                                               \
        CHECK_EQ(trap_count, 0);                                           \
        trap_mode = TRAP_NONE;                                             \
    } while (0)

/* ---- U-mode ---- */
/* Call fn(arg) in U-mode (MPP=0, mret); returns its return value in M-mode. */
long run_user(long (*fn)(long), long arg);
extern volatile int in_user_run;

/* ---- More harts (-smp N) ---- */
/* Runs fn on hart (1 .. MAX_HARTS - 1) in M-mode, interrupts off, no trap
   handler (fn must not trap), woken by a CLINT software interrupt; fn
   returning parks it.  start_secondary(fn) is start_hart(1, fn). */
void start_hart(int hart, void (*fn)(void));
void start_secondary(void (*fn)(void));
extern void (*volatile hart_entry[MAX_HARTS])(void);
/* This hart's number. */
static inline int hart_id(void)
{
    long id;

    __asm__ __volatile__("csrr %0, mhartid" : "=r"(id));
    return (int)id;
}

/* ---- misc ---- */
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define barrier() __asm__ __volatile__("" ::: "memory")

/* A value the compiler cannot see through (stops constant folding). */
#define OPAQUE(x) ({ __typeof__(x) __o = (x); __asm__("" : "+r"(__o)); __o; })

#endif /* __ASSEMBLER__ */
#endif
