/*
 * Setting up the JIT and making TBs: tcg_exec_init() (once, from main)
 * creates the translation context and the code buffer, lets the target
 * create its TCG globals and tells the backend where the jump cache, pc,
 * TB flags and TLB live; tb_lookup_or_gen() finds the TB for a key in the
 * hash table or translates a new one (target translate -> tcg_gen_code),
 * flushing the whole cache when the code buffer is full; tb_flush() drops
 * every TB.  The JIT statistics are kept and printed here too.
 *
 *   tcg_exec_init(&target_ops, 0);
 *   cpu = cpu_create(&target_ops, 0, &address_space_memory);
 *   cpus_start(&cpu, 1);
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>

#include "internal.h"
#include "mimic/log.h"

#define DEFAULT_CODE_BUFFER_BYTES (256u << 20)
#define DEFAULT_MAX_INSNS 512

const TargetOps *tcg_target_ops;
TCGContext tcg_exec_ctx;
__thread TCGExecStats *tcg_stats_local;
static TCGExecStats *tcg_stats_list;
static GMutex tcg_stats_lock;
volatile unsigned tb_flush_count;

uint64_t tcg_clock_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void tcg_exec_init(const TargetOps *ops, size_t code_buffer_bytes)
{
    TCGContext *s = &tcg_exec_ctx;

    tcg_target_ops = ops;
    tcg_context_init(s);
    tcg_code_buffer_init(s, code_buffer_bytes ? code_buffer_bytes
                                              : DEFAULT_CODE_BUFFER_BYTES);
    if (ops->tcg_init)
        ops->tcg_init();
    tcg_runtime.jmp_cache_offset = offsetof(CPUState, jmp_cache);
    tcg_runtime.jmp_cache_bits = TB_JMP_CACHE_BITS;
    tcg_runtime.pc_offset = ops->pc_offset;
    if (ops->pc_offset < (intptr_t)sizeof(CPUState))
        warn_report("target %s: TargetOps.pc_offset is not set; indirect "
                    "jumps will miss the jump cache", ops->name);
    tcg_runtime.tb_flags_offset = offsetof(CPUState, tb_flags);
    tcg_runtime.guest_mo = tcg_relaxed_mo ? 0 : (TCGBar)ops->guest_mo;
    tcg_runtime.tlb_fast_offset = offsetof(CPUState, tlb_fast);
    tcg_runtime.lookup_code = tb_lookup_code;
    accel_mode_init();
    tcg_prologue_init(s);    /* uses the tcg_runtime offsets set above */
    /* main() prints tcg_dump_stats() at exit under -d jit_stats. */
}

/* ---- Flushing ---- */

static void tb_flush_locked(void)
{
    tb_maint_flush();
    tcg_code_buffer_reset(&tcg_exec_ctx);
    STAT_ADD(tb_flushes, 1);
}

/*
 * Flushes with every other vCPU stopped at a safe point, since they may
 * be running code in the buffer.  Called without tb_lock; if the cache
 * was flushed by someone else since flush_gen was read, does nothing.
 */
static void tb_flush_exclusive(unsigned flush_gen)
{
    start_exclusive();
    tb_lock();
    if (tb_flush_count == flush_gen)
        tb_flush_locked();
    tb_unlock();
    end_exclusive();
}

void tb_flush(CPUState *cpu)
{
    if (tb_lock_held()) {
        /* The caller vouches that no other vCPU is running. */
        tb_flush_locked();
        return;
    }
    tb_flush_exclusive(tb_flush_count);
}

/* ---- Translating ---- */

static void tb_log_op_setup(TCGContext *s)
{
    s->log_op = log_enabled(LOG_OP) ? log_file() : NULL;
    s->log_op_opt = log_enabled(LOG_OP_OPT) ? log_file() : NULL;
}

/*
 * Runs the front end and the code generator for tb.  Returns the code
 * size, or -1 when the buffer was full and the cache has been flushed:
 * that freed tb itself (the arena starts again), so the caller must
 * translate again into a TB allocated after the flush.  Halves the TB
 * when it is too big for the backend.  May longjmp out (fetch fault).
 */
static int tb_translate(CPUState *cpu, TranslationBlock *tb)
{
    TCGContext *s = &tcg_exec_ctx;
    int max_insns = (tb->cflags & CF_COUNT_MASK) ? (int)(tb->cflags & CF_COUNT_MASK)
                                                 : DEFAULT_MAX_INSNS;

    for (;;) {
        int size;

        tcg_func_start(s);
        s->goto_tb_jmp_offset[0] = s->goto_tb_jmp_offset[1] = 0xffff;
        s->goto_tb_reset_offset[0] = s->goto_tb_reset_offset[1] = 0xffff;
        translator_begin(tb);
        tb_log_op_setup(s);
        cpu->ops->translate(cpu, tb, max_insns);
        size = tcg_gen_code(s);
        if (size >= 0)
            return size;
        if (size == -1) {
            /* Buffer full.  Other vCPUs may be blocked on tb_lock, so
               drop it while they are brought to a safe point. */
            unsigned gen = tb_flush_count;

            tb_unlock();
            tb_flush_exclusive(gen);
            tb_lock();
            return -1;
        } else {
            STAT_ADD(tb_retries, 1);
            if (max_insns <= 1) {
                error_report("cannot translate a single insn at 0x%" PRIx64,
                             tb->pc);
                abort();
            }
            max_insns /= 2;
        }
    }
}

static void tb_log_new(TranslationBlock *tb)
{
    if (log_enabled(LOG_IN_ASM))
        translator_log_in_asm(tb, tcg_target_ops);
    if (log_enabled(LOG_OUT_ASM)) {
        uint32_t fast = tcg_exec_ctx.slow_path_offset;

        log_printf("OUT: [size=%u]\n", tb->tc_size);
        tcg_disas_host(log_file(), tb->tc_ptr, fast);
        if (fast < tb->tc_size) {
            log_printf("  -- slow paths\n");
            tcg_disas_host(log_file(), tb->tc_ptr + fast, tb->tc_size - fast);
        }
        log_printf("\n");
    }
}

static FILE *perfmap;

bool tb_perfmap_open(void)
{
    g_autofree char *path = g_strdup_printf("/tmp/perf-%d.map", (int)getpid());

    perfmap = fopen(path, "w");
    return perfmap != NULL;
}

/* Keeps tb's per-insn restore data, packed (4 bytes an insn). */
static void tb_pack_insns(TranslationBlock *tb, const TCGContext *s)
{
    bool extra = false;

    tb->insns = tb_arena_alloc_raw(sizeof(TBInsn) * s->nb_insns);
    for (int i = 0; i < s->nb_insns; i++) {
        uint64_t off = s->insns[i].pc - tb->pc;

        if (off > UINT16_MAX || s->insns[i].host_end > UINT16_MAX) {
            error_report("TB at 0x%" PRIx64 ": insn %d out of packing range",
                         tb->pc, i);
            abort();
        }
        tb->insns[i].pc_off = (uint16_t)off;
        tb->insns[i].host_end = (uint16_t)s->insns[i].host_end;
        extra |= s->insns[i].extra != 0;
    }
    tb->insn_extra = NULL;
    if (extra) {
        tb->insn_extra = tb_arena_alloc_raw(sizeof(uint64_t) * s->nb_insns);
        for (int i = 0; i < s->nb_insns; i++)
            tb->insn_extra[i] = s->insns[i].extra;
    }
}

/* Translates a new TB; called with tb_lock held. */
static TranslationBlock *tb_gen_code(CPUState *cpu, uint64_t pc,
                                     uint64_t phys_pc, uint64_t flags,
                                     uint32_t cflags)
{
    TCGContext *s = &tcg_exec_ctx;
    TranslationBlock *tb;
    uint64_t t0 = tcg_clock_ns();
    int size;

    /* From the arena: a longjmp out of translation wastes it only until
       the next flush.  A flush made to find room frees the arena, this
       TB with it: the next TBs would be carved over it while it is in
       the hash table (a vCPU then ran another TB's code for its pc), so
       it is allocated again after the flush and translated anew (its
       code holds its address). */
    do {
        tb = tb_arena_alloc_tb();
        tb->pc = pc;
        tb->flags = flags;
        tb->cflags = cflags;
        size = tb_translate(cpu, tb);
    } while (size < 0);
    tb->phys_pc = phys_pc;

    tb->tc_ptr = s->code_buf + s->code_rx_offset;
    tb->tc_size = (uint32_t)size;
    tcg_code_prefault(s);
    for (int n = 0; n < 2; n++) {
        tb->jmp_insn_offset[n] = s->goto_tb_jmp_offset[n];
        tb->jmp_reset_offset[n] = s->goto_tb_reset_offset[n];
    }
    tb->icount = (uint16_t)s->nb_insns;
    tb_pack_insns(tb, s);
    tb_link(tb, &translator_pages);

    STAT_ADD(tbs_translated, 1);
    STAT_ADD(guest_insns, tb->icount);
    STAT_ADD(host_bytes, tb->tc_size);
    if (log_enabled(LOG_JIT_STATS)) {
        uint32_t fast = MIN(s->slow_path_offset, tb->tc_size);

        STAT_ADD(host_insns_fast, tcg_host_insn_count(tb->tc_ptr, fast));
        STAT_ADD(host_insns_slow, tcg_host_insn_count(tb->tc_ptr + fast,
                                                      tb->tc_size - fast));
    }
    STAT_ADD(translate_ns, tcg_clock_ns() - t0);
    if (log_enabled(LOG_IN_ASM | LOG_OUT_ASM))
        tb_log_new(tb);
    if (perfmap) {
        /* Each line is complete when written: perf reads the file after
           the run, which may end in _exit or a kill. */
        fprintf(perfmap, "%" PRIxPTR " %x guest:%" PRIx64 "\n",
                (uintptr_t)tb->tc_ptr, tb->tc_size, pc);
        fflush(perfmap);
    }
    return tb;
}

TranslationBlock *tb_lookup_or_gen(CPUState *cpu, uint64_t pc, uint64_t flags,
                                   uint32_t cflags)
{
    TranslationBlock *tb;
    uint64_t phys_pc;

    /* Faults here (pc not executable) are raised at the right pc: the
       CPU state is at the start of this TB. */
    tlb_get_code_ptr(cpu, pc, &phys_pc, NULL, NULL, false);
    tb = tb_htable_lookup(cpu, pc, phys_pc, flags, cflags);
    if (tb)
        return tb;
    if (tb_htable_needs_growing()) {
        /* Rethreading the chains needs every other reader out. */
        start_exclusive();
        tb_lock();
        tb_htable_grow();
        tb_unlock();
        end_exclusive();
    }
    tb_lock();
    /* Another vCPU may have made it meanwhile. */
    tb = tb_htable_lookup(cpu, pc, phys_pc, flags, cflags);
    if (!tb)
        tb = tb_gen_code(cpu, pc, phys_pc, flags, cflags);
    tb_unlock();
    return tb;
}

/* ---- Statistics ---- */

/* A thread's first count: its own counters, kept for the whole run (a
   thread that ends leaves its counts in the sum). */
TCGExecStats *tcg_stats_register(void)
{
    TCGExecStats *st = g_new0(TCGExecStats, 1);

    g_mutex_lock(&tcg_stats_lock);
    st->next = tcg_stats_list;
    tcg_stats_list = st;
    g_mutex_unlock(&tcg_stats_lock);
    tcg_stats_local = st;
    return st;
}

/* Every thread's counters added up. */
static void tcg_stats_sum(TCGExecStats *sum)
{
    memset(sum, 0, sizeof(*sum));
    g_mutex_lock(&tcg_stats_lock);
    for (TCGExecStats *t = tcg_stats_list; t; t = t->next) {
        const uint64_t *src = (const uint64_t *)t;
        uint64_t *dst = (uint64_t *)sum;

        for (size_t i = 0; i < offsetof(TCGExecStats, next) / 8; i++)
            dst[i] += __atomic_load_n(&src[i], __ATOMIC_RELAXED);
    }
    g_mutex_unlock(&tcg_stats_lock);
}

void tcg_dump_stats(FILE *f)
{
    TCGExecStats sum, *st = &sum;
    uint64_t exits = 0, entered = 0;
    size_t cap = tcg_code_capacity(&tcg_exec_ctx);

    tcg_stats_sum(&sum);

    for (int i = 0; i < cpu_count; i++) {
        exits += cpu_list[i]->stat_exits;
        entered += cpu_list[i]->stat_tb_exec_loop;
    }
    fprintf(f, "JIT statistics:\n");
    fprintf(f, "  TBs translated        %" PRIu64 " (%zu live, %" PRIu64
            " invalidated, %" PRIu64 " retried smaller)\n",
            st->tbs_translated, tb_maint_count(), st->tbs_invalidated,
            st->tb_retries);
    fprintf(f, "  translation time      %.3f ms (%" PRIu64 " ns/TB)\n",
            st->translate_ns / 1e6,
            st->tbs_translated ? st->translate_ns / st->tbs_translated : 0);
    fprintf(f, "  guest insns           %" PRIu64 " (%.1f per TB)\n",
            st->guest_insns,
            st->tbs_translated ? (double)st->guest_insns / st->tbs_translated
                               : 0.0);
    fprintf(f, "  host code bytes       %" PRIu64 " (%.1f per guest insn;"
            " buffer %zu of %zu used)\n", st->host_bytes,
            st->guest_insns ? (double)st->host_bytes / st->guest_insns : 0.0,
            tcg_code_size(&tcg_exec_ctx), cap);
    fprintf(f, "  host insns            %" PRIu64 " in fast paths (%.2f per guest"
            " insn), %" PRIu64 " in slow paths (%.2f)\n", st->host_insns_fast,
            st->guest_insns ? (double)st->host_insns_fast / st->guest_insns
                            : 0.0, st->host_insns_slow,
            st->guest_insns ? (double)st->host_insns_slow / st->guest_insns
                            : 0.0);
    fprintf(f, "  chained jumps patched %" PRIu64 "\n", st->chained);
    fprintf(f, "  jump cache (C side)   %" PRIu64 " hits, %" PRIu64 " misses\n",
            st->jc_hits, st->jc_misses);
    fprintf(f, "  jump cache (in code)  %" PRIu64 " misses found in the TB table, %"
            PRIu64 " sent to the loop\n", st->code_lookups, st->code_lookup_exits);
    fprintf(f, "  TBs entered from loop %" PRIu64 ", exits to loop %" PRIu64
            "\n", entered, exits);
    fprintf(f, "  TB flushes            %" PRIu64 "\n", st->tb_flushes);
    fprintf(f, "  TLB misses            %" PRIu64 " (and %" PRIu64
            " answered by victim entries), flushes %" PRIu64
            " (%" PRIu64 " of whole modes), resizes %" PRIu64 "\n",
            st->tlb_miss, st->tlb_victim, st->tlb_flush, st->tlb_flush_all,
            st->tlb_resizes);
    fprintf(f, "  code-page writes      %" PRIu64 ", MMIO accesses %" PRIu64
            "\n", st->notdirty_writes, st->mmio_accesses);
    fprintf(f, "  helper calls emitted  %" PRIu64 " (%.1f per 1000 guest insns)\n",
            tcg_exec_ctx.stat_helper_calls_emitted,
            st->guest_insns ? 1000.0 * tcg_exec_ctx.stat_helper_calls_emitted /
                                  st->guest_insns : 0.0);
    fprintf(f, "  round-robin slices    %" PRIu64 "; kicker ends %" PRIu64
            "; idle sleeps %" PRIu64 "\n", st->rr_slices, st->rr_kicks,
            st->rr_sleeps);
    fprintf(f, "  firmware gate waits   %" PRIu64 " (%" PRIu64 " timed out)\n",
            st->fw_gate_waits, st->fw_gate_timeouts);
}
