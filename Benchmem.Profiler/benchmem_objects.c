/*
 * Object tracking for allocation profiles: each object a profile pass allocates is remembered with its (type, stack)
 * entry, and followed through every GC until managed code ends the tracking after the pass:
 *   - MovedReferences relocates the objects a compaction moved (ranges of old start, new start, length);
 *   - the heap walk after each GC (ObjectReferences, once per object on the heap at its final address) marks the ones
 *     still there; what the walk did not see is dead and forgotten. After a partial GC the walk also sees older garbage
 *     no GC collected yet, so only a full GC's walk is the exact live set.
 * An address can come back: a dead object's memory reused by a later allocation (the later one wins) or by an object a
 * compaction moved there (the moved one wins).
 * From that, by entry: what was live at the peak's own GC (the first full GC of the peak window whose survivors are the
 * window's highest exact live heap), what was live at the window's last full GC (the result still held), and what is
 * live when the tracking ends (after the pass, the result dropped: the leaks). And per GC a timeline point: bytes
 * allocated so far against the tracked bytes live after it.
 * Memory tests use the same tracking to tell survivors from new objects (GetDifference): while they own it, every
 * allocation is tracked under the number of heap censuses taken before it, so a census's walk knows, per type, how
 * many live objects were allocated after any earlier census. Profile passes and memory tests never share it: the
 * owner is one of them at a time, and a profile pass that takes it over ends the memory tests' tracking.
 * GC callbacks run while the runtime is suspended; allocations race each other and take the spin lock.
 */
#include "benchmem_objects.h"
#include <stdlib.h>
#include <string.h>

#ifdef _WIN32
#define EXPORT __declspec(dllexport)
#else
#define EXPORT __attribute__((visibility("default")))
#endif

typedef struct { uintptr_t addr, new_addr; uint64_t size; int64_t entry; uint8_t moved, walked; } Tracked;
typedef struct { uint64_t count, bytes; } Tally;
typedef struct { uint64_t allocated, live, survivors; int32_t full, in_window; } TimelinePoint;

static int32_t tracking;              /* the owner (objects_owner); 0 outside any tracking */
static int32_t lock;
static __thread int64_t noted = -1;   /* the entry profile_record just added to, on this thread */
static Tracked *records, *spare;      /* spare: the merge's buffer */
static size_t record_count, record_cap, spare_cap, sorted_count; /* [0, sorted_count) sorted by address, unique */
static uint64_t allocated_bytes;      /* bytes tracked so far */
static uint64_t failed;               /* objects left untracked (out of memory) */
static uint64_t walks_missed;         /* GCs after which no heap walk came: their deaths are unknown */
static int64_t *slots;                /* the walk's lookup: final address -> record, built at a GC's first walked object */
static size_t slot_cap;
static int32_t slots_built, slots_lock;
static uint64_t walked_objects;       /* objects the current GC's walk reported */
static Tally *peak, *held, *after;    /* by entry */
static size_t tally_cap;
static int64_t max_entry = -1;
static uint64_t peak_survivors;       /* survivors of the GC the peak snapshot was taken at */
static int32_t peak_taken, held_taken;
static TimelinePoint *timeline;
static size_t timeline_count, timeline_cap;

static void lock_take(void) { while (__atomic_exchange_n(&lock, 1, __ATOMIC_ACQUIRE)) { } }
static void lock_drop(void) { __atomic_store_n(&lock, 0, __ATOMIC_RELEASE); }

static int reserve(void **array, size_t *cap, size_t need, size_t item) {
    if (need <= *cap) return 1;
    size_t next = *cap ? *cap : 4096;
    while (next < need) next *= 2;
    void *moved = realloc(*array, next * item);
    if (!moved) return 0;
    *array = moved;
    *cap = next;
    return 1;
}

void objects_note_entry(int64_t entry) { noted = entry; }

static void track(uintptr_t object_id, uint64_t size, int64_t entry) {
    lock_take();
    if (reserve((void **)&records, &record_cap, record_count + 1, sizeof(Tracked))) {
        Tracked *r = &records[record_count++];
        r->addr = r->new_addr = object_id;
        r->size = size;
        r->entry = entry;
        r->moved = r->walked = 0;
        allocated_bytes += size;
        if (entry > max_entry) max_entry = entry;
    } else
        failed++;
    lock_drop();
}

void objects_allocated(uintptr_t object_id, uint64_t size) {
    int64_t entry = noted;
    if (entry < 0) return;
    noted = -1;
    if (__atomic_load_n(&tracking, __ATOMIC_ACQUIRE) != 1) return;
    track(object_id, size, entry);
}

void objects_allocated_since(uintptr_t object_id, uint64_t size, int64_t entry) {
    if (__atomic_load_n(&tracking, __ATOMIC_ACQUIRE) != 2) return;
    track(object_id, size, entry);
}

int32_t objects_exact(void) { return failed == 0 && walks_missed == 0; }

int32_t objects_owner(void) { return __atomic_load_n(&tracking, __ATOMIC_ACQUIRE); }

static int by_address(const void *a, const void *b) {
    uintptr_t x = ((const Tracked *)a)->addr, y = ((const Tracked *)b)->addr;
    return x < y ? -1 : x > y;
}

/* Sorts the records allocated since the last GC (their addresses are distinct: no memory is reused between GCs) and
 * merges them into the sorted rest; at an address held by both, the older record is a dead object's and goes. */
static void merge_new_records(void) {
    size_t fresh = record_count - sorted_count;
    if (fresh == 0) return;
    qsort(records + sorted_count, fresh, sizeof(Tracked), by_address);
    if (!reserve((void **)&spare, &spare_cap, record_count, sizeof(Tracked))) {
        /* No memory to merge into: sort all in place (a stable order is not needed for distinct addresses; a reused
         * address then keeps both records until a walk tells them apart, which it cannot: both stay, an overcount). */
        qsort(records, record_count, sizeof(Tracked), by_address);
        sorted_count = record_count;
        return;
    }
    size_t i = 0, j = sorted_count, n = 0;
    while (i < sorted_count || j < record_count) {
        if (j >= record_count || (i < sorted_count && records[i].addr < records[j].addr)) spare[n++] = records[i++];
        else if (i < sorted_count && records[i].addr == records[j].addr) { i++; } /* reused: the new one wins below */
        else spare[n++] = records[j++];
    }
    Tracked *t = records; records = spare; spare = t;
    size_t c = record_cap; record_cap = spare_cap; spare_cap = c;
    record_count = sorted_count = n;
}

void objects_gc_started(int32_t full) {
    (void)full;
    if (!__atomic_load_n(&tracking, __ATOMIC_ACQUIRE)) return;
    merge_new_records();
    for (size_t i = 0; i < record_count; i++) {
        records[i].new_addr = records[i].addr;
        records[i].moved = records[i].walked = 0;
    }
    slots_built = 0;
    walked_objects = 0;
}

void objects_moved(uint32_t count, const uintptr_t *from, const uintptr_t *to, const uint32_t *lengths) {
    if (!__atomic_load_n(&tracking, __ATOMIC_ACQUIRE) || record_count == 0) return;
    for (uint32_t r = 0; r < count; r++) {
        uintptr_t start = from[r], end = from[r] + lengths[r];
        size_t lo = 0, hi = record_count; /* the first record at or above start */
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (records[mid].addr < start) lo = mid + 1; else hi = mid;
        }
        for (size_t i = lo; i < record_count && records[i].addr < end; i++) {
            records[i].new_addr = to[r] + (records[i].addr - start);
            records[i].moved = 1;
        }
    }
}

static size_t slot_of(uintptr_t addr) { return (size_t)((addr >> 3) * 0x9E3779B97F4A7C15ull) & (slot_cap - 1); }

/* The lookup by final address; where a moved record lands on a dead one's address, the moved one is the object. */
static int build_slots(void) {
    size_t cap = 1024;
    while (cap < record_count * 2) cap *= 2;
    if (cap > slot_cap) {
        int64_t *fresh = realloc(slots, cap * sizeof(int64_t));
        if (!fresh) return 0;
        slots = fresh;
        slot_cap = cap;
    }
    for (size_t i = 0; i < slot_cap; i++) slots[i] = -1;
    for (size_t i = 0; i < record_count; i++) {
        size_t at = slot_of(records[i].new_addr);
        for (; slots[at] >= 0; at = (at + 1) & (slot_cap - 1))
            if (records[slots[at]].new_addr == records[i].new_addr) break;
        if (slots[at] < 0 || records[i].moved) slots[at] = (int64_t)i;
    }
    return 1;
}

int32_t objects_walked(uintptr_t object_id, int64_t *entry) {
    *entry = -1;
    if (!__atomic_load_n(&tracking, __ATOMIC_ACQUIRE)) return 0;
    if (!__atomic_load_n(&slots_built, __ATOMIC_ACQUIRE)) {
        while (__atomic_exchange_n(&slots_lock, 1, __ATOMIC_ACQUIRE)) { }
        if (!slots_built) __atomic_store_n(&slots_built, build_slots() ? 1 : -1, __ATOMIC_RELEASE);
        __atomic_store_n(&slots_lock, 0, __ATOMIC_RELEASE);
    }
    __atomic_fetch_add(&walked_objects, 1, __ATOMIC_RELAXED);
    if (slots_built < 0 || record_count == 0) return 1;
    for (size_t at = slot_of(object_id); slots[at] >= 0; at = (at + 1) & (slot_cap - 1)) {
        Tracked *r = &records[slots[at]];
        if (r->new_addr == object_id) { r->walked = 1; *entry = r->entry; break; }
    }
    return 1;
}

static int tally_reserve(void) {
    size_t need = (size_t)(max_entry + 1);
    if (need <= tally_cap) return 1;
    size_t cap = tally_cap;
    if (!reserve((void **)&peak, &cap, need, sizeof(Tally))) return 0;
    cap = tally_cap;
    if (!reserve((void **)&held, &cap, need, sizeof(Tally))) return 0;
    cap = tally_cap;
    if (!reserve((void **)&after, &cap, need, sizeof(Tally))) return 0;
    tally_cap = cap;
    return 1;
}

/* The live records by entry into one of the tallies. */
static void snapshot(Tally *into) {
    memset(into, 0, tally_cap * sizeof(Tally));
    for (size_t i = 0; i < record_count; i++) {
        into[records[i].entry].count++;
        into[records[i].entry].bytes += records[i].size;
    }
}

void objects_gc_finished(int32_t full, uint64_t survivors, int32_t window_open, uint64_t window_max_live) {
    if (!__atomic_load_n(&tracking, __ATOMIC_ACQUIRE)) return;
    if (walked_objects == 0) {
        walks_missed++; /* no walk: nobody is known dead; the moves still apply */
        for (size_t i = 0; i < record_count; i++) records[i].walked = 1;
    }
    if (slots_built < 0) {
        failed++;
        for (size_t i = 0; i < record_count; i++) records[i].walked = 1;
    }
    size_t n = 0;
    uint64_t live = 0;
    for (size_t i = 0; i < record_count; i++) {
        if (!records[i].walked) continue;
        records[n] = records[i];
        records[n].addr = records[n].new_addr;
        live += records[n].size;
        n++;
    }
    record_count = n;
    /* Moves can reorder: sort again (the next GC's merge expects a sorted, unique rest). */
    qsort(records, record_count, sizeof(Tracked), by_address);
    sorted_count = record_count;
    if (full && window_open && tally_reserve()) {
        if (survivors == window_max_live && (!peak_taken || survivors > peak_survivors)) {
            snapshot(peak);
            peak_survivors = survivors;
            peak_taken = 1;
        }
        snapshot(held);
        held_taken = 1;
    }
    if (reserve((void **)&timeline, &timeline_cap, timeline_count + 1, sizeof(TimelinePoint))) {
        TimelinePoint *p = &timeline[timeline_count++];
        p->allocated = allocated_bytes;
        p->live = live;
        p->survivors = full ? survivors : 0;
        p->full = full;
        p->in_window = window_open;
    }
}

/* ---- for managed code (StackProfiler) ---- */

static void reset(void) {
    record_count = sorted_count = timeline_count = 0;
    allocated_bytes = failed = walks_missed = 0;
    max_entry = -1;
    peak_taken = held_taken = 0;
    peak_survivors = 0;
    noted = -1;
}

/* Starts tracking on empty tables (right before the profile window opens); ends any memory tests' tracking. */
EXPORT void benchmem_objects_begin(void) {
    lock_take();
    reset();
    lock_drop();
    __atomic_store_n(&tracking, 1, __ATOMIC_RELEASE);
}

int32_t objects_begin_differences(void) {
    int32_t owner = __atomic_load_n(&tracking, __ATOMIC_ACQUIRE);
    if (owner == 1) return 0;
    if (owner == 2) return 1;
    lock_take();
    reset();
    lock_drop();
    __atomic_store_n(&tracking, 2, __ATOMIC_RELEASE);
    return 1;
}

/* Ends memory tests' tracking (after a memory test); a profile pass's tracking is left alone. */
EXPORT void benchmem_objects_end_differences(void) {
    int32_t owner = 2;
    if (__atomic_compare_exchange_n(&tracking, &owner, 0, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
        lock_take();
        reset();
        lock_drop();
    }
}

typedef struct { uint64_t entries, live_objects, live_bytes, timeline, failed, walks_missed; int32_t peak_taken, held_taken; } ObjectsEnd;

/* Ends tracking (after the pass and its GCs): what is tracked now is live after the pass. */
EXPORT void benchmem_objects_end(ObjectsEnd *out) {
    __atomic_store_n(&tracking, 0, __ATOMIC_RELEASE);
    lock_take();
    merge_new_records();
    uint64_t objects = 0, bytes = 0;
    if (tally_reserve()) {
        snapshot(after);
        for (size_t i = 0; i < record_count; i++) { objects++; bytes += records[i].size; }
    } else
        failed++;
    if (out) {
        out->entries = (uint64_t)(max_entry + 1);
        out->live_objects = objects;
        out->live_bytes = bytes;
        out->timeline = timeline_count;
        out->failed = failed;
        out->walks_missed = walks_missed;
        out->peak_taken = peak_taken;
        out->held_taken = held_taken;
    }
    lock_drop();
}

/* By entry (arrays of capacity entries, at least what benchmem_objects_end reported): objects and bytes live at the peak, at the window's
 * last full GC, and after the pass. */
EXPORT void benchmem_objects_copy(uint64_t capacity, uint64_t *peak_counts, uint64_t *peak_bytes, uint64_t *held_counts, uint64_t *held_bytes,
                                  uint64_t *after_counts, uint64_t *after_bytes) {
    size_t n = (size_t)(max_entry + 1);
    for (size_t i = 0; i < n && i < tally_cap && i < capacity; i++) {
        peak_counts[i] = peak_taken ? peak[i].count : 0;
        peak_bytes[i] = peak_taken ? peak[i].bytes : 0;
        held_counts[i] = held_taken ? held[i].count : 0;
        held_bytes[i] = held_taken ? held[i].bytes : 0;
        after_counts[i] = after[i].count;
        after_bytes[i] = after[i].bytes;
    }
}

/* The timeline (arrays of capacity points, at least benchmem_objects_end's count): per GC the bytes tracked so far, the tracked bytes live after
 * it, a full GC's survivors (0 after a partial one), whether it was full and inside the peak window. */
EXPORT void benchmem_objects_timeline(uint64_t capacity, uint64_t *allocated, uint64_t *live, uint64_t *survivors, int32_t *full, int32_t *in_window) {
    for (size_t i = 0; i < timeline_count && i < capacity; i++) {
        allocated[i] = timeline[i].allocated;
        live[i] = timeline[i].live;
        survivors[i] = timeline[i].survivors;
        full[i] = timeline[i].full;
        in_window[i] = timeline[i].in_window;
    }
}
