/*
 * benchmem_profiler: a minimal CLR profiler that counts every managed allocation exactly.
 *
 * Plain C, no runtime headers: the COM objects are hand-built vtables whose slot order is the
 * published corprof.idl order (slots 0-2 are IUnknown in every interface). Loaded at process start by
 *   CORECLR_ENABLE_PROFILING=1  CORECLR_PROFILER={AFBA20EC-AAED-42C9-A48E-FDC8CF3BAFF3}
 *   CORECLR_PROFILER_PATH=/abs/path/libbenchmem_profiler.so
 * Managed code (Benchmem.Core.Memory.AllocationCounter) loads the same path with NativeLibrary.Load,
 * which returns the already-loaded instance, and reads the counters through the plain C exports below.
 *
 * It makes every small allocation several times slower for the whole process (the runtime takes the
 * slow allocation path and calls ObjectAllocated), so it must never be loaded into a process that times.
 *
 * Live peak (BENCHMEM_PROFILER_LIVE_PEAK=1 at start-up): the profiler also follows the GCs, sums the bytes that
 * survive each full GC (the exact live heap), and keeps an upper bound of the live heap between GCs:
 *     estimate = survivors of the last full GC + bytes allocated since.
 * Inside a window opened by managed code it keeps the highest exact live value (max_live) and, whenever an allocation
 * lifts the estimate above max_live + tolerance, runs a full GC right there (a lazy GC: only when the maximum could
 * have grown), so the live high-water is known to within the tolerance, garbage excluded, whatever the GC's own
 * budget would have done. The GC runs synchronously inside ObjectAllocated on a thread that may call ForceGC there:
 * a thread the profiler created itself and on which ForceGC already succeeded (the runtime then treats it as a native
 * thread; benchmem_start_gc_thread makes one and runs managed code on it). Other threads cannot; for them a helper
 * thread of the profiler's runs the GC a moment later, and the window reports the highest estimate such a delay left
 * unresolved, so the bound stays true.
 *
 * Allocation profile (BENCHMEM_PROFILER_STACKS=1 at start-up): while a profile window opened by managed code is open,
 * every allocation also walks its own thread's managed stack (DoStackSnapshot, synchronous, from inside
 * ObjectAllocated) and adds its size to a table keyed by (type, stack): exact bytes and object counts by type and by
 * call path. Managed code copies the table out and names the ClassIDs and FunctionIDs itself: in CoreCLR they are the
 * type and method handles reflection takes (RuntimeTypeHandle/RuntimeMethodHandle.FromIntPtr).
 *
 * Only 64-bit targets (x64, arm64) are meant: there a single calling convention exists, so one generic
 * "return S_OK" stub can fill every callback slot whatever its parameters (x86 __stdcall could not).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "benchmem_objects.h"
#ifndef _WIN32
#include <pthread.h>
#include <time.h>
#endif

#ifdef _WIN32
#define EXPORT __declspec(dllexport)
#else
#define EXPORT __attribute__((visibility("default")))
#endif

typedef int32_t HRESULT;
#define S_OK 0
#define E_NOINTERFACE ((HRESULT)0x80004002)
#define E_POINTER ((HRESULT)0x80004003)
#define CLASS_E_NOAGGREGATION ((HRESULT)0x80040110)
#define CLASS_E_CLASSNOTAVAILABLE ((HRESULT)0x80040111)

typedef struct { uint32_t d1; uint16_t d2, d3; uint8_t d4[8]; } GUID;
static int same(const GUID *a, const GUID *b) { return a && memcmp(a, b, sizeof(GUID)) == 0; }

/* Our CLSID: must equal AllocationCounter.ProfilerClsid (CORECLR_PROFILER). */
static const GUID CLSID_Benchmem = {0xafba20ec, 0xaaed, 0x42c9, {0xa4, 0x8e, 0xfd, 0xc8, 0xcf, 0x3b, 0xaf, 0xf3}};
/* COM basics: the runtime asks DllGetClassObject for IClassFactory, then the factory for a callback. */
static const GUID IID_IUnknown = {0x00000000, 0x0000, 0x0000, {0xc0, 0, 0, 0, 0, 0, 0, 0x46}};
static const GUID IID_IClassFactory = {0x00000001, 0x0000, 0x0000, {0xc0, 0, 0, 0, 0, 0, 0, 0x46}};
/* The callback versions our vtable covers (slots 0-82); the runtime then probes Callback4..11 and
 * gets E_NOINTERFACE, which just means "an older profiler". */
static const GUID IID_ICorProfilerCallback = {0x176fbed1, 0xa55c, 0x4796, {0x98, 0xca, 0xa9, 0xda, 0x0e, 0xf8, 0x83, 0xe7}};
static const GUID IID_ICorProfilerCallback2 = {0x8a8cc829, 0xccf2, 0x49fe, {0xbb, 0xae, 0x0f, 0x02, 0x22, 0x28, 0x07, 0x1a}};
static const GUID IID_ICorProfilerCallback3 = {0x4fd2ed52, 0x7731, 0x4b8d, {0x94, 0x69, 0x03, 0xd2, 0xcc, 0x30, 0x86, 0xc5}};
/* ICorProfilerInfo4 is the first Info interface with GetObjectSize2 (size_t, right for >4 GB arrays). */
static const GUID IID_ICorProfilerInfo4 = {0x0d8fdcaa, 0x6257, 0x47bf, {0xb1, 0xbf, 0x94, 0xda, 0xc8, 0x84, 0x66, 0xee}};

/* ICorProfilerCallback slots used (corprof.idl order, counting IUnknown's 3). Callback2 adds 72-79,
 * Callback3 adds 80-82 (InitializeForAttach, ProfilerAttachComplete, ProfilerDetachSucceeded). */
enum { CB_QUERYINTERFACE = 0, CB_ADDREF = 1, CB_RELEASE = 2, CB_INITIALIZE = 3, CB_MOVEDREFERENCES = 49,
       CB_OBJECTALLOCATED = 50, CB_OBJECTREFERENCES = 52, CB_GCSTARTED = 73, CB_SURVIVINGREFERENCES = 74, CB_GCFINISHED = 75, CB_SLOTS = 83 };
/* ICorProfilerInfo slots used: SetEventMask (ICorProfilerInfo, slot 16), GetObjectSize2 (Info4, slot 80). */
enum { INFO_RELEASE = 2, INFO_SETEVENTMASK = 16, INFO_FORCEGC = 28, INFO_DOSTACKSNAPSHOT = 36, INFO_GETOBJECTSIZE2 = 80 };
/* COR_PRF_MONITOR_OBJECT_ALLOCATED (0x100) | COR_PRF_ENABLE_OBJECT_ALLOCATED (0x800000): both are
 * needed, and only at start-up (ENABLE_* flags are immutable after Initialize). */
#define EVENT_MASK 0x800100u
/* COR_PRF_MONITOR_GC (0x80): GC started/finished and the surviving/moved ranges. (Measured on .NET 10: the lighter
 * COR_PRF_HIGH_BASIC_GC | COR_PRF_HIGH_MONITOR_GC_MOVED_OBJECTS through SetEventMask2 was accepted but reported no
 * ranges at all.) Its per-object heap walk is cut short by ObjectReferences returning E_FAIL. */
#define EVENT_MASK_GC 0x80u
#define E_FAIL ((HRESULT)0x80004005)
/* COR_PRF_ENABLE_STACK_SNAPSHOT: DoStackSnapshot may be called (start-up only, like the allocation flags). */
#define EVENT_MASK_STACKS 0x10000000u

typedef struct { void **vtbl; } ComObject; /* a COM object is a pointer to its vtable */
typedef HRESULT (*QueryInterfaceFn)(ComObject *, const GUID *, void **);
typedef uint32_t (*ReleaseFn)(ComObject *);
typedef HRESULT (*SetEventMaskFn)(ComObject *, uint32_t);
typedef HRESULT (*GetObjectSize2Fn)(ComObject *, uintptr_t objectId, size_t *size);
typedef HRESULT (*ForceGCFn)(ComObject *);
/* StackSnapshotCallback(FunctionID, UINT_PTR ip, COR_PRF_FRAME_INFO, ULONG32 contextSize, BYTE context[], void *clientData) */
typedef HRESULT (*StackSnapshotCallbackFn)(uintptr_t, uintptr_t, uintptr_t, uint32_t, uint8_t *, void *);
typedef HRESULT (*DoStackSnapshotFn)(ComObject *, uintptr_t thread, StackSnapshotCallbackFn, uint32_t flags, void *clientData,
                                     uint8_t *context, uint32_t contextSize);

static ComObject *info;           /* ICorProfilerInfo4, kept for the process lifetime */
static uint64_t objects, bytes;   /* the counters: 64-bit, updated atomically from every thread */
/* The allocating thread's own counts: exact for single-threaded work even while the runtime or the finalizer
   thread allocates elsewhere (as GC.GetAllocatedBytesForCurrentThread is for bytes). */
static __thread uint64_t thread_objects, thread_bytes;
static int32_t active;            /* 1 once Initialize succeeded */

/* Live peak state. GC callbacks run while the runtime is suspended (one GC at a time), so they never race
 * allocations; allocations race each other and use atomics. */
static int32_t live_tracking;      /* 1 when the GC callbacks were granted */
static uint64_t live_after_gc;     /* bytes surviving the last full GC */
static uint64_t allocated_since;   /* bytes allocated since that GC */
static uint64_t gc_survivors;      /* running sum inside the current GC (server GC reports from several threads) */
static int32_t gc_is_full;         /* the current GC collects every generation */
static int32_t window_open;        /* a managed peak window is open */
static uint64_t window_zero;       /* exact live heap when the window opened */
static uint64_t window_max_live;   /* highest exact live heap (survivors of a full GC) inside the window */
static uint64_t window_unresolved; /* highest estimate no GC resolved at once (another thread's allocation) */
static uint64_t window_tolerance;  /* the window's absolute tolerance, bytes */
static uint64_t window_ppm;        /* and its relative one, parts per million of the peak so far */
static uint64_t window_limit;      /* the estimate above which a GC runs (update_window_limit) */
static uint64_t window_full_gcs, window_other_gcs, window_forced_gcs, window_requested_gcs;
static __thread int32_t gc_capable; /* ForceGC succeeded on this thread: it may force GCs inside callbacks */
static int32_t in_forced_gc;       /* a forced GC is under way (its own callbacks must not force another) */
/* The helper that forces a GC for threads that cannot (see the header). */
#ifndef _WIN32
static pthread_mutex_t helper_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t helper_wake = PTHREAD_COND_INITIALIZER;
static int32_t helper_started, helper_pending;
#endif

/* Allocation profile state: one table of distinct (type, stack) entries, guarded by a spin lock (allocating threads
 * race each other; the table is only touched while a window is open, and copied out after it closed). */
#define MAX_FRAMES 256
typedef struct { uintptr_t class_id; uint64_t hash, count, bytes; uint32_t depth; size_t frames_at; } Entry;
typedef struct { uintptr_t frames[MAX_FRAMES]; uint32_t depth; } Stack;
static int32_t stacks;             /* 1 when the runtime granted stack snapshots */
static int32_t profile_open;       /* a profile window is open */
static int32_t profile_lock;
static __thread int32_t thread_ignored; /* the finalizer thread: left out of profiles and of the counted totals */
static uint64_t counted_objects, counted_bytes; /* every thread but the ignored ones */
static Entry *entries;
static size_t entry_count, entry_cap;
static int64_t *slots;             /* open addressing: index into entries, -1 empty; size a power of two */
static size_t slot_cap;
static uintptr_t *frame_pool;
static size_t frame_used, frame_cap;
static uint64_t profile_failed;    /* allocations left out: a stack walk or a table allocation failed */

/* Memory tests (Benchmem.NUnit's Heap): allocations by type, and a census of the live heap by type.
 * Allocations by type: one cumulative table keyed by ClassID (every counted thread, as counted_objects), guarded by its
 * own spin lock; managed code takes "marks" (native copies of the table, no managed allocation) and subtracts two.
 * Census: when managed code asks, the next full GC's heap walk (ObjectReferences, once per live object after the GC,
 * at its final address) is tallied by ClassID instead of being cut short.
 * Differences (survived or new since a census): from the first census of a memory test on, benchmem_objects.c tracks
 * every allocation under the number of censuses before it, and each census also tallies the live tracked objects by
 * (ClassID, that number): objects allocated after census k and live now are the new ones since k, whatever else died. */
typedef struct { uintptr_t class_id; uint64_t count, bytes; } TypeTally;
typedef struct { TypeTally *items; size_t count, cap; int64_t *slots; size_t slot_cap; uint64_t failed; } TypeTable;
static TypeTable alloc_types;      /* cumulative allocations by type */
static int32_t alloc_types_lock;
static __thread int32_t thread_paused; /* Benchmem's own check-point work on this thread: not the test's traffic */
#define MAX_MARKS 4096
static TypeTally *marks[MAX_MARKS];
static size_t mark_counts[MAX_MARKS];
static int64_t mark_count;
static TypeTable census;           /* the live heap by type at the last census GC */
static int32_t census_wanted, census_this_gc, census_done;
static TypeTable census_born;      /* the live tracked objects at the last census, by (ClassID, censuses before them) */
static int64_t census_number;      /* censuses taken; allocations are tracked under it */
static int64_t tracking_since = -1; /* census_number when the differences' tracking started: it covers later censuses */
#define MAX_CENSUS_NUMBER 4095     /* it shares a 64-bit key with a ClassID (below 2^52 on every target) */
static uintptr_t born_key(uintptr_t class_id, int64_t born) { return class_id | ((uintptr_t)born << 52); }

static int table_add(TypeTable *t, uintptr_t class_id, uint64_t count, uint64_t size) {
    if ((t->count + 1) * 2 > t->slot_cap) {
        size_t cap = t->slot_cap ? t->slot_cap * 2 : 1024;
        int64_t *fresh = malloc(cap * sizeof(int64_t));
        if (!fresh) { t->failed++; return 0; }
        for (size_t i = 0; i < cap; i++) fresh[i] = -1;
        for (size_t e = 0; e < t->count; e++) {
            size_t at = (t->items[e].class_id >> 3) & (cap - 1);
            while (fresh[at] >= 0) at = (at + 1) & (cap - 1);
            fresh[at] = (int64_t)e;
        }
        free(t->slots);
        t->slots = fresh;
        t->slot_cap = cap;
    }
    size_t at = (class_id >> 3) & (t->slot_cap - 1);
    for (; t->slots[at] >= 0; at = (at + 1) & (t->slot_cap - 1)) {
        TypeTally *e = &t->items[t->slots[at]];
        if (e->class_id == class_id) { e->count += count; e->bytes += size; return 1; }
    }
    if (t->count + 1 > t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 512;
        TypeTally *moved = realloc(t->items, cap * sizeof(TypeTally));
        if (!moved) { t->failed++; return 0; }
        t->items = moved;
        t->cap = cap;
    }
    t->items[t->count].class_id = class_id; t->items[t->count].count = count; t->items[t->count].bytes = size;
    t->slots[at] = (int64_t)t->count++;
    return 1;
}

static void table_clear(TypeTable *t) {
    t->count = 0;
    t->failed = 0;
    for (size_t i = 0; i < t->slot_cap; i++) t->slots[i] = -1;
}

/* Both objects are static singletons: reference counting is a no-op. */
static uint32_t add_ref(ComObject *self) { (void)self; return 2; }
static uint32_t release(ComObject *self) { (void)self; return 1; }
static HRESULT ok_stub(void) { return S_OK; } /* every callback slot we do not care about */

static HRESULT cb_query_interface(ComObject *self, const GUID *iid, void **out) {
    if (!out) return E_POINTER;
    if (same(iid, &IID_IUnknown) || same(iid, &IID_ICorProfilerCallback) ||
        same(iid, &IID_ICorProfilerCallback2) || same(iid, &IID_ICorProfilerCallback3)) {
        *out = self;
        return S_OK;
    }
    *out = 0;
    return E_NOINTERFACE;
}

/* slot 3: Initialize(IUnknown *pICorProfilerInfoUnk) */
static HRESULT cb_initialize(ComObject *self, ComObject *infoUnk) {
    (void)self;
    HRESULT hr = ((QueryInterfaceFn)infoUnk->vtbl[CB_QUERYINTERFACE])(infoUnk, &IID_ICorProfilerInfo4, (void **)&info);
    if (hr < 0) return hr;
    const char *want_live = getenv("BENCHMEM_PROFILER_LIVE_PEAK");
    const char *want_stacks = getenv("BENCHMEM_PROFILER_STACKS");
    uint32_t base = EVENT_MASK;
    if (want_stacks && strcmp(want_stacks, "1") == 0) {
        /* Without stack snapshots the profiler still counts; managed code sees stacks == 0 and says so. */
        hr = ((SetEventMaskFn)info->vtbl[INFO_SETEVENTMASK])(info, EVENT_MASK | EVENT_MASK_STACKS);
        if (hr >= 0) { stacks = 1; base |= EVENT_MASK_STACKS; }
    }
    if (want_live && strcmp(want_live, "1") == 0) {
        /* Without the GC callbacks the profiler still counts; managed code sees live_tracking == 0 and says so. */
        hr = ((SetEventMaskFn)info->vtbl[INFO_SETEVENTMASK])(info, base | EVENT_MASK_GC);
        live_tracking = hr >= 0;
    }
    if (!live_tracking)
        hr = ((SetEventMaskFn)info->vtbl[INFO_SETEVENTMASK])(info, base);
    if (hr < 0) {
        ((ReleaseFn)info->vtbl[INFO_RELEASE])(info);
        info = 0;
        return hr; /* the runtime then unloads us and runs without a profiler */
    }
    __atomic_store_n(&active, 1, __ATOMIC_RELEASE);
    return S_OK;
}

static void profile_lock_take(void) { while (__atomic_exchange_n(&profile_lock, 1, __ATOMIC_ACQUIRE)) { } }
static void profile_lock_drop(void) { __atomic_store_n(&profile_lock, 0, __ATOMIC_RELEASE); }

/* One frame of the walk, leaf first; native frames (FunctionID 0, e.g. the runtime's allocation helper) are left out. */
static HRESULT walk_frame(uintptr_t function, uintptr_t ip, uintptr_t frame_info, uint32_t context_size, uint8_t *context, void *data) {
    (void)ip; (void)frame_info; (void)context_size; (void)context;
    Stack *stack = data;
    if (function && stack->depth < MAX_FRAMES) stack->frames[stack->depth++] = function;
    return S_OK;
}

static uint64_t hash_entry(uintptr_t class_id, const Stack *stack) {
    uint64_t h = 1469598103934665603ull ^ class_id; /* FNV-1a over the words */
    for (uint32_t i = 0; i < stack->depth; i++) h = (h ^ stack->frames[i]) * 1099511628211ull;
    return h ? h : 1;
}

static int grow(void **array, size_t *cap, size_t need, size_t item) {
    if (need <= *cap) return 1;
    size_t next = *cap ? *cap : 1024;
    while (next < need) next *= 2;
    void *moved = realloc(*array, next * item);
    if (!moved) return 0;
    *array = moved;
    *cap = next;
    return 1;
}

static int rehash(size_t cap) {
    int64_t *fresh = malloc(cap * sizeof(int64_t));
    if (!fresh) return 0;
    for (size_t i = 0; i < cap; i++) fresh[i] = -1;
    for (size_t e = 0; e < entry_count; e++) {
        size_t at = entries[e].hash & (cap - 1);
        while (fresh[at] >= 0) at = (at + 1) & (cap - 1);
        fresh[at] = (int64_t)e;
    }
    free(slots);
    slots = fresh;
    slot_cap = cap;
    return 1;
}

static void gc_hook_call(int32_t in_gc); /* at the end of the file */

/* Adds one allocation to its (type, stack) entry. Runs inside ObjectAllocated on the allocating thread. */
static void profile_record(uintptr_t class_id, uint64_t size) {
    Stack stack;
    stack.depth = 0;
    HRESULT hr = ((DoStackSnapshotFn)info->vtbl[INFO_DOSTACKSNAPSHOT])(info, 0, walk_frame, 0, &stack, 0, 0);
    profile_lock_take();
    if (hr < 0 && stack.depth == 0) { profile_failed++; profile_lock_drop(); return; }
    uint64_t h = hash_entry(class_id, &stack);
    if ((entry_count + 1) * 2 > slot_cap && !rehash(slot_cap ? slot_cap * 2 : 4096)) { profile_failed++; profile_lock_drop(); return; }
    size_t at = h & (slot_cap - 1);
    for (; slots[at] >= 0; at = (at + 1) & (slot_cap - 1)) {
        Entry *e = &entries[slots[at]];
        if (e->hash == h && e->class_id == class_id && e->depth == stack.depth
            && memcmp(frame_pool + e->frames_at, stack.frames, stack.depth * sizeof(uintptr_t)) == 0) {
            e->count++;
            e->bytes += size;
            objects_note_entry(slots[at]);
            profile_lock_drop();
            return;
        }
    }
    if (!grow((void **)&entries, &entry_cap, entry_count + 1, sizeof(Entry))
        || !grow((void **)&frame_pool, &frame_cap, frame_used + stack.depth, sizeof(uintptr_t))) {
        profile_failed++;
        profile_lock_drop();
        return;
    }
    Entry *e = &entries[entry_count];
    e->class_id = class_id; e->hash = h; e->count = 1; e->bytes = size; e->depth = stack.depth; e->frames_at = frame_used;
    memcpy(frame_pool + frame_used, stack.frames, stack.depth * sizeof(uintptr_t));
    frame_used += stack.depth;
    slots[at] = (int64_t)entry_count++;
    objects_note_entry((int64_t)entry_count - 1);
    profile_lock_drop();
}

static void request_helper_gc(void);

/* The estimate above which a GC must run: the window's maximum plus max(tolerance, ppm of the peak so far). It changes
 * only when the maximum does (at a full GC, while the runtime is suspended, or when a window opens), so allocations
 * compare against a cached value instead of dividing on every one. */
static void update_window_limit(void) {
    uint64_t max_live = __atomic_load_n(&window_max_live, __ATOMIC_RELAXED);
    uint64_t above = max_live > window_zero ? max_live - window_zero : 0;
    uint64_t relative = above / 1000000 * window_ppm + (above % 1000000) * window_ppm / 1000000;
    uint64_t tolerance = relative > window_tolerance ? relative : window_tolerance;
    __atomic_store_n(&window_limit, max_live + tolerance, __ATOMIC_RELAXED);
}

static void atomic_max(uint64_t *target, uint64_t value) {
    uint64_t seen = __atomic_load_n(target, __ATOMIC_RELAXED);
    while (value > seen && !__atomic_compare_exchange_n(target, &seen, value, 1, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) { }
}


/* The live estimate after an allocation; inside a window, a full GC when it could pass the maximum by more than the
 * tolerance (synchronously where this thread may, else through the helper, noting the estimate left unresolved). */
static void follow_live(uint64_t size) {
    uint64_t estimate = live_after_gc + __atomic_add_fetch(&allocated_since, size, __ATOMIC_RELAXED);
    if (!__atomic_load_n(&window_open, __ATOMIC_ACQUIRE)) return;
    if (estimate <= __atomic_load_n(&window_limit, __ATOMIC_RELAXED)) return;
    if (gc_capable && !__atomic_load_n(&in_forced_gc, __ATOMIC_RELAXED)) {
        /* The allocated object is protected by the runtime during this callback: it counts as live, as it is. */
        __atomic_store_n(&in_forced_gc, 1, __ATOMIC_RELAXED);
        window_forced_gcs++;
        gc_hook_call(1);
        HRESULT hr = ((ForceGCFn)info->vtbl[INFO_FORCEGC])(info);
        gc_hook_call(0);
        __atomic_store_n(&in_forced_gc, 0, __ATOMIC_RELAXED);
        if (hr >= 0) return;
    }
    /* The runtime's own threads (the finalizer, the helper) leave their bytes to the next GC of the call's thread, and
     * leave the bound alone: their bytes are not the call's (the counts leave them out too), and the call's own live
     * bytes only grow at the call's own allocations, each checked where it happens. Otherwise a finalizer allocation
     * in the moment the call's thread is about to resolve a large allocation of its own widens the bound by it. A GC
     * forced from the helper while the call's thread runs would be one the call would not have seen. */
    if (thread_ignored) return;
    atomic_max(&window_unresolved, estimate);
    request_helper_gc();
}

/* slot 50: ObjectAllocated(ObjectID objectId, ClassID classId), on the allocating thread. */
static HRESULT cb_object_allocated(ComObject *self, uintptr_t objectId, uintptr_t classId) {
    (void)self; (void)classId;
    size_t size = 0;
    ((GetObjectSize2Fn)info->vtbl[INFO_GETOBJECTSIZE2])(info, objectId, &size);
    /* The GC heap keeps objects 8-byte aligned; strings' sizes come back unpadded. */
    size = (size + 7) & ~(size_t)7;
    if (objects_owner() == 2) {
        /* Every thread's objects, the runtime's too: a difference is about identity, not whose allocation it was. */
        gc_hook_call(1);
        objects_allocated_since(objectId, (uint64_t)size, __atomic_load_n(&census_number, __ATOMIC_ACQUIRE));
        gc_hook_call(0);
    }
    if (gc_capable && __atomic_load_n(&in_forced_gc, __ATOMIC_RELAXED)) {
        /* The runtime allocating inside a GC this thread forced (seen: one System.Object now and then): live heap,
         * but not the call's allocation. */
        __atomic_add_fetch(&allocated_since, (uint64_t)size, __ATOMIC_RELAXED);
        return S_OK;
    }
    __atomic_fetch_add(&objects, 1, __ATOMIC_RELAXED);
    __atomic_fetch_add(&bytes, (uint64_t)size, __ATOMIC_RELAXED);
    thread_objects++;
    thread_bytes += (uint64_t)size;
    if (!thread_ignored) {
        __atomic_fetch_add(&counted_objects, 1, __ATOMIC_RELAXED);
        __atomic_fetch_add(&counted_bytes, (uint64_t)size, __ATOMIC_RELAXED);
    }
    if (__atomic_load_n(&profile_open, __ATOMIC_ACQUIRE) && !thread_ignored) {
        /* What the walk and the table allocate natively is the profile's, not the call's; and the table's own malloc
         * must not come back into profile_record through the native-memory interposer while it holds the lock. */
        gc_hook_call(1);
        profile_record(classId, (uint64_t)size);
        objects_allocated(objectId, (uint64_t)size); /* object tracking: this object under the entry profile_record chose */
        gc_hook_call(0);
    }
    if (!thread_ignored && !thread_paused) {
        /* The by-type table grows with malloc: the profiler's, not the call's native memory. */
        gc_hook_call(1);
        while (__atomic_exchange_n(&alloc_types_lock, 1, __ATOMIC_ACQUIRE)) { }
        table_add(&alloc_types, classId, 1, (uint64_t)size);
        __atomic_store_n(&alloc_types_lock, 0, __ATOMIC_RELEASE);
        gc_hook_call(0);
    }
    if (live_tracking)
        follow_live((uint64_t)size);
    return S_OK;
}

/* slot 73: GarbageCollectionStarted(int cGenerations, BOOL generationCollected[], COR_PRF_GC_REASON reason).
 * Full when every generation (0, 1, 2 and the large/pinned object heaps) is collected. */
static HRESULT cb_gc_started(ComObject *self, int32_t generations, const int32_t *collected, int32_t reason) {
    (void)self; (void)reason;
    int full = generations > 2;
    for (int32_t g = 0; g < generations && full; g++)
        if (!collected[g]) full = 0;
    gc_is_full = full;
    objects_gc_started(full);
    __atomic_store_n(&gc_survivors, 0, __ATOMIC_RELAXED);
    gc_hook_call(1);
    if (full && __atomic_load_n(&census_wanted, __ATOMIC_ACQUIRE) && !census_done) {
        table_clear(&census);
        table_clear(&census_born);
        census_this_gc = 1;
    }
    return S_OK;
}

/* slot 74: SurvivingReferences(ULONG count, ObjectID starts[], ULONG lengths[]): survivors left in place. */
static HRESULT cb_surviving_references(ComObject *self, uint32_t count, const uintptr_t *starts, const uint32_t *lengths) {
    (void)self; (void)starts;
    uint64_t sum = 0;
    for (uint32_t i = 0; i < count; i++) sum += lengths[i];
    __atomic_fetch_add(&gc_survivors, sum, __ATOMIC_RELAXED);
    return S_OK;
}

/* slot 49: MovedReferences(ULONG count, ObjectID old[], ObjectID new[], ULONG lengths[]): survivors compacted. */
static HRESULT cb_moved_references(ComObject *self, uint32_t count, const uintptr_t *from, const uintptr_t *to, const uint32_t *lengths) {
    (void)self; (void)from; (void)to;
    objects_moved(count, from, to, lengths);
    uint64_t sum = 0;
    for (uint32_t i = 0; i < count; i++) sum += lengths[i];
    __atomic_fetch_add(&gc_survivors, sum, __ATOMIC_RELAXED);
    return S_OK;
}

/* slot 52: ObjectReferences(ObjectID, ClassID, ULONG cRefs, ObjectID refs[]), once per live object after a GC, at its
 * final address. Outside a census E_FAIL stops that walk, which we do not need; in one it is the live heap by type. */
static HRESULT cb_object_references(ComObject *self, uintptr_t objectId, uintptr_t classId, uint32_t refs, const uintptr_t *ids) {
    (void)self; (void)refs; (void)ids;
    int64_t born;
    if (objects_walked(objectId, &born) && !census_this_gc) return S_OK;
    if (!census_this_gc) return E_FAIL;
    size_t size = 0;
    ((GetObjectSize2Fn)info->vtbl[INFO_GETOBJECTSIZE2])(info, objectId, &size);
    table_add(&census, classId, 1, (uint64_t)((size + 7) & ~(size_t)7));
    if (born >= 0) table_add(&census_born, born_key(classId, born), 1, (uint64_t)((size + 7) & ~(size_t)7));
    return S_OK;
}

/* slot 75: GarbageCollectionFinished(). A partial GC leaves older garbage uncounted, so only a full GC resets the
 * live estimate (and is an exact sample of the live heap); after a partial one the estimate stays an upper bound. */
static HRESULT cb_gc_finished(ComObject *self) {
    (void)self;
    if (census_this_gc) {
        census_this_gc = 0;
        /* From here on allocations are after this census. */
        __atomic_add_fetch(&census_number, 1, __ATOMIC_ACQ_REL);
        __atomic_store_n(&census_done, 1, __ATOMIC_RELEASE);
    }
    int open = __atomic_load_n(&window_open, __ATOMIC_RELAXED);
    if (gc_is_full) {
        live_after_gc = __atomic_load_n(&gc_survivors, __ATOMIC_RELAXED);
        __atomic_store_n(&allocated_since, 0, __ATOMIC_RELAXED);
        if (open) {
            atomic_max(&window_max_live, live_after_gc);
            update_window_limit();
        }
    }
    if (open) {
        if (gc_is_full) window_full_gcs++;
        else window_other_gcs++;
    }
    objects_gc_finished(gc_is_full, live_after_gc, open, __atomic_load_n(&window_max_live, __ATOMIC_RELAXED));
    gc_hook_call(0);
    return S_OK;
}

/* The helper thread: forces a full GC whenever another thread's allocation asked for one. ForceGC is allowed here:
 * this thread has never run managed code. */
#ifndef _WIN32
static void *helper_main(void *unused) {
    (void)unused;
    /* ForceGC gives this thread a managed Thread object on first use (measured: it allocates one System.Object): the
     * runtime's, not the benchmark's. */
    thread_ignored = 1;
    pthread_mutex_lock(&helper_lock);
    for (;;) {
        while (!helper_pending) pthread_cond_wait(&helper_wake, &helper_lock);
        pthread_mutex_unlock(&helper_lock);
        gc_hook_call(1);
        ((ForceGCFn)info->vtbl[INFO_FORCEGC])(info);
        gc_hook_call(0);
        pthread_mutex_lock(&helper_lock);
        helper_pending = 0;
    }
    return 0;
}
#endif

static void request_helper_gc(void) {
#ifndef _WIN32
    if (__atomic_load_n(&helper_pending, __ATOMIC_RELAXED)) return; /* one already asked for: it resolves this too */
    pthread_mutex_lock(&helper_lock);
    if (!helper_pending && helper_started) {
        helper_pending = 1;
        window_requested_gcs++;
        pthread_cond_signal(&helper_wake);
    }
    pthread_mutex_unlock(&helper_lock);
#endif
}

static void *callback_vtbl[CB_SLOTS];
static ComObject callback = {callback_vtbl};

/* IClassFactory: QueryInterface, AddRef, Release, CreateInstance (3), LockServer (4). */
static HRESULT cf_query_interface(ComObject *self, const GUID *iid, void **out) {
    if (!out) return E_POINTER;
    if (same(iid, &IID_IUnknown) || same(iid, &IID_IClassFactory)) { *out = self; return S_OK; }
    *out = 0;
    return E_NOINTERFACE;
}
static HRESULT cf_create_instance(ComObject *self, void *outer, const GUID *iid, void **out) {
    (void)self;
    if (outer) return CLASS_E_NOAGGREGATION;
    return cb_query_interface(&callback, iid, out);
}
static HRESULT cf_lock_server(ComObject *self, int lock) { (void)self; (void)lock; return S_OK; }
static void *factory_vtbl[] = {(void *)cf_query_interface, (void *)add_ref, (void *)release,
                               (void *)cf_create_instance, (void *)cf_lock_server};
static ComObject factory = {factory_vtbl};

/* The runtime's entry point: called once, at start-up, before any managed code runs. */
EXPORT HRESULT DllGetClassObject(const GUID *clsid, const GUID *iid, void **out) {
    if (!out) return E_POINTER;
    *out = 0;
    if (!same(clsid, &CLSID_Benchmem)) return CLASS_E_CLASSNOTAVAILABLE;
    for (int i = 0; i < CB_SLOTS; i++) callback_vtbl[i] = (void *)ok_stub;
    callback_vtbl[CB_QUERYINTERFACE] = (void *)cb_query_interface;
    callback_vtbl[CB_ADDREF] = (void *)add_ref;
    callback_vtbl[CB_RELEASE] = (void *)release;
    callback_vtbl[CB_INITIALIZE] = (void *)cb_initialize;
    callback_vtbl[CB_OBJECTALLOCATED] = (void *)cb_object_allocated;
    callback_vtbl[CB_OBJECTREFERENCES] = (void *)cb_object_references;
    callback_vtbl[CB_GCSTARTED] = (void *)cb_gc_started;
    callback_vtbl[CB_SURVIVINGREFERENCES] = (void *)cb_surviving_references;
    callback_vtbl[CB_MOVEDREFERENCES] = (void *)cb_moved_references;
    callback_vtbl[CB_GCFINISHED] = (void *)cb_gc_finished;
    return cf_query_interface(&factory, iid, out);
}

/* ---- for managed code (AllocationCounter) ---- */

/* Objects and bytes (each rounded up to 8) allocated by all threads since the runtime started. */
EXPORT void benchmem_counts(uint64_t *objects_out, uint64_t *bytes_out) {
    if (objects_out) *objects_out = __atomic_load_n(&objects, __ATOMIC_RELAXED);
    if (bytes_out) *bytes_out = __atomic_load_n(&bytes, __ATOMIC_RELAXED);
}

/* The calling thread's counts since it started. */
EXPORT void benchmem_thread_counts(uint64_t *objects_out, uint64_t *bytes_out) {
    if (objects_out) *objects_out = thread_objects;
    if (bytes_out) *bytes_out = thread_bytes;
}

/* 1 when this library is the running profiler (Initialize succeeded), else 0 (e.g. merely loaded). */
EXPORT int32_t benchmem_active(void) { return __atomic_load_n(&active, __ATOMIC_ACQUIRE); }

/* 1 when live peak tracking runs (BENCHMEM_PROFILER_LIVE_PEAK=1 and the runtime granted the GC callbacks). */
EXPORT int32_t benchmem_live_active(void) { return live_tracking; }

/* Bytes surviving the last full GC: the exact live heap right after it. */
EXPORT uint64_t benchmem_live_after_gc(void) { return live_after_gc; }

/* Objects and bytes allocated by every thread except the ignored ones (the finalizer thread). */
EXPORT void benchmem_counted(uint64_t *objects_out, uint64_t *bytes_out) {
    if (objects_out) *objects_out = __atomic_load_n(&counted_objects, __ATOMIC_RELAXED);
    if (bytes_out) *bytes_out = __atomic_load_n(&counted_bytes, __ATOMIC_RELAXED);
}

typedef struct {
    uint64_t zero, max_live, unresolved, full_gcs, other_gcs, forced_gcs, requested_gcs;
} PeakWindow;

/* Opens a peak window right after a full GC (the caller's): its zero is that GC's exact live heap. A GC is forced
 * whenever the estimate could pass the window's maximum by more than max(tolerance, ppm of the peak so far). */
EXPORT uint64_t benchmem_peak_begin(uint64_t tolerance, uint64_t ppm) {
#ifndef _WIN32
    pthread_mutex_lock(&helper_lock);
    if (!helper_started) {
        pthread_t thread;
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        helper_started = pthread_create(&thread, &attr, helper_main, 0) == 0;
        pthread_attr_destroy(&attr);
    }
    pthread_mutex_unlock(&helper_lock);
#endif
    window_zero = live_after_gc;
    window_tolerance = tolerance;
    window_ppm = ppm;
    window_full_gcs = window_other_gcs = window_forced_gcs = window_requested_gcs = 0;
    __atomic_store_n(&window_max_live, window_zero, __ATOMIC_RELAXED);
    __atomic_store_n(&window_unresolved, 0, __ATOMIC_RELAXED);
    update_window_limit();
    __atomic_store_n(&window_open, 1, __ATOMIC_RELEASE);
    return window_zero;
}

/* Closes the window (the caller ran a full GC right before, so max_live includes the live heap at the end). */
EXPORT void benchmem_peak_end(PeakWindow *out) {
    __atomic_store_n(&window_open, 0, __ATOMIC_RELEASE);
    if (!out) return;
    out->zero = window_zero;
    out->max_live = __atomic_load_n(&window_max_live, __ATOMIC_RELAXED);
    out->unresolved = __atomic_load_n(&window_unresolved, __ATOMIC_RELAXED);
    out->full_gcs = window_full_gcs;
    out->other_gcs = window_other_gcs;
    out->forced_gcs = window_forced_gcs;
    out->requested_gcs = window_requested_gcs;
}

#ifndef _WIN32
typedef void (*ManagedEntry)(void);
static void *gc_thread_main(void *entry) {
    /* On a thread that has never run managed code ForceGC is allowed, and once it succeeded the runtime lets this
     * thread force GCs from inside callbacks too. Then the managed entry runs here for the process's lifetime. */
    gc_capable = ((ForceGCFn)info->vtbl[INFO_FORCEGC])(info) >= 0;
    ((ManagedEntry)entry)();
    return 0;
}
#endif

/* Starts a thread that may force GCs inside ObjectAllocated and runs the managed entry (an UnmanagedCallersOnly
 * function) on it. 0 on success. */
EXPORT int32_t benchmem_start_gc_thread(void (*entry)(void)) {
#ifndef _WIN32
    if (!info || !entry) return -1;
    pthread_t thread;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    int rc = pthread_create(&thread, &attr, gc_thread_main, (void *)entry);
    pthread_attr_destroy(&attr);
    return rc == 0 ? 0 : -1;
#else
    (void)entry;
    return -1;
#endif
}

/* Runs one GC on the helper thread and waits for it (a warm-up: its first GC sets the thread up). 0 on success. */
EXPORT int32_t benchmem_helper_gc(void) {
#ifndef _WIN32
    pthread_mutex_lock(&helper_lock);
    int started = helper_started;
    if (started && !helper_pending) {
        helper_pending = 1;
        pthread_cond_signal(&helper_wake);
    }
    pthread_mutex_unlock(&helper_lock);
    if (!started) return -1;
    while (__atomic_load_n(&helper_pending, __ATOMIC_ACQUIRE)) {
        struct timespec pause = {0, 1000000};
        nanosleep(&pause, 0);
    }
    return 0;
#else
    return -1;
#endif
}

/* 1 when the calling thread may force GCs inside callbacks. */
EXPORT int32_t benchmem_gc_capable(void) { return gc_capable; }

/* 1 when allocation profiles can be taken (BENCHMEM_PROFILER_STACKS=1 and the runtime granted stack snapshots). */
EXPORT int32_t benchmem_stacks_active(void) { return stacks; }

/* Opens a profile window on an empty table. */
EXPORT void benchmem_profile_begin(void) {
    profile_lock_take();
    entry_count = frame_used = 0;
    profile_failed = 0;
    for (size_t i = 0; i < slot_cap; i++) slots[i] = -1;
    profile_lock_drop();
    __atomic_store_n(&profile_open, 1, __ATOMIC_RELEASE);
}

/* Closes the window: its entries, the frames they hold in all, and the allocations left out. */
EXPORT void benchmem_profile_end(uint64_t *entries_out, uint64_t *frames_out, uint64_t *failed_out) {
    __atomic_store_n(&profile_open, 0, __ATOMIC_RELEASE);
    profile_lock_take();
    if (entries_out) *entries_out = entry_count;
    if (frames_out) *frames_out = frame_used;
    if (failed_out) *failed_out = profile_failed;
    profile_lock_drop();
}

/* Copies the closed window's table out: per entry its ClassID, count, bytes and depth, and all frames (leaf first)
 * back to back. The arrays hold at least what benchmem_profile_end reported. */
EXPORT void benchmem_profile_copy(uint64_t *class_ids, uint64_t *counts, uint64_t *bytes_out, uint32_t *depths, uint64_t *frames) {
    profile_lock_take();
    size_t f = 0;
    for (size_t e = 0; e < entry_count; e++) {
        class_ids[e] = entries[e].class_id;
        counts[e] = entries[e].count;
        bytes_out[e] = entries[e].bytes;
        depths[e] = entries[e].depth;
        for (uint32_t i = 0; i < entries[e].depth; i++) frames[f++] = frame_pool[entries[e].frames_at + i];
    }
    profile_lock_drop();
}

/* Leaves the calling thread's allocations out of profiles and of the counted totals (the finalizer thread: the meter's
 * GC watcher, the runtime's GC callbacks). */
EXPORT void benchmem_profile_ignore_thread(void) { thread_ignored = 1; }

/* GC start and end (1, 0; nested: a forced GC's ForceGC call around the GC's own start and end), told to whoever asked
 * (the native-memory interposer, benchmem_native.c, connected by the managed NativeCounter): what the runtime mallocs
 * during a GC is its own bookkeeping, never the benchmark's. */
static void (*volatile gc_hook)(int32_t in_gc);
static void gc_hook_call(int32_t in_gc) {
    void (*hook)(int32_t) = gc_hook;
    if (hook) hook(in_gc);
}
EXPORT void benchmem_set_gc_hook(void (*hook)(int32_t in_gc)) { gc_hook = hook; }

/* A native allocation into the open profile (the native-memory interposer calls it from inside malloc, on the allocating
 * thread, connected by the managed NativeCounter): the managed stack that led to the P/Invoke, keyed by the native code
 * that asked (its address with the low bit set: ClassIDs are aligned, so the two never meet in the table). */
EXPORT void benchmem_profile_native(uint64_t size, uintptr_t caller) {
    if (!stacks || thread_ignored || !__atomic_load_n(&profile_open, __ATOMIC_ACQUIRE)) return;
    profile_record(caller | 1, size);
}

/* ---- memory tests (Heap): allocations by type and the live heap by type ---- */

/* 1 (paused) leaves the calling thread's allocations out of the by-type table: a check point's own work. */
EXPORT void benchmem_types_pause(int32_t paused) { thread_paused = paused; }

/* Copies the cumulative by-type table into a new mark; its index, or -1 (out of marks or memory). */
EXPORT int64_t benchmem_types_mark(void) {
    while (__atomic_exchange_n(&alloc_types_lock, 1, __ATOMIC_ACQUIRE)) { }
    int64_t index = -1;
    if (mark_count < MAX_MARKS && alloc_types.failed == 0) {
        size_t n = alloc_types.count;
        TypeTally *copy = malloc((n ? n : 1) * sizeof(TypeTally));
        if (copy) {
            memcpy(copy, alloc_types.items, n * sizeof(TypeTally));
            index = mark_count++;
            marks[index] = copy;
            mark_counts[index] = n;
        }
    }
    __atomic_store_n(&alloc_types_lock, 0, __ATOMIC_RELEASE);
    return index;
}

/* The number of types in a mark (-1 for no such mark). */
EXPORT int64_t benchmem_types_mark_size(int64_t mark) { return mark >= 0 && mark < mark_count ? (int64_t)mark_counts[mark] : -1; }

/* Copies a mark out: ClassIDs, object counts, bytes (arrays of benchmem_types_mark_size entries). */
EXPORT void benchmem_types_mark_copy(int64_t mark, uint64_t *class_ids, uint64_t *counts, uint64_t *bytes_out) {
    if (mark < 0 || mark >= mark_count) return;
    for (size_t i = 0; i < mark_counts[mark]; i++) {
        class_ids[i] = marks[mark][i].class_id;
        counts[i] = marks[mark][i].count;
        bytes_out[i] = marks[mark][i].bytes;
    }
}

/* Frees the marks from index keep on (a benchmark's passes, read and done with); their indexes are then reused. */
EXPORT void benchmem_types_marks_truncate(int64_t keep) {
    while (__atomic_exchange_n(&alloc_types_lock, 1, __ATOMIC_ACQUIRE)) { }
    if (keep < 0) keep = 0;
    for (int64_t i = keep; i < mark_count; i++) free(marks[i]);
    if (keep < mark_count) mark_count = keep;
    __atomic_store_n(&alloc_types_lock, 0, __ATOMIC_RELEASE);
}

/* Asks for a census at the next full GC (the caller runs one), and starts tracking for differences if a profile pass
 * does not own it. 0 when the GC callbacks are not granted. */
EXPORT int32_t benchmem_census_begin(void) {
    int64_t number = __atomic_load_n(&census_number, __ATOMIC_ACQUIRE);
    if (objects_owner() == 0 && number < MAX_CENSUS_NUMBER && objects_begin_differences()) tracking_since = number;
    __atomic_store_n(&census_done, 0, __ATOMIC_RELEASE);
    __atomic_store_n(&census_wanted, 1, __ATOMIC_RELEASE);
    return live_tracking;
}

/* Ends the request: the census's number of types, or -1 when no full GC walked the heap since the request, -2 when a
 * table allocation failed (the census is incomplete). */
EXPORT int64_t benchmem_census_end(void) {
    __atomic_store_n(&census_wanted, 0, __ATOMIC_RELEASE);
    if (!__atomic_load_n(&census_done, __ATOMIC_ACQUIRE)) return -1;
    return census.failed ? -2 : (int64_t)census.count;
}

/* The census's number (1 for the process's first) and the number of its (type, census before) rows of tracked objects,
 * or -1 when that split is not exact: tracking did not run since the first census it covers (a profile pass took it,
 * or too many censuses), or lost an object or a GC's walk. *tracked_since: the first census tracking covers. */
EXPORT int64_t benchmem_census_born_end(int64_t *number, int64_t *tracked_since) {
    *number = __atomic_load_n(&census_number, __ATOMIC_ACQUIRE);
    *tracked_since = tracking_since;
    if (objects_owner() != 2 || !objects_exact() || census_born.failed || *number > MAX_CENSUS_NUMBER) return -1;
    return (int64_t)census_born.count;
}

/* Copies the born rows out (arrays of benchmem_census_born_end entries): ClassID, census before, objects, bytes. */
EXPORT void benchmem_census_born_copy(uint64_t *class_ids, int64_t *borns, uint64_t *counts, uint64_t *bytes_out) {
    for (size_t i = 0; i < census_born.count; i++) {
        class_ids[i] = census_born.items[i].class_id & (((uintptr_t)1 << 52) - 1);
        borns[i] = (int64_t)(census_born.items[i].class_id >> 52);
        counts[i] = census_born.items[i].count;
        bytes_out[i] = census_born.items[i].bytes;
    }
}

/* Copies the census out (arrays of benchmem_census_end entries). */
EXPORT void benchmem_census_copy(uint64_t *class_ids, uint64_t *counts, uint64_t *bytes_out) {
    for (size_t i = 0; i < census.count; i++) {
        class_ids[i] = census.items[i].class_id;
        counts[i] = census.items[i].count;
        bytes_out[i] = census.items[i].bytes;
    }
}
