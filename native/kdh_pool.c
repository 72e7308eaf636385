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

/* dx = 0, then each dy goes to its window's first maximum in x. `best`/`pos` are scratch of length c. */
void kdh_max_pool_grad(const float *dy, const float *x, const PoolGeom *g, float *dx, float *best, int64_t *pos) {
  memset(dx, 0, sizeof(float) * g->n * g->h * g->w * g->c);
  for (int64_t b = 0; b < g->n; b++) {
    const int64_t base = b * g->h * g->w * g->c;
    for (int64_t oy = 0; oy < g->oh; oy++) {
      for (int64_t ox = 0; ox < g->ow; ox++) {
        for (int64_t ch = 0; ch < g->c; ch++) { best[ch] = -INFINITY; pos[ch] = -1; }
        for (int64_t ky = 0; ky < g->fh; ky++) {
          const int64_t iy = oy * g->sh - g->padT + ky * g->dh;
          if (iy < 0 || iy >= g->h) continue;
          for (int64_t kx = 0; kx < g->fw; kx++) {
            const int64_t ix = ox * g->sw - g->padL + kx * g->dw;
            if (ix < 0 || ix >= g->w) continue;
            const int64_t at = base + (iy * g->w + ix) * g->c;
            for (int64_t ch = 0; ch < g->c; ch++) {
              if (x[at + ch] > best[ch]) { best[ch] = x[at + ch]; pos[ch] = at + ch; }
            }
          }
        }
        const float *d = dy + ((b * g->oh + oy) * g->ow + ox) * g->c;
        for (int64_t ch = 0; ch < g->c; ch++) if (pos[ch] >= 0) dx[pos[ch]] += d[ch];
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
