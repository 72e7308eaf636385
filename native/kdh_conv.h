/*
 * Convolution and pooling geometry shared by the im2col path (kdh_blas.c) and the oneDNN path (kdh_dnnl.c).
 * NHWC activations [n,h,w,c], HWIO filters [kh,kw,c,co] as TensorFlow.js lays them out.
 */
#ifndef KDH_CONV_H
#define KDH_CONV_H
#include <stddef.h>
#include <stdint.h>

typedef struct {
  int64_t n, h, w, c, kh, kw, sh, sw, dh, dw, padT, padL, oh, ow, co;
} ConvGeom;

/* Pooling window geometry, same conventions (dilations dh, dw are tfjs's, 1 = dense). */
typedef struct {
  int64_t n, h, w, c, fh, fw, sh, sw, dh, dw, padT, padL, oh, ow;
} PoolGeom;

void kdh_max_pool(const float *x, const PoolGeom *g, float *y);
void kdh_max_pool_grad(const float *restrict dy, const float *restrict x, const PoolGeom *g, float *restrict dx, float *restrict best,
                       int32_t *restrict pos);
void kdh_column_sum(const float *x, int64_t rows, int64_t cols, float *out, double *acc);
void kdh_relu_backward(const float *restrict dy, const float *restrict y, int64_t rows, int64_t cols, float *restrict dz,
                       float *restrict db, double *restrict acc);

enum { KDH_CONV_FWD = 0, KDH_CONV_BWD_DATA = 1, KDH_CONV_BWD_WEIGHTS = 2 };

/* Activation codes shared with blas-backend.ts (FUSED_ACTIVATIONS there). */
enum { ACT_LINEAR = 0, ACT_RELU = 1, ACT_RELU6 = 2, ACT_ELU = 3, ACT_SIGMOID = 4, ACT_LEAKYRELU = 5, ACT_PRELU = 6 };

/* Results of kdh_dnnl_conv. */
enum { KDH_DNNL_OK = 0, KDH_DNNL_UNSUPPORTED = 1, KDH_DNNL_ERROR = 2 };

#ifdef KDH_WITH_DNNL
/* Creates the CPU engine and stream; 0 on success, else writes why into err. */
int kdh_dnnl_init(int threads, char *err, size_t errlen);
/* OpenMP threads oneDNN may use (it is built with OpenMP in Debian). */
void kdh_dnnl_set_threads(int threads);
/* "oneDNN 2.6.3 (OpenMP)". */
const char *kdh_dnnl_version(void);
/*
 * One convolution on caller-owned NHWC / HWIO buffers:
 *   KDH_CONV_FWD:          a = x,  b = filter, c = y   (bias may be NULL; act is applied after it)
 *   KDH_CONV_BWD_DATA:     a = dy, b = filter, c = dx
 *   KDH_CONV_BWD_WEIGHTS:  a = x,  b = dy,     c = dw
 * Returns KDH_DNNL_UNSUPPORTED for what oneDNN cannot express (the caller then uses im2col), or
 * KDH_DNNL_ERROR with a message in err.
 */
int kdh_dnnl_conv(int kind, const ConvGeom *g, const float *a, const float *b, float *c, const float *bias, int act,
                  float alpha, char *err, size_t errlen);
/* The implementation oneDNN chose for the last primitive created (e.g. "brg:avx512_core"), for tests. */
const char *kdh_dnnl_last_impl(void);
/* 1: activations in oneDNN's own blocked layout with reorders; 0: NHWC used directly (default). */
void kdh_dnnl_set_layout_any(int any);
#endif

#endif
