#include "cmark_arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

// A block is a header followed by `capacity` bytes; allocations are bump-allocated from the
// current block, each preceded by its size so that realloc can copy.
typedef struct block {
    struct block *next;
    size_t capacity;
    size_t used;
    // 16-byte aligned payload follows.
} block;

typedef struct arena {
    block *current;  // blocks in use, newest first
    block *spare;    // blocks kept for reuse after a reset
} arena;

enum { HEADER = 16, ALIGN = 16, BLOCK_SIZE = 1 << 20 };

static _Thread_local arena thread_arena;

static inline size_t round_up(size_t size) { return (size + (ALIGN - 1)) & ~(size_t)(ALIGN - 1); }

static inline unsigned char *payload(block *b) { return (unsigned char *)b + round_up(sizeof(block)); }

static block *new_block(size_t minimum) {
    arena *a = &thread_arena;
    if (minimum <= BLOCK_SIZE && a->spare) {
        block *b = a->spare;
        a->spare = b->next;
        b->used = 0;
        return b;
    }
    size_t capacity = minimum > BLOCK_SIZE ? minimum : BLOCK_SIZE;
    block *b = malloc(round_up(sizeof(block)) + capacity);
    if (!b) abort();  // cmark itself aborts on allocation failure
    b->capacity = capacity;
    b->used = 0;
    return b;
}

static void *arena_alloc(size_t size) {
    arena *a = &thread_arena;
    size_t needed = HEADER + round_up(size ? size : 1);
    block *b = a->current;
    if (!b || b->capacity - b->used < needed) {
        b = new_block(needed);
        b->next = a->current;
        a->current = b;
    }
    unsigned char *start = payload(b) + b->used;
    b->used += needed;
    *(size_t *)start = size;
    return start + HEADER;
}

static void *arena_calloc(size_t count, size_t size) {
    if (size && count > SIZE_MAX / size) abort();
    void *pointer = arena_alloc(count * size);
    memset(pointer, 0, count * size);
    return pointer;
}

static void *arena_realloc(void *pointer, size_t size) {
    if (!pointer) return arena_alloc(size);
    unsigned char *start = (unsigned char *)pointer - HEADER;
    size_t old = *(size_t *)start;
    block *b = thread_arena.current;
    // The newest allocation can grow in place.
    if (b && start + HEADER + round_up(old ? old : 1) == payload(b) + b->used) {
        size_t offset = (size_t)(start - payload(b));
        size_t needed = HEADER + round_up(size ? size : 1);
        if (b->capacity - offset >= needed) {
            b->used = offset + needed;
            *(size_t *)start = size;
            return pointer;
        }
    }
    if (size <= old) {
        *(size_t *)start = size;
        return pointer;
    }
    void *grown = arena_alloc(size);
    memcpy(grown, pointer, old);
    return grown;
}

static void arena_free(void *pointer) { (void)pointer; }

static cmark_mem allocator = {arena_calloc, arena_realloc, arena_free};

cmark_mem *formulary_cmark_arena_allocator(void) { return &allocator; }

void formulary_cmark_arena_reset(void) {
    arena *a = &thread_arena;
    block *b = a->current;
    while (b) {
        block *next = b->next;
        if (b->capacity == BLOCK_SIZE) {
            b->next = a->spare;
            a->spare = b;
        } else {
            free(b);  // an outsized block for one huge buffer
        }
        b = next;
    }
    a->current = NULL;
}
