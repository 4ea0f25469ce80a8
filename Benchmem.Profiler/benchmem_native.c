/*
 * Benchmem's native-memory interposer (linux-gnu: x64, arm64). The memory host's child is started with it in
 * LD_PRELOAD, so its malloc, calloc, realloc, free, posix_memalign, aligned_alloc, memalign, valloc, pvalloc, and
 * anonymous mmap/munmap/mremap come first. Outside a window it only forwards (one relaxed load per call).
 *
 * A window (benchmem_native_begin .. _end) is one memory pass's calls. Inside it every block allocated is recorded
 * in a table, pointer -> size, marked with whether the window's own thread allocated it; a free of a recorded block
 * (on any thread, during the window or after it, until benchmem_native_forget) removes it. So there are two sets of
 * numbers, the calling thread's and every thread's, as for managed memory: the managed side reads the set its pass
 * used (every thread when the pass was multi-threaded).
 *   allocations, allocated  blocks and requested bytes allocated inside the window (realloc: one block of the new
 *                           size; the old one is freed)
 *   peak                    the high-water of the window's own blocks still live: live native bytes above the start
 *   live                    the window's blocks still live now (after the call's result was dropped: retained)
 * Frees of blocks allocated before the window are not the call's and move nothing. The interposer never allocates
 * itself: glibc's __libc_* entry points and raw syscalls, and its table lives in memory mapped by syscall.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define EXPORT __attribute__((visibility("default")))

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);
extern void *__libc_memalign(size_t, size_t);
extern void *__libc_valloc(size_t);
extern void *__libc_pvalloc(size_t);

/* ---- state ---- */

typedef struct {
    uint64_t allocations, allocated, live, peak;
} Counts;

typedef struct {
    uintptr_t key;  /* 0 = empty */
    uint64_t size;  /* bytes */
    uint64_t owner; /* 1 = allocated by the window's thread */
} Slot;

static volatile int window_open;   /* inserts happen only while set */
static volatile int in_gc;         /* > 0: a GC is running: what is allocated now is the runtime's bookkeeping */
static volatile int tracking;      /* frees are looked up only while set */
static pid_t window_thread;
static Counts own, all;
static Slot *table;
static size_t table_cap, table_count;
static volatile int lock_word;

static __thread pid_t tls_tid __attribute__((tls_model("initial-exec")));

static pid_t current_tid(void) {
    if (!tls_tid) tls_tid = (pid_t)syscall(SYS_gettid);
    return tls_tid;
}

static inline void spin_pause(void) {
#if defined(__x86_64__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ volatile("yield");
#endif
}

static void lock(void) {
    while (__atomic_exchange_n(&lock_word, 1, __ATOMIC_ACQUIRE))
        while (__atomic_load_n(&lock_word, __ATOMIC_RELAXED)) spin_pause();
}
static void unlock(void) { __atomic_store_n(&lock_word, 0, __ATOMIC_RELEASE); }

static void *raw_map(size_t bytes) {
    long r = syscall(SYS_mmap, NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return (r == -1) ? NULL : (void *)r;
}

static size_t hash(uintptr_t key, size_t cap) {
    uint64_t h = (uint64_t)key * 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 20) & (cap - 1);
}

/* Grows the table to twice its size (or creates it); under the lock. */
static int grow(void) {
    size_t cap = table_cap ? table_cap * 2 : (size_t)1 << 16;
    Slot *fresh = raw_map(cap * sizeof(Slot));
    if (!fresh) return 0;
    for (size_t i = 0; i < table_cap; i++) {
        if (!table[i].key) continue;
        size_t at = hash(table[i].key, cap);
        while (fresh[at].key) at = (at + 1) & (cap - 1);
        fresh[at] = table[i];
    }
    if (table) syscall(SYS_munmap, table, table_cap * sizeof(Slot));
    table = fresh;
    table_cap = cap;
    return 1;
}

static void add(Counts *c, uint64_t size) {
    c->allocations++;
    c->allocated += size;
    c->live += size;
    if (c->live > c->peak) c->peak = c->live;
}

/* The allocation profile's hook (benchmem_profile_native in the allocation profiler, connected by the managed side):
   told each recorded block's size and the code that asked for it, on the allocating thread, to take its managed stack. */
static void (*volatile profile_hook)(uint64_t size, uintptr_t caller);
/* Set while the hook runs on this thread: what it allocates itself (its table) is neither the call's nor profiled. */
static __thread int tls_in_hook __attribute__((tls_model("initial-exec")));

/* Records a block allocated inside the window; caller is the return address of the interposed function. */
static void record(void *p, uint64_t size, uintptr_t caller) {
    if (!p || !__atomic_load_n(&window_open, __ATOMIC_RELAXED) || __atomic_load_n(&in_gc, __ATOMIC_RELAXED) || tls_in_hook) return;
    int mine = current_tid() == window_thread;
    lock();
    if (window_open && ((table_count + 1) * 2 <= table_cap || grow())) {
        size_t at = hash((uintptr_t)p, table_cap);
        while (table[at].key && table[at].key != (uintptr_t)p) at = (at + 1) & (table_cap - 1);
        if (!table[at].key) table_count++;
        table[at] = (Slot){(uintptr_t)p, size, (uint64_t)mine};
        add(&all, size);
        if (mine) add(&own, size);
    }
    unlock();
    /* Only the window's own thread is profiled: another thread may be the runtime's, mallocing under a lock of its
       own that a stack walk would need. Its blocks are counted, not attributed. */
    void (*hook)(uint64_t, uintptr_t) = profile_hook;
    if (hook && mine) {
        tls_in_hook = 1;
        hook(size, caller);
        tls_in_hook = 0;
    }
}

#define CALLER ((uintptr_t)__builtin_return_address(0))

/* Removes a recorded block (before the memory is given back, so no other thread can have it yet); returns its slot
   copy, key 0 when it was not recorded. Linear probing with backward-shift deletion: no tombstones. */
static Slot forget_block(uintptr_t key) {
    Slot none = {0, 0, 0};
    if (!key || !__atomic_load_n(&tracking, __ATOMIC_RELAXED)) return none;
    lock();
    if (!table_count) {
        unlock();
        return none;
    }
    size_t at = hash(key, table_cap);
    while (table[at].key && table[at].key != key) at = (at + 1) & (table_cap - 1);
    if (!table[at].key) {
        unlock();
        return none;
    }
    Slot found = table[at];
    all.live -= found.size;
    if (found.owner) own.live -= found.size;
    size_t hole = at, next = (at + 1) & (table_cap - 1);
    while (table[next].key) {
        size_t home = hash(table[next].key, table_cap);
        /* move next into the hole when its home is not in (hole, next] (cyclically) */
        if ((next > hole) ? (home <= hole || home > next) : (home <= hole && home > next)) {
            table[hole] = table[next];
            hole = next;
        }
        next = (next + 1) & (table_cap - 1);
    }
    table[hole].key = 0;
    table_count--;
    unlock();
    return found;
}

/* ---- the interposed functions ---- */

static volatile int probe_hits;

EXPORT void *malloc(size_t size) {
    void *p = __libc_malloc(size);
    if (size == 0x62656e63 /* "benc": benchmem_native_active's probe */) probe_hits++;
    record(p, size, CALLER);
    return p;
}

EXPORT void *calloc(size_t n, size_t size) {
    void *p = __libc_calloc(n, size);
    record(p, (uint64_t)n * size, CALLER);
    return p;
}

EXPORT void free(void *p) {
    if (!p) return;
    forget_block((uintptr_t)p);
    __libc_free(p);
}

EXPORT void *realloc(void *old, size_t size) {
    if (!old) return malloc(size);
    if (size == 0) { /* glibc frees the block */
        free(old);
        return NULL;
    }
    Slot was = forget_block((uintptr_t)old);
    void *p = __libc_realloc(old, size);
    if (!p) {
        /* the old block is still there: put it back as it was */
        if (was.key && __atomic_load_n(&window_open, __ATOMIC_RELAXED)) {
            lock();
            if (window_open && ((table_count + 1) * 2 <= table_cap || grow())) {
                size_t at = hash(was.key, table_cap);
                while (table[at].key) at = (at + 1) & (table_cap - 1);
                table[at] = was;
                table_count++;
                all.live += was.size;
                if (was.owner) own.live += was.size;
            }
            unlock();
        }
        return NULL;
    }
    record(p, size, CALLER);
    return p;
}

static int power_of_two(size_t a) { return a && !(a & (a - 1)); }

EXPORT int posix_memalign(void **out, size_t alignment, size_t size) {
    if (!power_of_two(alignment) || alignment % sizeof(void *)) return EINVAL;
    void *p = __libc_memalign(alignment, size);
    if (!p) return ENOMEM;
    record(p, size, CALLER);
    *out = p;
    return 0;
}

EXPORT void *aligned_alloc(size_t alignment, size_t size) {
    void *p = __libc_memalign(alignment, size);
    record(p, size, CALLER);
    return p;
}

EXPORT void *memalign(size_t alignment, size_t size) {
    void *p = __libc_memalign(alignment, size);
    record(p, size, CALLER);
    return p;
}

EXPORT void *valloc(size_t size) {
    void *p = __libc_valloc(size);
    record(p, size, CALLER);
    return p;
}

EXPORT void *pvalloc(size_t size) {
    void *p = __libc_pvalloc(size);
    long page = sysconf(_SC_PAGESIZE);
    record(p, (size + (uint64_t)page - 1) / (uint64_t)page * (uint64_t)page, CALLER);
    return p;
}

static uint64_t page_round(size_t len) {
    static long page;
    if (!page) page = sysconf(_SC_PAGESIZE);
    return ((uint64_t)len + (uint64_t)page - 1) / (uint64_t)page * (uint64_t)page;
}

/* Anonymous mappings a caller can write are memory it asked for; PROT_NONE reservations (the GC's address space)
   and file mappings are not (their pages belong to the file, or to nobody yet). */
EXPORT void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t offset) {
    long r = syscall(SYS_mmap, addr, len, prot, flags, fd, offset);
    if (r < 0 && r > -4096) {
        errno = (int)-r;
        return MAP_FAILED;
    }
    if ((flags & MAP_ANONYMOUS) && prot != PROT_NONE) record((void *)r, page_round(len), CALLER);
    return (void *)r;
}

EXPORT void *mmap64(void *addr, size_t len, int prot, int flags, int fd, off_t offset)
    __attribute__((alias("mmap")));

EXPORT int munmap(void *addr, size_t len) {
    Slot was = forget_block((uintptr_t)addr);
    long r = syscall(SYS_munmap, addr, len);
    if (r < 0) {
        errno = (int)-r;
        return -1;
    }
    /* the front of a recorded mapping unmapped: the rest stays recorded under its new start */
    uint64_t gone = page_round(len);
    if (was.key && gone < was.size && __atomic_load_n(&window_open, __ATOMIC_RELAXED)) {
        int mine = (int)was.owner;
        lock();
        if ((table_count + 1) * 2 <= table_cap || grow()) {
            size_t at = hash(was.key + gone, table_cap);
            while (table[at].key) at = (at + 1) & (table_cap - 1);
            table[at] = (Slot){was.key + gone, was.size - gone, (uint64_t)mine};
            table_count++;
            all.live += was.size - gone;
            if (mine) own.live += was.size - gone;
        }
        unlock();
    }
    return 0;
}

EXPORT void *mremap(void *old, size_t old_len, size_t new_len, int flags, ...) {
    void *target = NULL;
    if (flags & MREMAP_FIXED) {
        va_list ap;
        va_start(ap, flags);
        target = va_arg(ap, void *);
        va_end(ap);
    }
    long r = syscall(SYS_mremap, old, old_len, new_len, flags, target);
    if (r < 0 && r > -4096) {
        errno = (int)-r;
        return MAP_FAILED;
    }
    /* a recorded mapping that moved or changed size: the old one freed, the new one allocated */
    if (forget_block((uintptr_t)old).key) record((void *)r, page_round(new_len), CALLER);
    return (void *)r;
}

/* ---- exports for Benchmem.Core's NativeCounter ---- */

typedef struct {
    Counts own, all;
} NativeWindow;

/* 1 when this library's malloc is the one the process calls (loaded by LD_PRELOAD, not merely dlopen'ed: then the
   process's malloc, reached through the global scope as everyone reaches it, is glibc's and the probe is not seen). */
EXPORT int32_t benchmem_native_active(void) {
    void *(*volatile reach)(size_t) = malloc;
    int before = probe_hits;
    __libc_free(reach(0x62656e63));
    return probe_hits != before;
}

/* Opens a window for the calling thread: what was recorded before is forgotten. */
EXPORT void benchmem_native_begin(void) {
    lock();
    if (table && table_count) memset(table, 0, table_cap * sizeof(Slot));
    table_count = 0;
    memset(&own, 0, sizeof own);
    memset(&all, 0, sizeof all);
    window_thread = current_tid();
    __atomic_store_n(&tracking, 1, __ATOMIC_RELAXED);
    __atomic_store_n(&window_open, 1, __ATOMIC_RELEASE);
    unlock();
}

/* Closes the window: nothing more is recorded; frees of recorded blocks still count until forget. */
EXPORT void benchmem_native_end(NativeWindow *out) {
    lock();
    __atomic_store_n(&window_open, 0, __ATOMIC_RELEASE);
    out->own = own;
    out->all = all;
    unlock();
}

/* The window's blocks still live now (the calling thread's, every thread's). */
EXPORT void benchmem_native_live(uint64_t *own_out, uint64_t *all_out) {
    lock();
    *own_out = own.live;
    *all_out = all.live;
    unlock();
}

/* Stops looking frees up (until the next window). */
EXPORT void benchmem_native_forget(void) { __atomic_store_n(&tracking, 0, __ATOMIC_RELAXED); }

/* Told by the allocation profiler when a GC starts (1) and ends (0) (benchmem_set_gc_hook): allocations in between are
   the runtime's (mark lists, the profiler API's survivor buffers, a forced GC's set-up), made while managed code is
   stopped. Nested: a forced GC reports around the GC's own start and end. */
EXPORT void benchmem_native_gc(int32_t running) { __atomic_add_fetch(&in_gc, running ? 1 : -1, __ATOMIC_RELAXED); }

/* Connects the allocation profile (null disconnects): see profile_hook. */
EXPORT void benchmem_native_set_profile_hook(void (*hook)(uint64_t size, uintptr_t caller)) { profile_hook = hook; }
