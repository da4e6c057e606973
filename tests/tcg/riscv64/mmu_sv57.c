/* The paging tests of mmu_sv39.c with five levels (Sv57). */
#define SATP_MODE SATP_SV57
#include "mmu_sv39.c"
