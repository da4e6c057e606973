/* The paging tests of mmu_sv39.c with four levels (Sv48). */
#define SATP_MODE SATP_SV48
#include "mmu_sv39.c"
