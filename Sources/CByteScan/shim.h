#ifndef LEAKWARD_CBYTESCAN_SHIM_H
#define LEAKWARD_CBYTESCAN_SHIM_H
/* Byte scans that test 16 bytes per step with SSE2 compares and a movemask (the pair search 32
   with AVX2 where the CPU has it). Swift's SIMD
   types compile lane by lane for the baseline x86-64 target (an order of magnitude slower
   than memchr), and these scans run over every byte a history scan matches. SSE2 is part of
   every x86-64 CPU; elsewhere the same answers come byte by byte. Header only: nothing to
   link. Wrapped by LeakwardSupport/ByteSearch.swift, the one file that imports it. */
#include <stddef.h>
#include <stdint.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__)
#include <immintrin.h>
#endif

/* Whether `b` may be in a base64 run: a letter, a digit, '+', '/', '-' or '_' (the standard
   and URL-safe alphabets without the '=' padding). */
static inline int leakward_is_run_byte(uint8_t b) {
    uint8_t folded = b | 0x20;
    return (folded >= 'a' && folded <= 'z') || (b >= '0' && b <= '9') || b == '+' || b == '/' || b == '-' || b == '_';
}

/* The first offset at or after `from`, rounded up to a multiple of 16, whose 16 bytes are
   all run bytes (`leakward_is_run_byte`); `n` when no such block lies in p[0..<n]. */
static inline size_t leakward_next_run_block(const uint8_t *p, size_t n, size_t from) {
    size_t i = (from + 15) & ~(size_t)15;
#if defined(__SSE2__)
    const __m128i fold = _mm_set1_epi8(0x20), a = _mm_set1_epi8('a'), z = _mm_set1_epi8(25);
    const __m128i zero = _mm_set1_epi8('0'), nine = _mm_set1_epi8(9);
    const __m128i plus = _mm_set1_epi8('+'), slash = _mm_set1_epi8('/'), dash = _mm_set1_epi8('-'), under = _mm_set1_epi8('_');
    for (; i + 16 <= n; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + i));
        /* Unsigned x <= k is min(x, k) == x; a letter's folded byte less 'a' is 0...25. */
        __m128i letter = _mm_sub_epi8(_mm_or_si128(v, fold), a);
        letter = _mm_cmpeq_epi8(_mm_min_epu8(letter, z), letter);
        __m128i digit = _mm_sub_epi8(v, zero);
        digit = _mm_cmpeq_epi8(_mm_min_epu8(digit, nine), digit);
        __m128i sign = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, plus), _mm_cmpeq_epi8(v, slash)),
                                    _mm_or_si128(_mm_cmpeq_epi8(v, dash), _mm_cmpeq_epi8(v, under)));
        if (_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(letter, digit), sign)) == 0xFFFF) return i;
    }
#endif
    for (; i + 16 <= n; i += 16) {
        size_t k = 0;
        while (k < 16 && leakward_is_run_byte(p[i + k])) k++;
        if (k == 16) return i;
    }
    return n;
}

/* Up to 8 pairs of adjacent bytes, looked for together. A pair matches at j when
   (p[j] | fold_first) == first and (p[j + 1] | fold_second) == second: a fold of 0x20 with a
   lower-case letter matches that letter in either case, a fold of 0 the byte alone. Each
   byte is stored 16 times over (a vector's lanes), so a search starts with no set-up: it
   runs once per place a pair starts. */
#define LEAKWARD_MAX_PAIRS 8
typedef struct {
    uint8_t first[LEAKWARD_MAX_PAIRS][16], second[LEAKWARD_MAX_PAIRS][16];
    uint8_t fold_first[LEAKWARD_MAX_PAIRS][16], fold_second[LEAKWARD_MAX_PAIRS][16];
    int count;
} leakward_byte_pairs;

static inline int leakward_pair_at(const leakward_byte_pairs *pairs, const uint8_t *p, size_t j) {
    for (int k = 0; k < pairs->count && k < LEAKWARD_MAX_PAIRS; k++) {
        if ((p[j] | pairs->fold_first[k][0]) == pairs->first[k][0] && (p[j + 1] | pairs->fold_second[k][0]) == pairs->second[k][0]) return 1;
    }
    return 0;
}

/* The first j >= from with j + 1 < n where a pair matches; `n` when none does. */
static inline size_t leakward_next_pair(const leakward_byte_pairs *pairs, const uint8_t *p, size_t n, size_t from) {
    size_t j = from;
#if defined(__SSE2__)
    int count = pairs->count < LEAKWARD_MAX_PAIRS ? pairs->count : LEAKWARD_MAX_PAIRS;
    /* Pairs starting at j..<j+16: their second bytes are read one further on. */
    for (; j + 17 <= n; j += 16) {
        __m128i v0 = _mm_loadu_si128((const __m128i *)(p + j));
        __m128i v1 = _mm_loadu_si128((const __m128i *)(p + j + 1));
        __m128i hit = _mm_setzero_si128();
        for (int k = 0; k < count; k++) {
            __m128i a = _mm_cmpeq_epi8(_mm_or_si128(v0, _mm_loadu_si128((const __m128i *)pairs->fold_first[k])),
                                       _mm_loadu_si128((const __m128i *)pairs->first[k]));
            __m128i b = _mm_cmpeq_epi8(_mm_or_si128(v1, _mm_loadu_si128((const __m128i *)pairs->fold_second[k])),
                                       _mm_loadu_si128((const __m128i *)pairs->second[k]));
            hit = _mm_or_si128(hit, _mm_and_si128(a, b));
        }
        int bits = _mm_movemask_epi8(hit);
        if (bits != 0) return j + (size_t)__builtin_ctz((unsigned)bits);
    }
#endif
    for (; j + 1 < n; j++) {
        if (leakward_pair_at(pairs, p, j)) return j;
    }
    return n;
}

#if defined(__x86_64__)
/* Whether the CPU has AVX2 and the OS saves its registers (CPUID leaf 7 and XGETBV), asked once
   by the Swift wrapper: AVX2 is not part of the baseline x86-64 target the package builds for. */
static inline int leakward_cpu_has_avx2(void) {
    unsigned a, b, c, d;
    __asm__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0), "c"(0));
    if (a < 7) return 0;
    __asm__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
    if (!(c & (1u << 27)) || !(c & (1u << 28))) return 0; /* OSXSAVE, AVX */
    unsigned lo, hi;
    __asm__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    if ((lo & 6) != 6) return 0; /* the OS saves XMM and YMM state */
    __asm__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(7), "c"(0));
    return (b >> 5) & 1;
}

/* `leakward_next_pair` 32 positions per step, for a CPU with AVX2 (`leakward_cpu_has_avx2`):
   the pairs' compares are most of the cost of a delta blob's long-match search, and a step
   does them for twice the positions. */
__attribute__((target("avx2")))
static inline size_t leakward_next_pair_avx2(const leakward_byte_pairs *pairs, const uint8_t *p, size_t n, size_t from) {
    size_t j = from;
    int count = pairs->count < LEAKWARD_MAX_PAIRS ? pairs->count : LEAKWARD_MAX_PAIRS;
    for (; j + 33 <= n; j += 32) {
        __m256i v0 = _mm256_loadu_si256((const __m256i *)(p + j));
        __m256i v1 = _mm256_loadu_si256((const __m256i *)(p + j + 1));
        __m256i hit = _mm256_setzero_si256();
        for (int k = 0; k < count; k++) {
            __m256i a = _mm256_cmpeq_epi8(_mm256_or_si256(v0, _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)pairs->fold_first[k]))),
                                          _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)pairs->first[k])));
            __m256i b = _mm256_cmpeq_epi8(_mm256_or_si256(v1, _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)pairs->fold_second[k]))),
                                          _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)pairs->second[k])));
            hit = _mm256_or_si256(hit, _mm256_and_si256(a, b));
        }
        unsigned bits = (unsigned)_mm256_movemask_epi8(hit);
        if (bits != 0) return j + (size_t)__builtin_ctz(bits);
    }
    return leakward_next_pair(pairs, p, n, j);
}
#else
static inline int leakward_cpu_has_avx2(void) { return 0; }
static inline size_t leakward_next_pair_avx2(const leakward_byte_pairs *pairs, const uint8_t *p, size_t n, size_t from) {
    return leakward_next_pair(pairs, p, n, from);
}
#endif

/* Steps a keyword automaton (LeakwardMatching/KeywordFilter.swift) over `lanes` (1, 2 or 4)
   interleaved parts of a buffer, from step `i` until some lane's state reaches `terminal` or
   `steps` is reached; returns that step (`steps` when none did). Lane k reads p[k][i]. A state
   is the byte offset of its row in `table`; `column[b]` is byte b's offset within a row, so
   `table + column[b]` is found from the byte alone and the next state is one load at the
   state's offset: a step waits on that load only. States with outputs lie at `terminal` (a
   power of two) and past it, the others below it, so one OR tells whether any lane reached
   one. Written here rather than in Swift, whose register allocation kept two of the four
   states on the stack between steps. */
static inline size_t leakward_automaton_steps(const uint8_t *table, const uint16_t *column, int lanes,
                                              const uint8_t *const p[4], size_t i, size_t steps,
                                              uint32_t terminal, uint32_t states[4]) {
    /* States are held 64 bits wide (a 32-bit load zero-extends for free), so no step spends a
       cycle widening the offset before the next load. */
#define LEAKWARD_STEP(s, q) (s) = *(const uint32_t *)(table + column[(q)[i]] + (s))
    if (lanes == 4) {
        uint64_t s0 = states[0], s1 = states[1], s2 = states[2], s3 = states[3];
        const uint8_t *p0 = p[0], *p1 = p[1], *p2 = p[2], *p3 = p[3];
        for (; i < steps; i++) {
            LEAKWARD_STEP(s0, p0); LEAKWARD_STEP(s1, p1); LEAKWARD_STEP(s2, p2); LEAKWARD_STEP(s3, p3);
            if ((s0 | s1 | s2 | s3) >= terminal) break;
        }
        states[0] = (uint32_t)s0; states[1] = (uint32_t)s1; states[2] = (uint32_t)s2; states[3] = (uint32_t)s3;
    } else if (lanes == 2) {
        uint64_t s0 = states[0], s1 = states[1];
        const uint8_t *p0 = p[0], *p1 = p[1];
        for (; i < steps; i++) {
            LEAKWARD_STEP(s0, p0); LEAKWARD_STEP(s1, p1);
            if ((s0 | s1) >= terminal) break;
        }
        states[0] = (uint32_t)s0; states[1] = (uint32_t)s1;
    } else {
        uint64_t s0 = states[0];
        const uint8_t *p0 = p[0];
        for (; i < steps; i++) {
            LEAKWARD_STEP(s0, p0);
            if (s0 >= terminal) break;
        }
        states[0] = (uint32_t)s0;
    }
#undef LEAKWARD_STEP
    return i;
}
#endif
