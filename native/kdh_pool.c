/*
 * Max pooling (forward and gradient) and column sums for the `blas` backend, on NHWC buffers.
 *
 * Why native: in a CNN training step the wasm backend's MaxPoolGrad and its Sum over the leading axes
 * (the bias gradient of every convolution, which it computes by transposing first) cost more than the
 * convolutions once those run in oneDNN. Both are one pass over memory here.
 *
 * Semantics follow TensorFlow.js's reference (cpu) backend: a window's maximum is its first largest
 * value in row-major window order (strict >, so NaN never wins and ties go to the first), out-of-image
 * positions are skipped, and the gradient of each output goes to that one input position.
 */
#include "kdh_conv.h"
#include <math.h>

#include <string.h>

/* An int32 that may alias a float: reading and writing float bits through it is defined behaviour. */
typedef int32_t __attribute__((may_alias)) i32alias;

void kdh_max_pool(const float *x, const PoolGeom *g, float *y) {
  for (int64_t b = 0; b < g->n; b++) {
    const float *xb = x + b * g->h * g->w * g->c;
    for (int64_t oy = 0; oy < g->oh; oy++) {
      for (int64_t ox = 0; ox < g->ow; ox++) {
        float *out = y + ((b * g->oh + oy) * g->ow + ox) * g->c;
        for (int64_t ch = 0; ch < g->c; ch++) out[ch] = -INFINITY;
        for (int64_t ky = 0; ky < g->fh; ky++) {
          const int64_t iy = oy * g->sh - g->padT + ky * g->dh;
          if (iy < 0 || iy >= g->h) continue;
          for (int64_t kx = 0; kx < g->fw; kx++) {
            const int64_t ix = ox * g->sw - g->padL + kx * g->dw;
            if (ix < 0 || ix >= g->w) continue;
            const float *in = xb + (iy * g->w + ix) * g->c;
            for (int64_t ch = 0; ch < g->c; ch++) out[ch] = in[ch] > out[ch] ? in[ch] : out[ch];
          }
        }
      }
    }
  }
}

/*
 * dx = 0, then each dy goes to its window's first maximum in x. `best`/`pos` are scratch of length c;
 * positions are int32 offsets within one image so that the per-channel compare-and-select loop has
 * lanes of one width and vectorises.
 */
void kdh_max_pool_grad(const float *restrict dy, const float *restrict x, const PoolGeom *g, float *restrict dx, float *restrict best,
                       int32_t *restrict pos) {
  const int64_t image = g->h * g->w * g->c;
  const int64_t c = g->c;
  const int32_t c32 = (int32_t)c;
  i32alias *bestBits = (i32alias *)best; /* the same floats, as bits for the masked select */
  memset(dx, 0, sizeof(float) * g->n * image);
  for (int64_t b = 0; b < g->n; b++) {
    const float *xb = x + b * image;
    float *dxb = dx + b * image;
    for (int64_t oy = 0; oy < g->oh; oy++) {
      for (int64_t ox = 0; ox < g->ow; ox++) {
        for (int64_t ch = 0; ch < c; ch++) { best[ch] = -INFINITY; pos[ch] = -1; }
        for (int64_t ky = 0; ky < g->fh; ky++) {
          const int64_t iy = oy * g->sh - g->padT + ky * g->dh;
          if (iy < 0 || iy >= g->h) continue;
          for (int64_t kx = 0; kx < g->fw; kx++) {
            const int64_t ix = ox * g->sw - g->padL + kx * g->dw;
            if (ix < 0 || ix >= g->w) continue;
            const int32_t at = (int32_t)((iy * g->w + ix) * c);
            const float *in = xb + at;
            const i32alias *inBits = (const i32alias *)in;
            /* Branch-free select through an all-ones/all-zeros mask, so that gcc vectorises the loop
             * (a ?: on floats stays a branch under IEEE rules). NaN compares false: it never wins. */
            for (int32_t ch = 0; ch < c32; ch++) {
              const int32_t m = -(int32_t)(in[ch] > best[ch]);
              pos[ch] = (pos[ch] & ~m) | ((at + ch) & m);
              bestBits[ch] = (bestBits[ch] & ~m) | (inBits[ch] & m);
            }
          }
        }
        const float *d = dy + ((b * g->oh + oy) * g->ow + ox) * c;
        for (int64_t ch = 0; ch < c; ch++) if (pos[ch] >= 0) dxb[pos[ch]] += d[ch];
      }
    }
  }
}

/* out[c] = sum over rows of x[rows, cols], accumulated in double (a bias gradient sums ~50,000 rows). */
void kdh_column_sum(const float *x, int64_t rows, int64_t cols, float *out, double *acc) {
  for (int64_t j = 0; j < cols; j++) acc[j] = 0.0;
  for (int64_t r = 0; r < rows; r++) {
    const float *row = x + r * cols;
    for (int64_t j = 0; j < cols; j++) acc[j] += row[j];
  }
  for (int64_t j = 0; j < cols; j++) out[j] = (float)acc[j];
}

/*
 * The backward pass of y = relu(z + bias) over rows of x [rows, cols] (a dense layer's batch, or a
 * convolution's NHWC output with rows = n·h·w): dz = dy where y > 0, else 0 (y > 0 exactly when z > 0),
 * and the bias gradient db[c] = Σ_r dz[r, c], accumulated in double; one pass instead of tfjs's step,
 * multiply and sum kernels.
 */
void kdh_relu_backward(const float *restrict dy, const float *restrict y, int64_t rows, int64_t cols, float *restrict dz,
                       float *restrict db, double *restrict acc) {
  for (int64_t j = 0; j < cols; j++) acc[j] = 0.0;
  for (int64_t r = 0; r < rows; r++) {
    const float *yr = y + r * cols;
    const i32alias *dyBits = (const i32alias *)(dy + r * cols);
    i32alias *dzBits = (i32alias *)(dz + r * cols);
    const float *dzr = dz + r * cols;
    /* dy's bits under an all-ones/all-zeros mask: branch-free, so gcc vectorises it (a ?: or a multiply by
     * the comparison stays a branch under IEEE rules, mispredicted on random signs: 20x slower). Where
     * y <= 0 the gradient is exactly 0, also for an infinite dy. */
    for (int64_t j = 0; j < cols; j++) dzBits[j] = dyBits[j] & -(int32_t)(yr[j] > 0.0f);
    for (int64_t j = 0; j < cols; j++) acc[j] += dzr[j];
  }
  for (int64_t j = 0; j < cols; j++) db[j] = (float)acc[j];
}
