/*
 * Seeded dropout (Hinton et al. 2012, Srivastava et al. 2014) and the max-norm constraint on incoming weights,
 * each one native pass, for the `blas` backend (lib/src/core/dropout.ts, lib/src/core/max-norm.ts).
 *
 * Why: the paper-scale teacher of Hinton, Vinyals & Dean (2015) drops 407k units per step (batch 128,
 * 784-1200-1200-10) and caps 2.4 M weights' column norms after every update. In JS the mask's hash loop cost
 * about as much per element as tfjs's seeded generator, and max-norm as tfjs ops took four passes over each
 * weight matrix plus a read-back; together about 5 ms of a 21 ms step. Here the mask is computed and applied
 * in one loop, and max-norm reads each matrix once (and writes it once only when a column exceeds c).
 */
#include "kdh_dropout.h"
#include <math.h>

/* murmur3's 32-bit finaliser: a bijection of uint32 in which every input bit flips each output bit with probability ~1/2. */
static inline uint32_t fmix32(uint32_t h) {
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  h ^= h >> 16;
  return h;
}

/*
 * The hash needs 32-bit multiplies, which SSE2 (the x86-64 baseline the addon is built for) lacks: the
 * compiler emulates them, ~0.8 ns per element. GCC's target_clones also builds an AVX2 version (8 lanes,
 * native 32-bit multiply; 0.24 ns) and picks one when the addon loads, from what the CPU reports. Both
 * compute the same bits: integer hashing, one float multiply, and max-norm's sums vectorised across columns
 * so that each column keeps its row order (checked by building with -DKDH_NO_SIMD_CLONES, the baseline alone,
 * and comparing outputs).
 */
#if !defined(KDH_NO_SIMD_CLONES) && defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__linux__)
#define KDH_SIMD_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define KDH_SIMD_CLONES
#endif

/*
 * The hash, threshold and keep factor are dropoutMask's in dropout.ts, operation by operation in uint32 (JS
 * does the same in int32 with Math.imul; the bits are identical): element i is kept when
 * fmix32((i·φ + k1) xor k2) ≥ floor(rate·2^32), and keep = float32(1 / (1 - rate)) computed in double.
 */
KDH_SIMD_CLONES
void kdh_dropout(const float *x, float *y, int64_t n, uint32_t seed, double rate) {
  const uint32_t k1 = fmix32(seed ^ 0x9e3779b9u);
  const uint32_t k2 = fmix32(seed + 0x7f4a7c15u);
  const uint32_t threshold = (uint32_t)floor(rate * 4294967296.0);
  const float keep = (float)(1.0 / (1.0 - rate));
  for (int64_t i = 0; i < n; i++) {
    const uint32_t h = fmix32(((uint32_t)i * 0x9e3779b9u + k1) ^ k2);
    y[i] = x[i] * (h >= threshold ? keep : 0.0f);
  }
}

KDH_SIMD_CLONES
int64_t kdh_max_norm(const float *w, float *out, int64_t rows, int64_t cols, double c, double *acc) {
  for (int64_t j = 0; j < cols; j++) acc[j] = 0.0;
  /* Row by row: the matrix is streamed once in memory order, the cols sums stay in cache. */
  for (int64_t r = 0; r < rows; r++) {
    const float *row = w + r * cols;
    for (int64_t j = 0; j < cols; j++) acc[j] += (double)row[j] * (double)row[j];
  }
  int64_t exceeding = 0;
  for (int64_t j = 0; j < cols; j++) {
    const double norm = sqrt(acc[j]);
    const double s = fmin(1.0, c / fmax(norm, 1e-12));
    /* fmin/fmax drop a NaN operand, so a NaN norm is carried over explicitly: the column becomes NaN, not hidden. */
    acc[j] = isnan(norm) ? NAN : s;
    if (!(acc[j] >= 1.0)) exceeding++;
  }
  if (exceeding == 0) return 0;
  /* A scale of exactly 1 reproduces the weight bit for bit (the double product is exact), so no branch is needed. */
  for (int64_t r = 0; r < rows; r++) {
    const float *row = w + r * cols;
    float *o = out + r * cols;
    for (int64_t j = 0; j < cols; j++) o[j] = (float)((double)row[j] * acc[j]);
  }
  return exceeding;
}
