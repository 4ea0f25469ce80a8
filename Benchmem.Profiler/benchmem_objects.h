/*
 * Object tracking for allocation profiles (benchmem_objects.c): which (type, stack) entry each object of a profile
 * pass came from, followed through the GCs that move it, so the live set at the peak's GC and after the pass can be
 * told by entry. benchmem_profiler.c calls these hooks from its callbacks; everything else is in benchmem_objects.c.
 */
#ifndef BENCHMEM_OBJECTS_H
#define BENCHMEM_OBJECTS_H
#include <stdint.h>

/* profile_record: the entry the allocation was just added to (read by objects_allocated on the same thread). */
void objects_note_entry(int64_t entry);
/* ObjectAllocated, after profile_record: tracks the object under the noted entry, if one was noted. */
void objects_allocated(uintptr_t object_id, uint64_t size);
/* GarbageCollectionStarted, once gc_is_full is known. */
void objects_gc_started(int32_t full);
/* MovedReferences: the ranges compacted (old start, new start, length). */
void objects_moved(uint32_t count, const uintptr_t *from, const uintptr_t *to, const uint32_t *lengths);
/* ObjectReferences: one live object at its final address. 1 when tracking wants the rest of the heap walk. */
int32_t objects_walked(uintptr_t object_id);
/* GarbageCollectionFinished, at its end: full or not, that GC's survivors (a full GC's: the exact live heap), whether
 * the peak window is open and its highest exact live heap so far. */
void objects_gc_finished(int32_t full, uint64_t survivors, int32_t window_open, uint64_t window_max_live);
#endif
