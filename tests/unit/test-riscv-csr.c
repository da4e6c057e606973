/* needs: riscv64-softmmu */
/*
 * Tests of the RISC-V CPU state outside translated code: -cpu parsing,
 * reset values, the CSR access rules and WARL behaviour of csr.c, trap
 * entry (riscv_target_ops.do_interrupt), interrupt selection
 * (exec_interrupt) and mret.  They drive target/riscv directly, so they
 * run without the code generator.
 */
#include <glib.h>

#include "unit.h"
#include "../../target/riscv/helper.h"
#include "../../target/riscv/internals.h"

static RISCVCPU *new_cpu(void)
{
    return RISCV_CPU(cpu_create(&riscv_target_ops, 0, NULL));
}

/* A CSR access as helper_csr does it; returns false if it would trap. */
static bool csr(RISCVCPU *cpu, unsigned csrno, unsigned op, bool read,
                bool write, uint64_t src, uint64_t *old)
{
    uint64_t dummy;

    return riscv_csr_access(cpu, csrno | op | (read ? RV_CSR_READ : 0) |
                            (write ? RV_CSR_WRITE : 0), src,
                            old ? old : &dummy);
}

static uint64_t csr_read(RISCVCPU *cpu, unsigned csrno)
{
    uint64_t v = 0xdead;

    EXPECT(csr(cpu, csrno, RV_CSR_OP_RS, true, false, 0, &v));
    return v;
}

static void csr_write(RISCVCPU *cpu, unsigned csrno, uint64_t val)
{
    EXPECT(csr(cpu, csrno, RV_CSR_OP_RW, false, true, val, NULL));
}

TEST(cpu_props)
{
    RISCVCPU *cpu = new_cpu();
    char *err = NULL;

    EXPECT(riscv_cpu_parse_props(cpu, "rv64", &err));
    EXPECT_EQ(cpu->env.misa, (2ull << 62) | RV_EXT_DEFAULT);
    EXPECT(riscv_cpu_parse_props(cpu, "rv64,c=off,m=off", &err));
    EXPECT_EQ(cpu->ext & (RV_EXT('C') | RV_EXT('M')), 0);
    EXPECT(cpu->env.misa & RV_EXT('A'));
    EXPECT(!(cpu->env.misa & RV_EXT('C')));
    EXPECT(riscv_cpu_parse_props(cpu, "rv64,c=on", &err));
    EXPECT(cpu->ext & RV_EXT('C'));
    EXPECT(!riscv_cpu_parse_props(cpu, "rv32", &err));
    EXPECT(err && strstr(err, "rv32"));
    g_free(err);
    err = NULL;
    EXPECT(!riscv_cpu_parse_props(cpu, "rv64,zz=on", &err));
    EXPECT(err && strstr(err, "zz"));
    g_free(err);
    err = NULL;
    EXPECT(!riscv_cpu_parse_props(cpu, "rv64,c=maybe", &err));
    g_free(err);
}

TEST(reset_state)
{
    RISCVCPU *cpu = new_cpu();

    EXPECT_EQ(cpu->env.pc, RV_DEFAULT_RESET_PC);
    EXPECT_EQ(cpu->env.priv, PRV_M);
    EXPECT_EQ(cpu->env.mstatus, (2ull << 32) | (2ull << 34));   /* UXL, SXL */
    EXPECT_EQ(cpu->parent.tb_flags, PRV_M | (RV_MMU_M << RV_TB_MMU_SHIFT) |
                                    RV_TB_FRM_RNE);
    riscv_cpu_set_reset_pc(cpu, 0x80000000);
    EXPECT_EQ(cpu->env.pc, 0x80000000);
    riscv_target_ops.reset(&cpu->parent);
    EXPECT_EQ(cpu->env.pc, 0x80000000);
}

TEST(csr_access_rules)
{
    RISCVCPU *cpu = new_cpu();

    csr_write(cpu, 0x340, 0x1234);                     /* mscratch */
    EXPECT_EQ(csr_read(cpu, 0x340), 0x1234);
    EXPECT(!csr(cpu, 0xf14, RV_CSR_OP_RW, false, true, 1, NULL)); /* mhartid */
    EXPECT(!csr(cpu, 0xc00, RV_CSR_OP_RS, true, true, 0, NULL));  /* cycle */
    EXPECT(csr(cpu, 0xf14, RV_CSR_OP_RS, true, false, 0, NULL));
    EXPECT(!csr(cpu, 0x7c0, RV_CSR_OP_RS, true, false, 0, NULL)); /* none */
    EXPECT(csr(cpu, 0x302, RV_CSR_OP_RS, true, false, 0, NULL));  /* medeleg */
    EXPECT(csr(cpu, 0x100, RV_CSR_OP_RS, true, false, 0, NULL));  /* sstatus */
    EXPECT(!csr(cpu, 0x5a8, RV_CSR_OP_RS, true, false, 0, NULL)); /* scontext */
    EXPECT(!csr(cpu, 0x003, RV_CSR_OP_RS, true, false, 0, NULL)); /* fcsr */
    EXPECT(!csr(cpu, 0x3a1, RV_CSR_OP_RS, true, false, 0, NULL)); /* pmpcfg1 */
    EXPECT(!csr(cpu, 0xc80, RV_CSR_OP_RS, true, false, 0, NULL)); /* cycleh */
    cpu->env.priv = PRV_U;
    EXPECT(!csr(cpu, 0x340, RV_CSR_OP_RS, true, false, 0, NULL));
    EXPECT(!csr(cpu, 0xc00, RV_CSR_OP_RS, true, false, 0, NULL));
    cpu->env.mcounteren = 5;                            /* CY, IR */
    EXPECT(!csr(cpu, 0xc00, RV_CSR_OP_RS, true, false, 0, NULL)); /* scounteren */
    cpu->env.scounteren = 7;
    EXPECT(csr(cpu, 0xc00, RV_CSR_OP_RS, true, false, 0, NULL));
    EXPECT(!csr(cpu, 0xc01, RV_CSR_OP_RS, true, false, 0, NULL));
    EXPECT(csr(cpu, 0xc02, RV_CSR_OP_RS, true, false, 0, NULL));
    EXPECT(!csr(cpu, 0xc03, RV_CSR_OP_RS, true, false, 0, NULL));
}

TEST(csr_warl)
{
    RISCVCPU *cpu = new_cpu();

    csr_write(cpu, CSR_MSTATUS, ~0ull);
    EXPECT_EQ(csr_read(cpu, CSR_MSTATUS),
              MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP | MSTATUS_MPRV |
              MSTATUS_TW | MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP |
              MSTATUS_SUM | MSTATUS_MXR | MSTATUS_TVM | MSTATUS_TSR |
              MSTATUS_FS | MSTATUS_SD | (2ull << 32) | (2ull << 34));
    EXPECT_EQ(cpu->parent.tb_flags, PRV_M | (RV_MMU_M << RV_TB_MMU_SHIFT) |
                                    RV_TB_FS_MASK | RV_TB_FRM_RNE);
    /* frm = RNE is in the TB flags too (frm and fcsr writes). */
    csr_write(cpu, 0x002, 3);
    EXPECT_EQ(cpu->parent.tb_flags & RV_TB_FRM_RNE, 0);
    csr_write(cpu, 0x003, 0x1f);
    EXPECT_EQ(cpu->parent.tb_flags & RV_TB_FRM_RNE, RV_TB_FRM_RNE);
    csr_write(cpu, 0x003, 0x20);
    EXPECT_EQ(cpu->parent.tb_flags & RV_TB_FRM_RNE, 0);
    csr_write(cpu, 0x002, 0);
    EXPECT_EQ(cpu->parent.tb_flags & RV_TB_FRM_RNE, RV_TB_FRM_RNE);
    csr_write(cpu, CSR_MSTATUS, 0);                      /* MPP = U */
    csr_write(cpu, CSR_MSTATUS, 2ull << MSTATUS_MPP_SHIFT); /* reserved */
    EXPECT_EQ(csr_read(cpu, CSR_MSTATUS) & MSTATUS_MPP, 0);
    csr_write(cpu, CSR_MSTATUS, 1ull << MSTATUS_MPP_SHIFT); /* S */
    EXPECT_EQ(csr_read(cpu, CSR_MSTATUS) & MSTATUS_MPP,
              1ull << MSTATUS_MPP_SHIFT);
    csr_write(cpu, CSR_MSTATUS, 0);
    csr_write(cpu, CSR_MSTATUS, MSTATUS_MPRV);          /* loads as U */
    EXPECT_EQ(cpu->parent.tb_flags, PRV_M | (RV_MMU_U << RV_TB_MMU_SHIFT) |
                                    RV_TB_FRM_RNE);
    csr_write(cpu, CSR_MISA, 0);
    EXPECT_EQ(csr_read(cpu, CSR_MISA), (2ull << 62) | RV_EXT_DEFAULT);
    csr_write(cpu, CSR_MTVEC, 0x80000101);
    EXPECT_EQ(csr_read(cpu, CSR_MTVEC), 0x80000101);
    csr_write(cpu, CSR_MTVEC, 0x80000202);               /* reserved mode */
    EXPECT_EQ(csr_read(cpu, CSR_MTVEC), 0x80000201);
    csr_write(cpu, CSR_MEPC, 0x80000003);
    EXPECT_EQ(csr_read(cpu, CSR_MEPC), 0x80000002);
    csr_write(cpu, CSR_MIE, ~0ull);
    EXPECT_EQ(csr_read(cpu, CSR_MIE), MIP_MSIP | MIP_MTIP | MIP_MEIP |
                                      MIP_S_ALL);
    csr_write(cpu, CSR_MIP, ~0ull);                     /* S bits only */
    EXPECT_EQ(csr_read(cpu, CSR_MIP), MIP_S_ALL);
    csr_write(cpu, CSR_MIP, 0);
    EXPECT_EQ(csr_read(cpu, CSR_MIP), 0);
    csr_write(cpu, 0x3a0, 0x80ff & ~0x80); /* pmp1cfg locked, pmp0cfg not */
    EXPECT_EQ(csr_read(cpu, 0x3a0), 0x801f);
    csr_write(cpu, 0x3a0, 0);          /* entry 1 stays locked */
    EXPECT_EQ(csr_read(cpu, 0x3a0), 0x8000);
    csr_write(cpu, 0x3b1, 0x1234);     /* its address too */
    EXPECT_EQ(csr_read(cpu, 0x3b1), 0);
    csr_write(cpu, 0x3b0, ~0ull);
    EXPECT_EQ(csr_read(cpu, 0x3b0), (1ull << 54) - 1);
}

TEST(csr_mepc_without_c)
{
    RISCVCPU *cpu = new_cpu();
    char *err = NULL;

    EXPECT(riscv_cpu_parse_props(cpu, "rv64,c=off", &err));
    csr_write(cpu, CSR_MEPC, 0x80000006);
    EXPECT_EQ(csr_read(cpu, CSR_MEPC), 0x80000004);
}

/* A time source that counts its own calls from a base. */
static uint64_t fake_time(void *opaque)
{
    uint64_t *t = opaque;

    return (*t)++;
}

/* Each hart reads the source it was given, with its own opaque: two
   harts (two machines, or a board and user mode) never share one. */
TEST(time_source_per_hart)
{
    RISCVCPU *a = new_cpu(), *b = new_cpu();
    uint64_t ta = 1000, tb = 5000000;

    riscv_cpu_set_time_source(a, fake_time, &ta);
    riscv_cpu_set_time_source(b, fake_time, &tb);
    EXPECT_EQ(csr_read(a, 0xc01), 1000);
    EXPECT_EQ(csr_read(b, 0xc01), 5000000);
    EXPECT_EQ(csr_read(a, 0xc01), 1001);
    /* Reset keeps the source: it is how the hart is wired, not state. */
    cpu_reset(&a->parent);
    EXPECT_EQ(csr_read(a, 0xc01), 1002);
    EXPECT_EQ(ta, 1003);
    EXPECT_EQ(tb, 5000001);
}

TEST(counters)
{
    RISCVCPU *cpu = new_cpu();
    uint64_t a = csr_read(cpu, 0xc00), b = csr_read(cpu, 0xc00);

    EXPECT(b > a);
    a = csr_read(cpu, 0xc02);
    EXPECT(csr_read(cpu, 0xc02) > a);
    csr_write(cpu, 0xb00, 1000000);
    a = csr_read(cpu, 0xb00);
    EXPECT(a >= 1000000 && a < 1000000 + 1000000000ull);
    csr_write(cpu, 0x320, 1);                           /* inhibit CY */
    a = csr_read(cpu, 0xb00);
    EXPECT_EQ(csr_read(cpu, 0xb00), a);
    csr_write(cpu, 0xb00, 42);
    EXPECT_EQ(csr_read(cpu, 0xb00), 42);
    csr_write(cpu, 0x320, 0);
    EXPECT(csr_read(cpu, 0xb00) >= 42);
    EXPECT_EQ(csr_read(cpu, 0xc01), 0);                 /* no time source */
    EXPECT_EQ(csr_read(cpu, 0xb05), 0);                 /* mhpmcounter5 */
}

TEST(trap_entry)
{
    RISCVCPU *cpu = new_cpu();
    CPURISCVState *env = &cpu->env;

    env->pc = 0x80000010;
    env->mtvec = 0x80000101;                            /* vectored */
    env->mstatus |= MSTATUS_MIE;
    env->priv = PRV_U;
    env->badaddr = 0x13;
    cpu->parent.exception_index = RV_EXCP_ILLEGAL_INST;
    riscv_target_ops.do_interrupt(&cpu->parent);
    EXPECT_EQ(env->mepc, 0x80000010);
    EXPECT_EQ(env->mcause, 2);
    EXPECT_EQ(env->mtval, 0x13);
    EXPECT_EQ(env->pc, 0x80000100);                     /* exceptions: base */
    EXPECT_EQ(env->priv, PRV_M);
    EXPECT_EQ(env->mstatus & (MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP),
              MSTATUS_MPIE);
    EXPECT_EQ(cpu->parent.tb_flags, PRV_M | (RV_MMU_M << RV_TB_MMU_SHIFT) |
                                    RV_TB_FRM_RNE);

    env->badaddr = 0x99;
    cpu->parent.exception_index = RV_EXCP_M_ECALL;
    riscv_target_ops.do_interrupt(&cpu->parent);
    EXPECT_EQ(env->mtval, 0);
    EXPECT_EQ(env->mstatus & MSTATUS_MPP, MSTATUS_MPP);
}

TEST(interrupts)
{
    RISCVCPU *cpu = new_cpu();
    CPURISCVState *env = &cpu->env;
    CPUState *cs = &cpu->parent;

    env->mtvec = 0x80000001;
    riscv_cpu_set_irq(cpu, RV_IRQ_M_TIMER, 1);
    riscv_cpu_set_irq(cpu, RV_IRQ_M_SOFT, 1);
    EXPECT(!riscv_target_ops.has_work(cs));            /* mie = 0 */
    EXPECT(!riscv_target_ops.exec_interrupt(cs));
    env->mie = MIP_MTIP | MIP_MSIP;
    EXPECT(riscv_target_ops.has_work(cs));
    EXPECT(!riscv_target_ops.exec_interrupt(cs));      /* M, MIE = 0 */
    env->mstatus |= MSTATUS_MIE;
    env->pc = 0x80001000;
    EXPECT(riscv_target_ops.exec_interrupt(cs));
    EXPECT_EQ(env->mcause, (1ull << 63) | RV_IRQ_M_SOFT); /* MSI > MTI */
    EXPECT_EQ(env->pc, 0x80000000 + 4 * RV_IRQ_M_SOFT);
    EXPECT_EQ(env->mepc, 0x80001000);
    EXPECT_EQ(env->mtval, 0);
    riscv_cpu_set_irq(cpu, RV_IRQ_M_SOFT, 0);
    riscv_cpu_set_irq(cpu, RV_IRQ_M_EXT, 1);
    env->mie |= MIP_MEIP;
    env->priv = PRV_U;                                  /* MIE = 0 but U */
    EXPECT(riscv_target_ops.exec_interrupt(cs));
    EXPECT_EQ(env->mcause, (1ull << 63) | RV_IRQ_M_EXT);
    riscv_cpu_set_irq(cpu, RV_IRQ_M_EXT, 0);
    riscv_cpu_set_irq(cpu, RV_IRQ_M_TIMER, 0);
    EXPECT_EQ(cs->interrupt_request & CPU_INTERRUPT_HARD, 0);
}

TEST(mret)
{
    RISCVCPU *cpu = new_cpu();
    CPURISCVState *env = &cpu->env;

    env->mepc = 0x80000042;
    env->mstatus |= MSTATUS_MPIE | MSTATUS_MPRV;        /* MPP = U */
    EXPECT_EQ(helper_mret(cpu), 0x80000042);
    EXPECT_EQ(env->priv, PRV_U);
    EXPECT(env->mstatus & MSTATUS_MIE);
    EXPECT(env->mstatus & MSTATUS_MPIE);
    EXPECT(!(env->mstatus & MSTATUS_MPRV));
    EXPECT_EQ(cpu->parent.tb_flags, PRV_U | (RV_MMU_U << RV_TB_MMU_SHIFT) |
                                    RV_TB_FRM_RNE);
}

int main(void)
{
    return unit_run();
}
