/*
 * kdh_blas: the native half of the `blas` TensorFlow.js backend (lib/src/core/blas-backend.ts). This
 * file holds the N-API entry points, OpenBLAS products and the im2col convolutions; kdh_dnnl.c sends
 * convolutions to oneDNN when the addon is built with it (the default path then), kdh_pool.c does max
 * pooling and column sums, kdh_dropout.c seeded dropout and max-norm.
 *
 * Why: matrix products dominate every training step in this suite (the teacher MLP of Hinton et al.
 * 2015 is 784-1200-1200-10), and the tfjs wasm backend's single-threaded matmul is an order of
 * magnitude behind OpenBLAS. This addon exposes OpenBLAS sgemm and an im2col convolution (forward and
 * both backprops, Chellapilla et al. 2006, "High performance convolutional neural networks for document
 * processing") that work directly on Float32Arrays, in practice views of the wasm backend's heap, so
 * no tensor is copied on its way to BLAS.
 *
 * Every function is synchronous: the JS caller takes its heap view after allocating outputs and the
 * wasm heap cannot grow while we run, so the pointers stay valid for the whole call.
 *
 * Only the OpenBLAS shared library is needed at link time; its prototypes are declared here so that the
 * build does not depend on which cblas.h (reference, OpenBLAS, BLIS) the system puts first.
 */
#include <node_api.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include "kdh_conv.h"
#include "kdh_optim.h"
#include "kdh_distill.h"
#include "kdh_dropout.h"

/* An int32 that may alias a float: reading and writing float bits through it is defined behaviour. */
typedef int32_t __attribute__((may_alias)) i32alias;

/* ---- OpenBLAS entry points (CBLAS row-major interface) ---- */
enum { CblasRowMajor = 101 };
enum { CblasNoTrans = 111, CblasTrans = 112 };
extern void cblas_sgemm(int order, int transA, int transB, int m, int n, int k, float alpha, const float *a, int lda,
                        const float *b, int ldb, float beta, float *c, int ldc);
extern void openblas_set_num_threads(int n);
extern int openblas_get_num_threads(void);
extern char *openblas_get_config(void);
extern char *openblas_get_corename(void);

/* ---- small N-API helpers: each failure throws a JS error naming the argument ---- */
static int fail(napi_env env, const char *msg) {
  napi_throw_error(env, NULL, msg);
  return 0;
}

static int arg_f32(napi_env env, napi_value v, float **out, size_t *len, const char *name) {
  napi_typedarray_type type;
  size_t length;
  void *data;
  napi_value buf;
  size_t byteOffset;
  bool is;
  char msg[160];
  if (napi_is_typedarray(env, v, &is) != napi_ok || !is) {
    snprintf(msg, sizeof msg, "kdh_blas: argument '%s' must be a Float32Array", name);
    return fail(env, msg);
  }
  napi_get_typedarray_info(env, v, &type, &length, &data, &buf, &byteOffset);
  if (type != napi_float32_array) {
    snprintf(msg, sizeof msg, "kdh_blas: argument '%s' must be a Float32Array, got another typed array", name);
    return fail(env, msg);
  }
  *out = (float *)data;
  *len = length;
  return 1;
}

static int arg_i64(napi_env env, napi_value v, int64_t *out, const char *name) {
  char msg[160];
  if (napi_get_value_int64(env, v, out) != napi_ok) {
    snprintf(msg, sizeof msg, "kdh_blas: argument '%s' must be a number", name);
    return fail(env, msg);
  }
  return 1;
}

static int arg_f64(napi_env env, napi_value v, double *out, const char *name) {
  char msg[160];
  if (napi_get_value_double(env, v, out) != napi_ok) {
    snprintf(msg, sizeof msg, "kdh_blas: argument '%s' must be a number", name);
    return fail(env, msg);
  }
  return 1;
}

/* Checks that [off, off+count) lies inside an array of `len` floats: a wrong offset must throw, not
 * scribble over the wasm heap. */
static int in_bounds(napi_env env, int64_t off, int64_t count, size_t len, const char *name) {
  char msg[200];
  if (off < 0 || count < 0 || (uint64_t)(off + count) > (uint64_t)len) {
    snprintf(msg, sizeof msg, "kdh_blas: '%s' range [%lld, %lld) is outside its array of %zu floats", name,
             (long long)off, (long long)(off + count), len);
    return fail(env, msg);
  }
  return 1;
}

#define GET_ARGS(N)                                          \
  size_t argc = N;                                           \
  napi_value argv[N];                                        \
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);      \
  if (argc < N) {                                            \
    napi_throw_error(env, NULL, "kdh_blas: too few arguments"); \
    return NULL;                                             \
  }

/* Threads OpenBLAS was given (setThreads); products below SMALL_GEMM_MACS multiply-adds run on one. */
static int blasThreads = 1;
#define SMALL_GEMM_MACS (1 << 21)

/*
 * sgemmBatched(a, aOff, aStride, b, bOff, bStride, c, cOff, cStride, batch, transA, transB, m, n, k)
 * For i in 0..batch: C_i[m,n] = op(A_i) op(B_i), row-major, with A_i at aOff + (i % batchA)*aStride...
 * Broadcasting of a single A or B across the batch is expressed by a stride of 0.
 */
static napi_value SgemmBatched(napi_env env, napi_callback_info info) {
  GET_ARGS(15);
  float *a, *b, *c;
  size_t la, lb, lc;
  int64_t aOff, aStride, bOff, bStride, cOff, cStride, batch, tA, tB, m, n, k;
  if (!arg_f32(env, argv[0], &a, &la, "a") || !arg_i64(env, argv[1], &aOff, "aOff") ||
      !arg_i64(env, argv[2], &aStride, "aStride") || !arg_f32(env, argv[3], &b, &lb, "b") ||
      !arg_i64(env, argv[4], &bOff, "bOff") || !arg_i64(env, argv[5], &bStride, "bStride") ||
      !arg_f32(env, argv[6], &c, &lc, "c") || !arg_i64(env, argv[7], &cOff, "cOff") ||
      !arg_i64(env, argv[8], &cStride, "cStride") || !arg_i64(env, argv[9], &batch, "batch") ||
      !arg_i64(env, argv[10], &tA, "transA") || !arg_i64(env, argv[11], &tB, "transB") ||
      !arg_i64(env, argv[12], &m, "m") || !arg_i64(env, argv[13], &n, "n") || !arg_i64(env, argv[14], &k, "k"))
    return NULL;
  if (batch <= 0 || m <= 0 || n <= 0) return NULL;
  if (!in_bounds(env, aOff, (batch - 1) * aStride + m * k, la, "a") ||
      !in_bounds(env, bOff, (batch - 1) * bStride + k * n, lb, "b") ||
      !in_bounds(env, cOff, (batch - 1) * cStride + m * n, lc, "c"))
    return NULL;
  if (k == 0) {
    for (int64_t i = 0; i < batch; i++) memset(c + cOff + i * cStride, 0, sizeof(float) * m * n);
    return NULL;
  }
  const int lda = tA ? (int)m : (int)k;
  const int ldb = tB ? (int)k : (int)n;
  /* A small product (e.g. the 128x800x10 ones at an MLP's output layer) takes tens of microseconds on
   * one core; split over threads it waits for a worker to wake or be scheduled, which on a busy
   * machine costs milliseconds. */
  const int small = blasThreads > 1 && m * n * k * batch < SMALL_GEMM_MACS;
  if (small) openblas_set_num_threads(1);
  for (int64_t i = 0; i < batch; i++) {
    cblas_sgemm(CblasRowMajor, tA ? CblasTrans : CblasNoTrans, tB ? CblasTrans : CblasNoTrans, (int)m, (int)n, (int)k,
                1.0f, a + aOff + i * aStride, lda, b + bOff + i * bStride, ldb, 0.0f, c + cOff + i * cStride, (int)n);
  }
  if (small) openblas_set_num_threads(blasThreads);
  return NULL;
}


/*
 * biasActivation(c, cOff, rows, cols, bias|null, biasOff, biasLen, act, alpha, prelu|null, preluOff, preluLen)
 * In place on C[rows, cols]: add the bias (biasLen == cols: one per column; biasLen == 1: a scalar), then
 * apply the activation, matching tfjs's fused-op order (bias first, activation second). For prelu the
 * slopes come from `prelu`, one per column or one for all, like the bias.
 */
static napi_value BiasActivation(napi_env env, napi_callback_info info) {
  GET_ARGS(12);
  float *c, *bias = NULL, *prelu = NULL;
  size_t lc, lb = 0, lp = 0;
  int64_t cOff, rows, cols, biasOff, biasLen, act, preluOff, preluLen;
  double alphaD;
  napi_valuetype bt, pt;
  if (!arg_f32(env, argv[0], &c, &lc, "c") || !arg_i64(env, argv[1], &cOff, "cOff") ||
      !arg_i64(env, argv[2], &rows, "rows") || !arg_i64(env, argv[3], &cols, "cols"))
    return NULL;
  napi_typeof(env, argv[4], &bt);
  if (bt != napi_null && bt != napi_undefined && !arg_f32(env, argv[4], &bias, &lb, "bias")) return NULL;
  if (!arg_i64(env, argv[5], &biasOff, "biasOff") || !arg_i64(env, argv[6], &biasLen, "biasLen") ||
      !arg_i64(env, argv[7], &act, "activation") || !arg_f64(env, argv[8], &alphaD, "alpha"))
    return NULL;
  napi_typeof(env, argv[9], &pt);
  if (pt != napi_null && pt != napi_undefined && !arg_f32(env, argv[9], &prelu, &lp, "prelu")) return NULL;
  if (!arg_i64(env, argv[10], &preluOff, "preluOff") || !arg_i64(env, argv[11], &preluLen, "preluLen")) return NULL;
  if (!in_bounds(env, cOff, rows * cols, lc, "c")) return NULL;
  if (bias && !in_bounds(env, biasOff, biasLen, lb, "bias")) return NULL;
  if (act == ACT_PRELU) {
    if (!prelu || (preluLen != cols && preluLen != 1)) {
      napi_throw_error(env, NULL, "kdh_blas: prelu needs slopes of length cols or 1");
      return NULL;
    }
    if (!in_bounds(env, preluOff, preluLen, lp, "prelu")) return NULL;
  }
  if (bias && biasLen != cols && biasLen != 1) {
    napi_throw_error(env, NULL, "kdh_blas: bias length must equal the number of columns or be 1");
    return NULL;
  }
  const float alpha = (float)alphaD;
  for (int64_t r = 0; r < rows; r++) {
    float *row = c + cOff + r * cols;
    if (bias) {
      const float *bb = bias + biasOff;
      if (biasLen == 1) {
        for (int64_t j = 0; j < cols; j++) row[j] += bb[0];
      } else {
        for (int64_t j = 0; j < cols; j++) row[j] += bb[j];
      }
    }
    switch (act) {
      case ACT_LINEAR: break;
      case ACT_RELU: {
        /* Negative values' bits cleared under a mask: branch-free, so gcc vectorises it (x < 0 ? 0 : x
         * stays a branch under IEEE rules, mispredicted on random signs). NaN stays NaN, as in tfjs. */
        i32alias *bits = (i32alias *)row;
        for (int64_t j = 0; j < cols; j++) bits[j] &= ~(-(int32_t)(row[j] < 0.0f));
        break;
      }
      case ACT_RELU6:
        for (int64_t j = 0; j < cols; j++) row[j] = row[j] < 0.0f ? 0.0f : (row[j] > 6.0f ? 6.0f : row[j]);
        break;
      case ACT_ELU:
        for (int64_t j = 0; j < cols; j++) row[j] = row[j] >= 0.0f ? row[j] : expm1f(row[j]);
        break;
      case ACT_SIGMOID:
        for (int64_t j = 0; j < cols; j++) row[j] = 1.0f / (1.0f + expf(-row[j]));
        break;
      case ACT_LEAKYRELU:
        for (int64_t j = 0; j < cols; j++) row[j] = row[j] < 0.0f ? alpha * row[j] : row[j];
        break;
      case ACT_PRELU: {
        const float *w = prelu + preluOff;
        for (int64_t j = 0; j < cols; j++) {
          const float s = preluLen == 1 ? w[0] : w[j];
          row[j] = row[j] < 0.0f ? s * row[j] : row[j];
        }
        break;
      }
      default:
        napi_throw_error(env, NULL, "kdh_blas: unknown activation code");
        return NULL;
    }
  }
  return NULL;
}

/* ---- convolution, NHWC input [N,H,W,C], filter [KH,KW,C,CO] (= a [KH*KW*C, CO] matrix) ---- */

static int arg_geom(napi_env env, napi_value v, ConvGeom *g) {
  napi_typedarray_type type;
  size_t length;
  void *data;
  napi_value buf;
  size_t off;
  bool is;
  if (napi_is_typedarray(env, v, &is) != napi_ok || !is) return fail(env, "kdh_blas: conv geometry must be an Int32Array");
  napi_get_typedarray_info(env, v, &type, &length, &data, &buf, &off);
  if (type != napi_int32_array || length != 15)
    return fail(env, "kdh_blas: conv geometry must be an Int32Array of 15 values [n,h,w,c,kh,kw,sh,sw,dh,dw,padT,padL,oh,ow,co]");
  const int32_t *p = (const int32_t *)data;
  g->n = p[0]; g->h = p[1]; g->w = p[2]; g->c = p[3]; g->kh = p[4]; g->kw = p[5]; g->sh = p[6]; g->sw = p[7];
  g->dh = p[8]; g->dw = p[9]; g->padT = p[10]; g->padL = p[11]; g->oh = p[12]; g->ow = p[13]; g->co = p[14];
  if (g->n <= 0 || g->h <= 0 || g->w <= 0 || g->c <= 0 || g->kh <= 0 || g->kw <= 0 || g->sh <= 0 || g->sw <= 0 ||
      g->dh <= 0 || g->dw <= 0 || g->oh <= 0 || g->ow <= 0 || g->co <= 0)
    return fail(env, "kdh_blas: conv geometry has a non-positive size");
  return 1;
}

/* Images per chunk so that the patch matrix stays near 8M floats (32 MB) whatever the batch size. */
static int64_t chunk_images(const ConvGeom *g) {
  const int64_t perImage = g->oh * g->ow * g->kh * g->kw * g->c;
  int64_t n = (8 << 20) / (perImage > 0 ? perImage : 1);
  if (n < 1) n = 1;
  if (n > g->n) n = g->n;
  return n;
}

/* cols[(img*OH*OW + oy*OW + ox), (ky*KW + kx)*C + ch] = x[img0+img, oy*sh-padT+ky*dh, ox*sw-padL+kx*dw, ch] */
static void im2col(const float *x, const ConvGeom *g, int64_t img0, int64_t nImg, float *cols) {
  const int64_t K = g->kh * g->kw * g->c;
  for (int64_t i = 0; i < nImg; i++) {
    const float *xi = x + (img0 + i) * g->h * g->w * g->c;
    for (int64_t oy = 0; oy < g->oh; oy++) {
      for (int64_t ox = 0; ox < g->ow; ox++) {
        float *row = cols + ((i * g->oh + oy) * g->ow + ox) * K;
        for (int64_t ky = 0; ky < g->kh; ky++) {
          const int64_t iy = oy * g->sh - g->padT + ky * g->dh;
          for (int64_t kx = 0; kx < g->kw; kx++) {
            const int64_t ix = ox * g->sw - g->padL + kx * g->dw;
            float *dst = row + (ky * g->kw + kx) * g->c;
            if (iy < 0 || iy >= g->h || ix < 0 || ix >= g->w) {
              memset(dst, 0, sizeof(float) * g->c);
            } else {
              memcpy(dst, xi + (iy * g->w + ix) * g->c, sizeof(float) * g->c);
            }
          }
        }
      }
    }
  }
}

/* The adjoint of im2col: scatter-add the patch matrix back onto dx (which the caller zeroed). */
static void col2im(const float *cols, const ConvGeom *g, int64_t img0, int64_t nImg, float *dx) {
  const int64_t K = g->kh * g->kw * g->c;
  for (int64_t i = 0; i < nImg; i++) {
    float *dxi = dx + (img0 + i) * g->h * g->w * g->c;
    for (int64_t oy = 0; oy < g->oh; oy++) {
      for (int64_t ox = 0; ox < g->ow; ox++) {
        const float *row = cols + ((i * g->oh + oy) * g->ow + ox) * K;
        for (int64_t ky = 0; ky < g->kh; ky++) {
          const int64_t iy = oy * g->sh - g->padT + ky * g->dh;
          if (iy < 0 || iy >= g->h) continue;
          for (int64_t kx = 0; kx < g->kw; kx++) {
            const int64_t ix = ox * g->sw - g->padL + kx * g->dw;
            if (ix < 0 || ix >= g->w) continue;
            const float *src = row + (ky * g->kw + kx) * g->c;
            float *dst = dxi + (iy * g->w + ix) * g->c;
            for (int64_t ch = 0; ch < g->c; ch++) dst[ch] += src[ch];
          }
        }
      }
    }
  }
}

/* Reads (p0, off0, p1, off1, p2, off2, geometry) and checks the three ranges. */
static int conv_args(napi_env env, napi_value *argv, float **p, int64_t *sizes, ConvGeom *g, const char **names) {
  size_t len[3];
  int64_t off[3];
  if (!arg_geom(env, argv[6], g)) return 0;
  for (int i = 0; i < 3; i++) {
    if (!arg_f32(env, argv[2 * i], &p[i], &len[i], names[i]) || !arg_i64(env, argv[2 * i + 1], &off[i], names[i]))
      return 0;
    if (!in_bounds(env, off[i], sizes[i], len[i], names[i])) return 0;
    p[i] += off[i];
  }
  return 1;
}

/* 1 when convolutions go to oneDNN: built with it, initialised, and not switched off (setConvPath). */
static int useDnnl = 0;
/* Convolutions run per path and kind (forward, backward data, backward weights): tests check the path taken. */
static double convCount[2][3];
static int dnnlReady = 0;
static char dnnlWhy[200] = "built without oneDNN (libdnnl-dev absent at build time, or KDH_BUILD_NO_DNNL=1)";

/* Runs the convolution through oneDNN when enabled. 1: done; 0: use im2col; -1: a JS error was thrown. */
static int try_dnnl(napi_env env, int kind, const ConvGeom *g, float **p, const float *bias, int act, float alpha) {
#ifdef KDH_WITH_DNNL
  if (!useDnnl) return 0;
  char err[200] = "";
  int r = kdh_dnnl_conv(kind, g, p[0], p[1], p[2], bias, act, alpha, err, sizeof err);
  if (r == KDH_DNNL_OK) {
    convCount[0][kind]++;
    return 1;
  }
  if (r == KDH_DNNL_UNSUPPORTED) return 0;
  napi_throw_error(env, NULL, err);
  return -1;
#else
  (void)env; (void)kind; (void)g; (void)p; (void)bias; (void)act; (void)alpha;
  return 0;
#endif
}

/*
 * conv2d(x, xOff, filter, fOff, y, yOff, geometry[, bias|null, biasOff, act, alpha]): y[N,OH,OW,CO] =
 * conv(x, filter). When oneDNN runs it and bias/act are given, they are fused into the convolution and
 * the call returns true; otherwise it returns false and the caller applies bias and activation itself.
 */
static napi_value Conv2d(napi_env env, napi_callback_info info) {
  size_t argc = 11;
  napi_value argv[11];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 7) { napi_throw_error(env, NULL, "kdh_blas: too few arguments"); return NULL; }
  ConvGeom g;
  float *p[3];
  const char *names[3] = {"x", "filter", "y"};
  if (!arg_geom(env, argv[6], &g)) return NULL;
  const int64_t K = g.kh * g.kw * g.c;
  int64_t sizes[3] = {g.n * g.h * g.w * g.c, K * g.co, g.n * g.oh * g.ow * g.co};
  if (!conv_args(env, argv, p, sizes, &g, names)) return NULL;
  float *bias = NULL;
  int64_t act = ACT_LINEAR;
  double alpha = 0;
  if (argc >= 11) {
    napi_valuetype bt;
    size_t lb;
    int64_t bOff;
    napi_typeof(env, argv[7], &bt);
    if (bt != napi_null && bt != napi_undefined) {
      if (!arg_f32(env, argv[7], &bias, &lb, "bias") || !arg_i64(env, argv[8], &bOff, "biasOff") ||
          !in_bounds(env, bOff, g.co, lb, "bias"))
        return NULL;
      bias += bOff;
    }
    if (!arg_i64(env, argv[9], &act, "act") || !arg_f64(env, argv[10], &alpha, "alpha")) return NULL;
  }
  napi_value fused;
  const int d = try_dnnl(env, KDH_CONV_FWD, &g, p, bias, (int)act, (float)alpha);
  if (d < 0) return NULL;
  if (d == 1) {
    napi_get_boolean(env, 1, &fused);
    return fused;
  }
  convCount[1][KDH_CONV_FWD]++;
  const int64_t chunk = chunk_images(&g), R1 = g.oh * g.ow;
  float *cols = (float *)malloc(sizeof(float) * chunk * R1 * K);
  if (!cols) { napi_throw_error(env, NULL, "kdh_blas: out of memory for the conv patch matrix"); return NULL; }
  for (int64_t i0 = 0; i0 < g.n; i0 += chunk) {
    const int64_t nImg = (g.n - i0 < chunk) ? g.n - i0 : chunk;
    im2col(p[0], &g, i0, nImg, cols);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)(nImg * R1), (int)g.co, (int)K, 1.0f, cols, (int)K,
                p[1], (int)g.co, 0.0f, p[2] + i0 * R1 * g.co, (int)g.co);
  }
  free(cols);
  napi_get_boolean(env, 0, &fused);
  return fused;
}

/* conv2dBackpropInput(dy, dyOff, filter, fOff, dx, dxOff, geometry): dx = col2im(dy @ filter^T) */
static napi_value Conv2dBackpropInput(napi_env env, napi_callback_info info) {
  GET_ARGS(7);
  ConvGeom g;
  float *p[3];
  const char *names[3] = {"dy", "filter", "dx"};
  if (!arg_geom(env, argv[6], &g)) return NULL;
  const int64_t K = g.kh * g.kw * g.c;
  int64_t sizes[3] = {g.n * g.oh * g.ow * g.co, K * g.co, g.n * g.h * g.w * g.c};
  if (!conv_args(env, argv, p, sizes, &g, names)) return NULL;
  const int d = try_dnnl(env, KDH_CONV_BWD_DATA, &g, p, NULL, ACT_LINEAR, 0.0f);
  if (d != 0) return NULL;
  convCount[1][KDH_CONV_BWD_DATA]++;
  const int64_t chunk = chunk_images(&g), R1 = g.oh * g.ow;
  float *cols = (float *)malloc(sizeof(float) * chunk * R1 * K);
  if (!cols) { napi_throw_error(env, NULL, "kdh_blas: out of memory for the conv patch matrix"); return NULL; }
  memset(p[2], 0, sizeof(float) * sizes[2]);
  for (int64_t i0 = 0; i0 < g.n; i0 += chunk) {
    const int64_t nImg = (g.n - i0 < chunk) ? g.n - i0 : chunk;
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)(nImg * R1), (int)K, (int)g.co, 1.0f,
                p[0] + i0 * R1 * g.co, (int)g.co, p[1], (int)g.co, 0.0f, cols, (int)K);
    col2im(cols, &g, i0, nImg, p[2]);
  }
  free(cols);
  return NULL;
}

/* conv2dBackpropFilter(x, xOff, dy, dyOff, dw, dwOff, geometry): dw[K,CO] = sum over chunks patches^T @ dy */
static napi_value Conv2dBackpropFilter(napi_env env, napi_callback_info info) {
  GET_ARGS(7);
  ConvGeom g;
  float *p[3];
  const char *names[3] = {"x", "dy", "dw"};
  if (!arg_geom(env, argv[6], &g)) return NULL;
  const int64_t K = g.kh * g.kw * g.c;
  int64_t sizes[3] = {g.n * g.h * g.w * g.c, g.n * g.oh * g.ow * g.co, K * g.co};
  if (!conv_args(env, argv, p, sizes, &g, names)) return NULL;
  const int d = try_dnnl(env, KDH_CONV_BWD_WEIGHTS, &g, p, NULL, ACT_LINEAR, 0.0f);
  if (d != 0) return NULL;
  convCount[1][KDH_CONV_BWD_WEIGHTS]++;
  const int64_t chunk = chunk_images(&g), R1 = g.oh * g.ow;
  float *cols = (float *)malloc(sizeof(float) * chunk * R1 * K);
  if (!cols) { napi_throw_error(env, NULL, "kdh_blas: out of memory for the conv patch matrix"); return NULL; }
  for (int64_t i0 = 0; i0 < g.n; i0 += chunk) {
    const int64_t nImg = (g.n - i0 < chunk) ? g.n - i0 : chunk;
    im2col(p[0], &g, i0, nImg, cols);
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)K, (int)g.co, (int)(nImg * R1), 1.0f, cols, (int)K,
                p[1] + i0 * R1 * g.co, (int)g.co, i0 == 0 ? 0.0f : 1.0f, p[2], (int)g.co);
  }
  free(cols);
  return NULL;
}

/* ---- pooling and column sums (kdh_pool.c) ---- */
static int arg_pool_geom(napi_env env, napi_value v, PoolGeom *g) {
  napi_typedarray_type type;
  size_t length;
  void *data;
  napi_value buf;
  size_t off;
  bool is;
  if (napi_is_typedarray(env, v, &is) != napi_ok || !is) return fail(env, "kdh_blas: pool geometry must be an Int32Array");
  napi_get_typedarray_info(env, v, &type, &length, &data, &buf, &off);
  if (type != napi_int32_array || length != 14)
    return fail(env, "kdh_blas: pool geometry must be an Int32Array of 14 values [n,h,w,c,fh,fw,sh,sw,dh,dw,padT,padL,oh,ow]");
  const int32_t *p = (const int32_t *)data;
  g->n = p[0]; g->h = p[1]; g->w = p[2]; g->c = p[3]; g->fh = p[4]; g->fw = p[5]; g->sh = p[6]; g->sw = p[7];
  g->dh = p[8]; g->dw = p[9]; g->padT = p[10]; g->padL = p[11]; g->oh = p[12]; g->ow = p[13];
  if (g->n <= 0 || g->h <= 0 || g->w <= 0 || g->c <= 0 || g->fh <= 0 || g->fw <= 0 || g->sh <= 0 || g->sw <= 0 ||
      g->dh <= 0 || g->dw <= 0 || g->oh <= 0 || g->ow <= 0)
    return fail(env, "kdh_blas: pool geometry has a non-positive size");
  return 1;
}

/* maxPool(x, xOff, y, yOff, geometry) */
static napi_value MaxPool(napi_env env, napi_callback_info info) {
  GET_ARGS(5);
  PoolGeom g;
  float *x, *y;
  size_t lx, ly;
  int64_t xOff, yOff;
  if (!arg_pool_geom(env, argv[4], &g) || !arg_f32(env, argv[0], &x, &lx, "x") || !arg_i64(env, argv[1], &xOff, "xOff") ||
      !arg_f32(env, argv[2], &y, &ly, "y") || !arg_i64(env, argv[3], &yOff, "yOff") ||
      !in_bounds(env, xOff, g.n * g.h * g.w * g.c, lx, "x") || !in_bounds(env, yOff, g.n * g.oh * g.ow * g.c, ly, "y"))
    return NULL;
  kdh_max_pool(x + xOff, &g, y + yOff);
  return NULL;
}

/* maxPoolGrad(dy, dyOff, x, xOff, dx, dxOff, geometry) */
static napi_value MaxPoolGrad(napi_env env, napi_callback_info info) {
  GET_ARGS(7);
  PoolGeom g;
  float *dy, *x, *dx;
  size_t ldy, lx, ldx;
  int64_t dyOff, xOff, dxOff;
  if (!arg_pool_geom(env, argv[6], &g) || !arg_f32(env, argv[0], &dy, &ldy, "dy") || !arg_i64(env, argv[1], &dyOff, "dyOff") ||
      !arg_f32(env, argv[2], &x, &lx, "x") || !arg_i64(env, argv[3], &xOff, "xOff") || !arg_f32(env, argv[4], &dx, &ldx, "dx") ||
      !arg_i64(env, argv[5], &dxOff, "dxOff") || !in_bounds(env, dyOff, g.n * g.oh * g.ow * g.c, ldy, "dy") ||
      !in_bounds(env, xOff, g.n * g.h * g.w * g.c, lx, "x") || !in_bounds(env, dxOff, g.n * g.h * g.w * g.c, ldx, "dx"))
    return NULL;
  float *best = (float *)malloc(sizeof(float) * g.c);
  int32_t *pos = (int32_t *)malloc(sizeof(int32_t) * g.c);
  if (!best || !pos) {
    free(best);
    free(pos);
    napi_throw_error(env, NULL, "kdh_blas: out of memory in maxPoolGrad");
    return NULL;
  }
  kdh_max_pool_grad(dy + dyOff, x + xOff, &g, dx + dxOff, best, pos);
  free(best);
  free(pos);
  return NULL;
}

/* columnSum(x, xOff, rows, cols, out, outOff): out[j] = sum_r x[r, j] */
static napi_value ColumnSum(napi_env env, napi_callback_info info) {
  GET_ARGS(6);
  float *x, *out;
  size_t lx, lo;
  int64_t xOff, rows, cols, outOff;
  if (!arg_f32(env, argv[0], &x, &lx, "x") || !arg_i64(env, argv[1], &xOff, "xOff") || !arg_i64(env, argv[2], &rows, "rows") ||
      !arg_i64(env, argv[3], &cols, "cols") || !arg_f32(env, argv[4], &out, &lo, "out") || !arg_i64(env, argv[5], &outOff, "outOff"))
    return NULL;
  if (rows < 0 || cols <= 0) { napi_throw_error(env, NULL, "kdh_blas: columnSum needs rows >= 0 and cols > 0"); return NULL; }
  if (!in_bounds(env, xOff, rows * cols, lx, "x") || !in_bounds(env, outOff, cols, lo, "out")) return NULL;
  double *acc = (double *)malloc(sizeof(double) * cols);
  if (!acc) { napi_throw_error(env, NULL, "kdh_blas: out of memory in columnSum"); return NULL; }
  kdh_column_sum(x + xOff, rows, cols, out + outOff, acc);
  free(acc);
  return NULL;
}

/* reluBackward(heap, dyOff, yOff, dzOff, dbOff, rows, cols): dz = dy·(y > 0) and db = column sums of dz, on one heap. */
static napi_value ReluBackward(napi_env env, napi_callback_info info) {
  GET_ARGS(7);
  float *heap;
  size_t lh;
  int64_t dyOff, yOff, dzOff, dbOff, rows, cols;
  if (!arg_f32(env, argv[0], &heap, &lh, "heap") || !arg_i64(env, argv[1], &dyOff, "dyOff") || !arg_i64(env, argv[2], &yOff, "yOff") ||
      !arg_i64(env, argv[3], &dzOff, "dzOff") || !arg_i64(env, argv[4], &dbOff, "dbOff") || !arg_i64(env, argv[5], &rows, "rows") ||
      !arg_i64(env, argv[6], &cols, "cols"))
    return NULL;
  if (rows < 0 || cols <= 0) { napi_throw_error(env, NULL, "kdh_blas: reluBackward needs rows >= 0 and cols > 0"); return NULL; }
  if (!in_bounds(env, dyOff, rows * cols, lh, "dy") || !in_bounds(env, yOff, rows * cols, lh, "y") ||
      !in_bounds(env, dzOff, rows * cols, lh, "dz") || !in_bounds(env, dbOff, cols, lh, "db"))
    return NULL;
  double *acc = (double *)malloc(sizeof(double) * cols);
  if (!acc) { napi_throw_error(env, NULL, "kdh_blas: out of memory in reluBackward"); return NULL; }
  kdh_relu_backward(heap + dyOff, heap + yOff, rows, cols, heap + dzOff, heap + dbOff, acc);
  free(acc);
  return NULL;
}

/*
 * setConvPath("onednn" | "im2col" | "onednn-any"): which path convolutions take. "onednn-any" lets
 * oneDNN keep activations in its blocked layout (with reorders), for measuring against NHWC.
 * Throws when oneDNN is asked for but not available, saying why.
 */
static napi_value SetConvPath(napi_env env, napi_callback_info info) {
  GET_ARGS(1);
  char path[32];
  size_t len;
  if (napi_get_value_string_utf8(env, argv[0], path, sizeof path, &len) != napi_ok) {
    napi_throw_error(env, NULL, "kdh_blas: setConvPath takes \"onednn\", \"onednn-any\" or \"im2col\"");
    return NULL;
  }
  if (strcmp(path, "im2col") == 0) {
    useDnnl = 0;
    return NULL;
  }
  if (strcmp(path, "onednn") != 0 && strcmp(path, "onednn-any") != 0) {
    napi_throw_error(env, NULL, "kdh_blas: setConvPath takes \"onednn\", \"onednn-any\" or \"im2col\"");
    return NULL;
  }
  if (!dnnlReady) {
    char msg[260];
    snprintf(msg, sizeof msg, "kdh_blas: oneDNN convolutions are not available: %s", dnnlWhy);
    napi_throw_error(env, NULL, msg);
    return NULL;
  }
#ifdef KDH_WITH_DNNL
  kdh_dnnl_set_layout_any(strcmp(path, "onednn-any") == 0);
#endif
  useDnnl = 1;
  return NULL;
}

/* Threads an optimizer update may use (setUpdateThreads; setThreads sets it too). */
static int updateThreads = 1;

/*
 * optimizerUpdate(kind, heap, offsets, n, hyper): one optimizer step for one variable (kdh_optim.c).
 * offsets (Float64Array of 7, -1 = unused) = [w, g, m, v, outW, outM, outV] into heap, each n floats;
 * hyper (Float32Array) as kdh_update documents. SGD uses w, g, outW; momentum adds m, outM; Adam all.
 */
static napi_value OptimizerUpdate(napi_env env, napi_callback_info info) {
  GET_ARGS(5);
  int64_t kind, n;
  float *heap;
  size_t lh;
  napi_typedarray_type type;
  size_t length, byteOff;
  void *data;
  napi_value buf;
  bool is;
  if (!arg_i64(env, argv[0], &kind, "kind") || !arg_f32(env, argv[1], &heap, &lh, "heap") || !arg_i64(env, argv[3], &n, "n"))
    return NULL;
  if (kind < KDH_UPDATE_SGD || kind > KDH_UPDATE_ADAM) {
    napi_throw_error(env, NULL, "kdh_blas: optimizerUpdate kind must be 0 (SGD), 1 (momentum) or 2 (Adam)");
    return NULL;
  }
  if (n < 0) { napi_throw_error(env, NULL, "kdh_blas: optimizerUpdate needs n >= 0"); return NULL; }
  if (napi_is_typedarray(env, argv[2], &is) != napi_ok || !is ||
      napi_get_typedarray_info(env, argv[2], &type, &length, &data, &buf, &byteOff) != napi_ok || type != napi_float64_array || length != 7) {
    napi_throw_error(env, NULL, "kdh_blas: optimizerUpdate offsets must be a Float64Array of 7 [w, g, m, v, outW, outM, outV]");
    return NULL;
  }
  const double *offs = (const double *)data;
  float *hyper;
  size_t lhyp;
  if (!arg_f32(env, argv[4], &hyper, &lhyp, "hyper")) return NULL;
  const size_t needHyper = kind == KDH_UPDATE_SGD ? 1 : kind == KDH_UPDATE_MOMENTUM ? 3 : 8;
  if (lhyp < needHyper) { napi_throw_error(env, NULL, "kdh_blas: optimizerUpdate got too few hyper-parameters"); return NULL; }
  /* Which buffers each kind needs: w, g, m, v, outW, outM, outV. */
  static const int needs[3][7] = {{1, 1, 0, 0, 1, 0, 0}, {1, 1, 1, 0, 1, 1, 0}, {1, 1, 1, 1, 1, 1, 1}};
  static const char *names[7] = {"w", "g", "m", "v", "outW", "outM", "outV"};
  float *p[7] = {NULL};
  for (int i = 0; i < 7; i++) {
    if (!needs[kind][i]) continue;
    if (!in_bounds(env, (int64_t)offs[i], n, lh, names[i])) return NULL;
    p[i] = heap + (int64_t)offs[i];
  }
  KdhUpdateBufs b = {p[0], p[1], p[2], p[3], p[4], p[5], p[6]};
  kdh_update((int)kind, &b, n, hyper, updateThreads);
  return NULL;
}

/*
 * distillationLoss(heap, offsets, rows, classes, params): the distillation loss and the gradients asked
 * for (kdh_distill.c), all buffers in one heap. offsets (Float64Array of 8, -1 = absent) =
 * [z, v, y, loss, dz, dv, dy, g]: inputs z, v (and labels y), outputs loss (1 float) and the gradients
 * ([rows, classes] each), and g (1 float, the incoming gradient; absent = 1). params (Float64Array of 5)
 * = [T, softWeight, teacher is probabilities 0/1, KL 0/1, labels are int32 0/1].
 */
static napi_value DistillationLoss(napi_env env, napi_callback_info info) {
  GET_ARGS(5);
  float *heap;
  size_t lh;
  int64_t rows, classes;
  napi_typedarray_type type;
  size_t length, byteOff;
  void *data;
  napi_value buf;
  bool is;
  if (!arg_f32(env, argv[0], &heap, &lh, "heap") || !arg_i64(env, argv[2], &rows, "rows") || !arg_i64(env, argv[3], &classes, "classes"))
    return NULL;
  if (rows < 0 || classes < 1) {
    napi_throw_error(env, NULL, "kdh_blas: distillationLoss needs rows >= 0 and classes >= 1");
    return NULL;
  }
  const double *offs, *prm;
  if (napi_is_typedarray(env, argv[1], &is) != napi_ok || !is ||
      napi_get_typedarray_info(env, argv[1], &type, &length, &data, &buf, &byteOff) != napi_ok || type != napi_float64_array || length != 8) {
    napi_throw_error(env, NULL, "kdh_blas: distillationLoss offsets must be a Float64Array of 8 [z, v, y, loss, dz, dv, dy, g]");
    return NULL;
  }
  offs = (const double *)data;
  if (napi_is_typedarray(env, argv[4], &is) != napi_ok || !is ||
      napi_get_typedarray_info(env, argv[4], &type, &length, &data, &buf, &byteOff) != napi_ok || type != napi_float64_array || length != 5) {
    napi_throw_error(env, NULL, "kdh_blas: distillationLoss params must be a Float64Array of 5 [T, softWeight, teacherProbs, kl, labelsInt32]");
    return NULL;
  }
  prm = (const double *)data;
  KdhDistillParams p = {prm[0], prm[1], prm[2] != 0, prm[3] != 0};
  if (!(p.T > 0) || !isfinite(p.T) || !(p.w >= 0 && p.w <= 1)) {
    char msg[200];
    snprintf(msg, sizeof msg, "kdh_blas: distillationLoss needs a finite T > 0 and softWeight in [0, 1], got T = %g, softWeight = %g", p.T, p.w);
    napi_throw_error(env, NULL, msg);
    return NULL;
  }
  static const char *names[8] = {"z", "v", "y", "loss", "dz", "dv", "dy", "g"};
  const int64_t n = rows * classes;
  float *ptr[8] = {NULL};
  for (int i = 0; i < 8; i++) {
    if (offs[i] < 0) {
      if (i < 2) {
        napi_throw_error(env, NULL, "kdh_blas: distillationLoss needs the offsets of z and v");
        return NULL;
      }
      continue;
    }
    if (!in_bounds(env, (int64_t)offs[i], i == 3 || i == 7 ? 1 : n, lh, names[i])) return NULL;
    ptr[i] = heap + (int64_t)offs[i];
  }
  const int int32Labels = prm[4] != 0;
  KdhDistillBufs b = {ptr[0], ptr[1], int32Labels ? NULL : ptr[2], int32Labels ? (const int32_t *)(const void *)ptr[2] : NULL,
                      ptr[4], ptr[5], ptr[6]};
  double *scratch = (double *)malloc(sizeof(double) * 3 * (size_t)classes);
  if (!scratch) { napi_throw_error(env, NULL, "kdh_blas: out of memory in distillationLoss"); return NULL; }
  const double loss = kdh_distillation(&p, &b, rows, classes, ptr[7] ? (double)*ptr[7] : 1.0, scratch);
  free(scratch);
  if (ptr[3]) *ptr[3] = (float)loss;
  return NULL;
}

/*
 * dropout(heap, xOff, yOff, n, seed, rate): y = x · mask(seed, rate) over n floats (kdh_dropout.c); the mask is
 * dropoutMask's in lib/src/core/dropout.ts. seed a whole number in [0, 2^32), rate in [0, 1).
 */
static napi_value Dropout(napi_env env, napi_callback_info info) {
  GET_ARGS(6);
  float *heap;
  size_t lh;
  int64_t xOff, yOff, n;
  double seed, rate;
  if (!arg_f32(env, argv[0], &heap, &lh, "heap") || !arg_i64(env, argv[1], &xOff, "xOff") || !arg_i64(env, argv[2], &yOff, "yOff") ||
      !arg_i64(env, argv[3], &n, "n") || !arg_f64(env, argv[4], &seed, "seed") || !arg_f64(env, argv[5], &rate, "rate"))
    return NULL;
  if (!(seed >= 0 && seed <= 4294967295.0 && seed == floor(seed))) {
    char msg[160];
    snprintf(msg, sizeof msg, "kdh_blas: dropout seed=%g must be a whole number in [0, 2^32)", seed);
    napi_throw_error(env, NULL, msg);
    return NULL;
  }
  if (!(rate >= 0 && rate < 1)) {
    char msg[160];
    snprintf(msg, sizeof msg, "kdh_blas: dropout rate=%g must be in [0, 1)", rate);
    napi_throw_error(env, NULL, msg);
    return NULL;
  }
  if (!in_bounds(env, xOff, n, lh, "x") || !in_bounds(env, yOff, n, lh, "y")) return NULL;
  kdh_dropout(heap + xOff, heap + yOff, n, (uint32_t)seed, rate);
  return NULL;
}

/*
 * maxNorm(heap, wOff, outOff, rows, cols, c): column norms of w [rows, cols] and, when some column's norm
 * exceeds c, out = w with those columns scaled to norm c (kdh_dropout.c). Returns the number of such columns;
 * when it is 0, out is left unwritten.
 */
static napi_value MaxNorm(napi_env env, napi_callback_info info) {
  GET_ARGS(6);
  float *heap;
  size_t lh;
  int64_t wOff, outOff, rows, cols;
  double c;
  if (!arg_f32(env, argv[0], &heap, &lh, "heap") || !arg_i64(env, argv[1], &wOff, "wOff") || !arg_i64(env, argv[2], &outOff, "outOff") ||
      !arg_i64(env, argv[3], &rows, "rows") || !arg_i64(env, argv[4], &cols, "cols") || !arg_f64(env, argv[5], &c, "c"))
    return NULL;
  if (rows < 0 || cols <= 0) { napi_throw_error(env, NULL, "kdh_blas: maxNorm needs rows >= 0 and cols > 0"); return NULL; }
  if (!(c > 0) || !isfinite(c)) {
    char msg[160];
    snprintf(msg, sizeof msg, "kdh_blas: maxNorm needs a finite c > 0, got %g", c);
    napi_throw_error(env, NULL, msg);
    return NULL;
  }
  if (!in_bounds(env, wOff, rows * cols, lh, "w") || !in_bounds(env, outOff, rows * cols, lh, "out")) return NULL;
  if (outOff < wOff + rows * cols && wOff < outOff + rows * cols) { napi_throw_error(env, NULL, "kdh_blas: maxNorm's out must not overlap w"); return NULL; }
  double *acc = (double *)malloc(sizeof(double) * cols);
  if (!acc) { napi_throw_error(env, NULL, "kdh_blas: out of memory in maxNorm"); return NULL; }
  const int64_t exceeding = kdh_max_norm(heap + wOff, heap + outOff, rows, cols, c, acc);
  free(acc);
  napi_value result;
  napi_create_double(env, (double)exceeding, &result);
  return result;
}

static napi_value SetUpdateThreads(napi_env env, napi_callback_info info) {
  GET_ARGS(1);
  int64_t n;
  if (!arg_i64(env, argv[0], &n, "threads")) return NULL;
  if (n < 1) { napi_throw_error(env, NULL, "kdh_blas: update thread count must be at least 1"); return NULL; }
  updateThreads = (int)n;
  return NULL;
}

static napi_value SetThreads(napi_env env, napi_callback_info info) {
  GET_ARGS(1);
  int64_t n;
  if (!arg_i64(env, argv[0], &n, "threads")) return NULL;
  if (n < 1) { napi_throw_error(env, NULL, "kdh_blas: thread count must be at least 1"); return NULL; }
  openblas_set_num_threads((int)n);
  blasThreads = (int)n;
  updateThreads = (int)n;
#ifdef KDH_WITH_DNNL
  if (!dnnlReady) {
    dnnlReady = kdh_dnnl_init((int)n, dnnlWhy, sizeof dnnlWhy) == 0;
    useDnnl = dnnlReady;
  }
  kdh_dnnl_set_threads((int)n);
#endif
  return NULL;
}

static napi_value Info(napi_env env, napi_callback_info info) {
  napi_value obj, v;
  napi_create_object(env, &obj);
  napi_create_int32(env, openblas_get_num_threads(), &v);
  napi_set_named_property(env, obj, "threads", v);
  napi_create_string_utf8(env, openblas_get_config(), NAPI_AUTO_LENGTH, &v);
  napi_set_named_property(env, obj, "config", v);
  napi_create_string_utf8(env, openblas_get_corename(), NAPI_AUTO_LENGTH, &v);
  napi_set_named_property(env, obj, "core", v);
  napi_create_string_utf8(env, useDnnl ? "onednn" : "im2col", NAPI_AUTO_LENGTH, &v);
  napi_set_named_property(env, obj, "convPath", v);
  const char *pathNames[2] = {"onednn", "im2col"}, *kindNames[3] = {"forward", "backpropInput", "backpropFilter"};
  napi_value counts, perPath;
  napi_create_object(env, &counts);
  for (int i = 0; i < 2; i++) {
    napi_create_object(env, &perPath);
    for (int k = 0; k < 3; k++) {
      napi_create_double(env, convCount[i][k], &v);
      napi_set_named_property(env, perPath, kindNames[k], v);
    }
    napi_set_named_property(env, counts, pathNames[i], perPath);
  }
  napi_set_named_property(env, obj, "convCalls", counts);
#ifdef KDH_WITH_DNNL
  napi_create_string_utf8(env, dnnlReady ? kdh_dnnl_version() : dnnlWhy, NAPI_AUTO_LENGTH, &v);
  napi_set_named_property(env, obj, "onednn", v);
  napi_create_string_utf8(env, kdh_dnnl_last_impl(), NAPI_AUTO_LENGTH, &v);
  napi_set_named_property(env, obj, "onednnLastImpl", v);
#else
  napi_create_string_utf8(env, dnnlWhy, NAPI_AUTO_LENGTH, &v);
  napi_set_named_property(env, obj, "onednn", v);
#endif
  return obj;
}

static napi_value Init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"sgemmBatched", NULL, SgemmBatched, NULL, NULL, NULL, napi_default, NULL},
      {"biasActivation", NULL, BiasActivation, NULL, NULL, NULL, napi_default, NULL},
      {"conv2d", NULL, Conv2d, NULL, NULL, NULL, napi_default, NULL},
      {"conv2dBackpropInput", NULL, Conv2dBackpropInput, NULL, NULL, NULL, napi_default, NULL},
      {"conv2dBackpropFilter", NULL, Conv2dBackpropFilter, NULL, NULL, NULL, napi_default, NULL},
      {"maxPool", NULL, MaxPool, NULL, NULL, NULL, napi_default, NULL},
      {"maxPoolGrad", NULL, MaxPoolGrad, NULL, NULL, NULL, napi_default, NULL},
      {"columnSum", NULL, ColumnSum, NULL, NULL, NULL, napi_default, NULL},
      {"reluBackward", NULL, ReluBackward, NULL, NULL, NULL, napi_default, NULL},
      {"setConvPath", NULL, SetConvPath, NULL, NULL, NULL, napi_default, NULL},
      {"optimizerUpdate", NULL, OptimizerUpdate, NULL, NULL, NULL, napi_default, NULL},
      {"distillationLoss", NULL, DistillationLoss, NULL, NULL, NULL, napi_default, NULL},
      {"dropout", NULL, Dropout, NULL, NULL, NULL, napi_default, NULL},
      {"maxNorm", NULL, MaxNorm, NULL, NULL, NULL, napi_default, NULL},
      {"setUpdateThreads", NULL, SetUpdateThreads, NULL, NULL, NULL, napi_default, NULL},
      {"setThreads", NULL, SetThreads, NULL, NULL, NULL, napi_default, NULL},
      {"info", NULL, Info, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
