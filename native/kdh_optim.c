/*
 * SGD, momentum (Polyak 1964; Nesterov's variant as Sutskever et al. 2013 write it) and Adam (Kingma &
 * Ba 2015) updates in one pass per variable, for the `blas` backend (lib/src/core/fused-optimizers.ts).
 *
 * Why: TensorFlow.js's optimizers issue two (SGD), four to six (momentum) or about ten (Adam)
 * element-wise kernels per variable and step, each a pass over ~1 M floats plus a fresh tensor; for the
 * 784-800-800-10 student MLP that was several percent of a step (tens with Adam). Here each element is
 * read once and its new value (and state) written once. The arithmetic is tfjs's, in the same order and
 * in float32, so results agree with its optimizers up to float rounding of the compiler's choices.
 *
 * A large variable is split between threads (plain pthreads: the update is memory-bound, and each
 * thread streams its own contiguous half).
 *
 * Two things keep Adam's loop fast (build.mjs compiles with -fno-math-errno, so sqrtf needs no errno
 * path and the loop vectorises; it was scalar sqrtss before):
 * - Denormals are flushed to zero while a range is updated (x86 MXCSR FTZ and DAZ, restored after).
 *   Adam's first moment decays by beta1 on every step a weight's gradient is zero (an input pixel that is
 *   blank in the whole batch, a unit dropout or ReLU silenced), so it passes through the denormal range,
 *   where every x86 operation takes a microcode assist of ~100 cycles. A dropout teacher collects more of
 *   them the longer it trains: its Adam step grew from 17.7 to 22 ms over 5,000 steps, while momentum SGD
 *   stayed at 11.6 ms; flushed and vectorised, it stays at 12.6–13.8 ms. Flushing changes no weight: a moment below 1.2e-38 moves w by at most
 *   lr * 1.2e-38 / epsilon, far below half an ulp of any weight that is not itself that small.
 */
#include "kdh_optim.h"
#include <math.h>
#include <pthread.h>
#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
#define KDH_FLUSH_DENORMALS 1
#endif

/* Below this many elements one thread is faster than starting a second one (~20 us). */
#define PARALLEL_MIN (1 << 17)
#define MAX_THREADS 8

typedef struct {
  int kind;
  const KdhUpdateBufs *b;
  int64_t lo, hi;
  const float *h;
} Slice;

/*
 * Adam over [lo, hi). Its own function with every pointer a restrict parameter: written inside
 * update_range's switch, GCC 12 did not vectorise it ("no vectype"), and its sqrt and divisions ran one
 * element at a time.
 */
static void adam_range(const float *restrict w, const float *restrict g, const float *restrict m, const float *restrict v,
                       float *restrict outW, float *restrict outM, float *restrict outV, int64_t lo, int64_t hi, const float *h) {
  const float b1 = h[0], omb1 = h[1], b2 = h[2], omb2 = h[3], bc1 = h[4], bc2 = h[5], eps = h[6], negLr = h[7];
  for (int64_t i = lo; i < hi; i++) {
    const float gi = g[i];
    const float mi = m[i] * b1 + gi * omb1;
    const float vi = v[i] * b2 + (gi * gi) * omb2;
    outM[i] = mi;
    outV[i] = vi;
    outW[i] = ((mi / bc1) / (sqrtf(vi / bc2) + eps)) * negLr + w[i];
  }
}

static void update_range(int kind, const KdhUpdateBufs *b, int64_t lo, int64_t hi, const float *h) {
  const float *restrict w = b->w, *restrict g = b->g;
  float *restrict outW = b->outW;
  switch (kind) {
    case KDH_UPDATE_SGD: {
      const float c = h[0];
      for (int64_t i = lo; i < hi; i++) outW[i] = c * g[i] + w[i];
      break;
    }
    case KDH_UPDATE_MOMENTUM: {
      const float c = h[0], mom = h[1];
      const float *restrict acc = b->m;
      float *restrict outAcc = b->outM;
      if (h[2] != 0.0f) {
        for (int64_t i = lo; i < hi; i++) {
          const float a = mom * acc[i] + g[i];
          outAcc[i] = a;
          outW[i] = c * (g[i] + a * mom) + w[i];
        }
      } else {
        for (int64_t i = lo; i < hi; i++) {
          const float a = mom * acc[i] + g[i];
          outAcc[i] = a;
          outW[i] = c * a + w[i];
        }
      }
      break;
    }
    case KDH_UPDATE_ADAM:
      adam_range(w, g, b->m, b->v, outW, b->outM, b->outV, lo, hi, h);
      break;
    default:
      break;
  }
}

/* update_range with denormals flushed to zero, the caller's floating-point mode restored after. */
static void update_range_flushed(int kind, const KdhUpdateBufs *b, int64_t lo, int64_t hi, const float *h) {
#ifdef KDH_FLUSH_DENORMALS
  const unsigned int mode = _mm_getcsr();
  _mm_setcsr(mode | 0x8040u); /* FTZ (bit 15) and DAZ (bit 6) */
  update_range(kind, b, lo, hi, h);
  _mm_setcsr(mode);
#else
  update_range(kind, b, lo, hi, h);
#endif
}

static void *run_slice(void *p) {
  const Slice *s = (const Slice *)p;
  update_range_flushed(s->kind, s->b, s->lo, s->hi, s->h);
  return NULL;
}

void kdh_update(int kind, const KdhUpdateBufs *b, int64_t n, const float *h, int threads) {
  if (threads > MAX_THREADS) threads = MAX_THREADS;
  if (threads < 2 || n < PARALLEL_MIN) {
    update_range_flushed(kind, b, 0, n, h);
    return;
  }
  pthread_t tid[MAX_THREADS];
  Slice s[MAX_THREADS];
  int started[MAX_THREADS] = {0};
  /* Slices on 16-float (64-byte) boundaries, so that no two threads write the same cache line. */
  const int64_t per = ((n + threads - 1) / threads + 15) & ~(int64_t)15;
  for (int t = 0; t < threads; t++) {
    s[t].kind = kind;
    s[t].b = b;
    s[t].h = h;
    s[t].lo = t * per < n ? t * per : n;
    s[t].hi = (t + 1) * per < n ? (t + 1) * per : n;
  }
  for (int t = 1; t < threads; t++) started[t] = pthread_create(&tid[t], NULL, run_slice, &s[t]) == 0;
  run_slice(&s[0]);
  for (int t = 1; t < threads; t++) {
    if (started[t]) pthread_join(tid[t], NULL);
    else run_slice(&s[t]); /* no thread to be had: do its slice here */
  }
}
