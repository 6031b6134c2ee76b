/* Linked into the Lambda build of practica only (cmake/lambda.cmake), with -Wl,--wrap for both
 * symbols below.
 *
 * The Lambda zip must run on glibc 2.34 (provided.al2023), but two of Debian 12's static toolchain
 * archives were built against its glibc 2.36 and call functions that appeared after 2.34:
 *   - libgcc_eh.a (the unwinder, linked by -static-libgcc) calls _dl_find_object (GLIBC_2.35) to
 *     find the unwind tables of the code a C++ exception passes through;
 *   - libstdc++.a's std::random_device calls arc4random (GLIBC_2.36).
 * The linker sends those calls here instead, and these use only functions glibc 2.34 has: what
 * libgcc did before GCC 12 (dl_iterate_phdr), and the getrandom() that glibc's arc4random reads.
 * The test of the zip (tests/lambda/test_package.py) checks that no GLIBC_2.35+ symbol is left. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <link.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#if DLFO_STRUCT_HAS_EH_DBASE || DLFO_STRUCT_HAS_EH_COUNT
#error "this replacement fills only the fields that x86_64 and aarch64 have"
#endif

struct search {
  uintptr_t address;
  struct dl_find_object* result;
};

/* dl_iterate_phdr's callback: 1 (stop) once the object whose segments hold the address is seen. */
static int find_in_object(struct dl_phdr_info* info, size_t size, void* data) {
  (void)size;
  struct search* search = data;
  uintptr_t start = UINTPTR_MAX;
  uintptr_t end = 0;
  int contains = 0;
  void* eh_frame = NULL;
  for (ElfW(Half) i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)* segment = &info->dlpi_phdr[i];
    if (segment->p_type == PT_LOAD) {
      const uintptr_t low = info->dlpi_addr + segment->p_vaddr;
      const uintptr_t high = low + segment->p_memsz;
      if (low < start) start = low;
      if (high > end) end = high;
      if (search->address >= low && search->address < high) contains = 1;
    } else if (segment->p_type == PT_GNU_EH_FRAME) {
      eh_frame = (void*)(info->dlpi_addr + segment->p_vaddr);
    }
  }
  if (!contains) return 0;
  memset(search->result, 0, sizeof *search->result);
  search->result->dlfo_map_start = (void*)start;
  search->result->dlfo_map_end = (void*)end;
  search->result->dlfo_eh_frame = eh_frame; /* what libgcc reads; NULL means "no tables" */
  return 1;
}

/* _dl_find_object's contract: fill *result and return 0 if an object holds the address, else -1.
 * dlfo_link_map is left NULL: libgcc does not read it. */
int __wrap__dl_find_object(void* address, struct dl_find_object* result) {
  struct search search = {(uintptr_t)address, result};
  return dl_iterate_phdr(find_in_object, &search) ? 0 : -1;
}

/* arc4random's contract: 32 uniformly random bits from the kernel's CSPRNG; never fails (glibc's
 * aborts too when there is no randomness to be had). */
uint32_t __wrap_arc4random(void) {
  uint32_t value;
  unsigned char* next = (unsigned char*)&value;
  size_t left = sizeof value;
  while (left > 0) {
    const ssize_t got = getrandom(next, left, 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      abort();
    }
    next += got;
    left -= (size_t)got;
  }
  return value;
}
