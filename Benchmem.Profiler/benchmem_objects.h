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
/* ObjectAllocated while memory tests own the tracking: tracks the object under entry (the census it came after). */
void objects_allocated_since(uintptr_t object_id, uint64_t size, int64_t entry);
/* Who the tracking is for: 0 nobody, 1 a profile pass (benchmem_objects_begin), 2 memory tests' differences. */
int32_t objects_owner(void);
/* Starts tracking for memory tests' differences (a no-op when they own it already); 0 when a profile pass owns it. */
int32_t objects_begin_differences(void);
/* 1 while no tracked object was lost (out of memory) and every GC was walked, so what tracking says is exact. */
int32_t objects_exact(void);
/* GarbageCollectionStarted, once gc_is_full is known. */
void objects_gc_started(int32_t full);
/* MovedReferences: the ranges compacted (old start, new start, length). */
void objects_moved(uint32_t count, const uintptr_t *from, const uintptr_t *to, const uint32_t *lengths);
/* ObjectReferences: one live object at its final address. 1 when tracking wants the rest of the heap walk; *entry is
 * the object's entry when it is tracked, else -1. */
int32_t objects_walked(uintptr_t object_id, int64_t *entry);
/* GarbageCollectionFinished, at its end: full or not, that GC's survivors (a full GC's: the exact live heap), whether
 * the peak window is open and its highest exact live heap so far. */
void objects_gc_finished(int32_t full, uint64_t survivors, int32_t window_open, uint64_t window_max_live);
#endif
