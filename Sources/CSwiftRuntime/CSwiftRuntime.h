// One entry point of the Swift runtime, which every Swift program links: the test that
// `isKnownUniquelyReferenced` makes, taking the object as a plain pointer. PlatformQuery asks
// it of an array's storage while freeing deep values (Value+Depth.swift): read as a plain
// pointer, the storage is neither retained nor copied to be tested, even in a debug build.
#ifndef PQ_CSWIFTRUNTIME_H
#define PQ_CSWIFTRUNTIME_H

#include <stdbool.h>

extern bool swift_isUniquelyReferenced_nonNull_native(const void *object);

/// Whether the native Swift object at `object` has exactly one strong reference.
static inline bool pq_isUniquelyReferenced(const void *object) {
  return swift_isUniquelyReferenced_nonNull_native(object);
}

#endif
