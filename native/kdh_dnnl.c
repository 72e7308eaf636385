/*
 * Convolutions through oneDNN (the library PyTorch's CPU convolutions are built on), for the `blas`
 * backend: forward (with bias and activation fused as post-ops), backward data and backward weights,
 * on the caller's NHWC activations and HWIO filters.
 *
 * Why not im2col + sgemm: the patch matrix of a 5x5 convolution is 25x the size of its input, so
 * im2col spends its time writing and re-reading memory, and col2im is single-threaded; oneDNN's direct
 * convolutions are JIT-compiled for the CPU's vector unit, multithreaded, and never build patches.
 *
 * Layouts: activations stay in the caller's NHWC (no copy) unless kdh_dnnl_set_layout_any(1) asks
 * oneDNN to pick its own blocked layout, in which case they are reordered in and out. Filters are
 * always given as `any`: oneDNN picks a blocked layout and we reorder the small HWIO filter to it.
 *
 * Primitive creation costs milliseconds (JIT code generation), so primitives are cached by geometry;
 * a training loop uses the same few shapes over and over. Reorder buffers live in the cache entry, so
 * a step allocates nothing.
 */
#define _POSIX_C_SOURCE 200112L
#include "kdh_conv.h"
#include <dnnl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern void omp_set_num_threads(int n);

static dnnl_engine_t engine;
static dnnl_stream_t stream;
static int layoutAny = 0;
static char lastImpl[128] = "";
static char versionText[96] = "";

/* One tensor argument of a primitive: the caller's layout, the primitive's, and the reorder between. */
typedef struct {
  dnnl_memory_desc_t user, prim;
  dnnl_primitive_t reorder; /* NULL when prim == user */
  void *buf;                /* prim-layout buffer when reordering */
  int isOutput;
  int arg;                  /* DNNL_ARG_* of this tensor in the primitive */
} Slot;

typedef struct {
  int used;
  uint64_t lastUse;
  int kind, hasBias, act, any;
  float alpha;
  ConvGeom g;
  dnnl_primitive_desc_t hint, pd;
  dnnl_primitive_t prim;
  Slot slot[3]; /* a, b, c in kdh_dnnl_conv's order */
} Entry;

#define CACHE_SIZE 24
static Entry cache[CACHE_SIZE];
static uint64_t useClock = 0;

#define CHECK(call, what)                                                                     \
  do {                                                                                        \
    dnnl_status_t st_ = (call);                                                               \
    if (st_ != dnnl_success) {                                                                \
      snprintf(err, errlen, "oneDNN %s failed with status %d", what, (int)st_);               \
      return st_ == dnnl_unimplemented ? KDH_DNNL_UNSUPPORTED : KDH_DNNL_ERROR;               \
    }                                                                                         \
  } while (0)

int kdh_dnnl_init(int threads, char *err, size_t errlen) {
  if (engine) return 0;
  if (dnnl_engine_create(&engine, dnnl_cpu, 0) != dnnl_success) {
    snprintf(err, errlen, "oneDNN could not create a CPU engine");
    engine = NULL;
    return 1;
  }
  if (dnnl_stream_create(&stream, engine, dnnl_stream_default_flags) != dnnl_success) {
    snprintf(err, errlen, "oneDNN could not create a CPU stream");
    dnnl_engine_destroy(engine);
    engine = NULL;
    return 1;
  }
  kdh_dnnl_set_threads(threads);
  const dnnl_version_t *v = dnnl_version();
  snprintf(versionText, sizeof versionText, "oneDNN %d.%d.%d (%s)", v->major, v->minor, v->patch,
           v->cpu_runtime == DNNL_RUNTIME_OMP ? "OpenMP" : v->cpu_runtime == DNNL_RUNTIME_TBB ? "TBB" : "other threading");
  return 0;
}

void kdh_dnnl_set_threads(int threads) {
  if (threads >= 1) omp_set_num_threads(threads);
}

const char *kdh_dnnl_version(void) { return versionText; }
const char *kdh_dnnl_last_impl(void) { return lastImpl; }
void kdh_dnnl_set_layout_any(int any) { layoutAny = any ? 1 : 0; }

static void free_entry(Entry *e) {
  for (int i = 0; i < 3; i++) {
    if (e->slot[i].reorder) dnnl_primitive_destroy(e->slot[i].reorder);
    free(e->slot[i].buf);
  }
  if (e->prim) dnnl_primitive_destroy(e->prim);
  if (e->pd) dnnl_primitive_desc_destroy(e->pd);
  if (e->hint) dnnl_primitive_desc_destroy(e->hint);
  memset(e, 0, sizeof *e);
}

/* oneDNN wants the right padding explicitly; tfjs gives it implicitly through the output size. */
static int right_pad(int64_t in, int64_t k, int64_t s, int64_t d, int64_t padL, int64_t out, int64_t *padR) {
  const int64_t range = (k - 1) * d + 1;
  int64_t r = (out - 1) * s + range - in - padL;
  if (r < 0) r = 0; /* 'valid' with a stride that skips the last rows: floor division covers it */
  if ((in + padL + r - range) < 0 || (in + padL + r - range) / s + 1 != out) return 0;
  *padR = r;
  return 1;
}

static void md_init(dnnl_memory_desc_t *md, int nd, const dnnl_dims_t dims, dnnl_format_tag_t tag) {
  dnnl_memory_desc_init_by_tag(md, nd, dims, dnnl_f32, tag);
}

/* Sets up one slot: a reorder (and its buffer) when the primitive's layout differs from the caller's. */
static int slot_init(Slot *s, const dnnl_memory_desc_t *user, const dnnl_memory_desc_t *prim, int isOutput, int arg,
                     char *err, size_t errlen) {
  s->user = *user;
  s->prim = *prim;
  s->isOutput = isOutput;
  s->arg = arg;
  if (dnnl_memory_desc_equal(user, prim)) return 0;
  dnnl_primitive_desc_t rpd;
  const dnnl_memory_desc_t *from = isOutput ? prim : user, *to = isOutput ? user : prim;
  CHECK(dnnl_reorder_primitive_desc_create(&rpd, from, engine, to, engine, NULL), "reorder setup");
  dnnl_status_t st = dnnl_primitive_create(&s->reorder, rpd);
  dnnl_primitive_desc_destroy(rpd);
  CHECK(st, "reorder creation");
  size_t bytes = dnnl_memory_desc_get_size(prim);
  if (posix_memalign(&s->buf, 64, bytes ? bytes : 64) != 0) {
    snprintf(err, errlen, "out of memory for a %zu-byte oneDNN reorder buffer", bytes);
    return KDH_DNNL_ERROR;
  }
  return 0;
}

static int post_ops_attr(dnnl_primitive_attr_t *attr, int act, float alpha, char *err, size_t errlen) {
  *attr = NULL;
  if (act == ACT_LINEAR) return 0;
  dnnl_alg_kind_t alg;
  float a = 0.0f, b = 0.0f;
  switch (act) {
    case ACT_RELU: alg = dnnl_eltwise_relu; break;
    case ACT_RELU6: alg = dnnl_eltwise_clip_v2; a = 0.0f; b = 6.0f; break;
    case ACT_ELU: alg = dnnl_eltwise_elu; a = 1.0f; break;
    case ACT_SIGMOID: alg = dnnl_eltwise_logistic; break;
    case ACT_LEAKYRELU: alg = dnnl_eltwise_relu; a = alpha; break;
    default: return KDH_DNNL_UNSUPPORTED;
  }
  dnnl_post_ops_t po;
  CHECK(dnnl_post_ops_create(&po), "post-ops");
  dnnl_post_ops_append_eltwise(po, 1.0f, alg, a, b);
  CHECK(dnnl_primitive_attr_create(attr), "attributes");
  dnnl_status_t st = dnnl_primitive_attr_set_post_ops(*attr, po);
  dnnl_post_ops_destroy(po);
  CHECK(st, "post-op attribute");
  return 0;
}

static int build(Entry *e, char *err, size_t errlen) {
  const ConvGeom *g = &e->g;
  int64_t padB, padR;
  if (!right_pad(g->h, g->kh, g->sh, g->dh, g->padT, g->oh, &padB) || !right_pad(g->w, g->kw, g->sw, g->dw, g->padL, g->ow, &padR) ||
      g->padT < 0 || g->padL < 0) {
    snprintf(err, errlen, "padding not expressible in oneDNN");
    return KDH_DNNL_UNSUPPORTED;
  }
  const dnnl_dims_t srcDims = {g->n, g->c, g->h, g->w}, wDims = {g->co, g->c, g->kh, g->kw}, dstDims = {g->n, g->co, g->oh, g->ow},
                    biasDims = {g->co}, strides = {g->sh, g->sw}, dil = {g->dh - 1, g->dw - 1}, padL = {g->padT, g->padL},
                    padRt = {padB, padR};
  dnnl_memory_desc_t srcU, wU, dstU, biasMd, srcA, wA, dstA;
  md_init(&srcU, 4, srcDims, dnnl_nhwc);
  md_init(&wU, 4, wDims, dnnl_hwio);
  md_init(&dstU, 4, dstDims, dnnl_nhwc);
  md_init(&biasMd, 1, biasDims, dnnl_x);
  md_init(&wA, 4, wDims, dnnl_format_tag_any);
  md_init(&srcA, 4, srcDims, e->any ? dnnl_format_tag_any : dnnl_nhwc);
  md_init(&dstA, 4, dstDims, e->any ? dnnl_format_tag_any : dnnl_nhwc);

  dnnl_convolution_desc_t fwd;
  CHECK(dnnl_dilated_convolution_forward_desc_init(&fwd, dnnl_forward_training, dnnl_convolution_direct, &srcA, &wA,
                                                   e->hasBias ? &biasMd : NULL, &dstA, strides, dil, padL, padRt),
        "convolution descriptor");
  dnnl_primitive_attr_t attr = NULL;
  if (e->kind == KDH_CONV_FWD) {
    int r = post_ops_attr(&attr, e->act, e->alpha, err, errlen);
    if (r) return r;
  }
  dnnl_status_t st = dnnl_primitive_desc_create(e->kind == KDH_CONV_FWD ? &e->pd : &e->hint, &fwd, attr, engine, NULL);
  if (attr) dnnl_primitive_attr_destroy(attr);
  CHECK(st, "forward convolution setup");

  int r;
  if (e->kind == KDH_CONV_FWD) {
    if ((r = slot_init(&e->slot[0], &srcU, dnnl_primitive_desc_query_md(e->pd, dnnl_query_src_md, 0), 0, DNNL_ARG_SRC, err, errlen)) ||
        (r = slot_init(&e->slot[1], &wU, dnnl_primitive_desc_query_md(e->pd, dnnl_query_weights_md, 0), 0, DNNL_ARG_WEIGHTS, err, errlen)) ||
        (r = slot_init(&e->slot[2], &dstU, dnnl_primitive_desc_query_md(e->pd, dnnl_query_dst_md, 0), 1, DNNL_ARG_DST, err, errlen)))
      return r;
  } else if (e->kind == KDH_CONV_BWD_DATA) {
    dnnl_convolution_desc_t bd;
    CHECK(dnnl_dilated_convolution_backward_data_desc_init(&bd, dnnl_convolution_direct, &srcA, &wA, &dstA, strides, dil, padL, padRt),
          "backward-data descriptor");
    CHECK(dnnl_primitive_desc_create(&e->pd, &bd, NULL, engine, e->hint), "backward-data setup");
    if ((r = slot_init(&e->slot[0], &dstU, dnnl_primitive_desc_query_md(e->pd, dnnl_query_diff_dst_md, 0), 0, DNNL_ARG_DIFF_DST, err, errlen)) ||
        (r = slot_init(&e->slot[1], &wU, dnnl_primitive_desc_query_md(e->pd, dnnl_query_weights_md, 0), 0, DNNL_ARG_WEIGHTS, err, errlen)) ||
        (r = slot_init(&e->slot[2], &srcU, dnnl_primitive_desc_query_md(e->pd, dnnl_query_diff_src_md, 0), 1, DNNL_ARG_DIFF_SRC, err, errlen)))
      return r;
  } else {
    dnnl_convolution_desc_t bw;
    CHECK(dnnl_dilated_convolution_backward_weights_desc_init(&bw, dnnl_convolution_direct, &srcA, &wA, NULL, &dstA, strides, dil, padL,
                                                              padRt),
          "backward-weights descriptor");
    CHECK(dnnl_primitive_desc_create(&e->pd, &bw, NULL, engine, e->hint), "backward-weights setup");
    if ((r = slot_init(&e->slot[0], &srcU, dnnl_primitive_desc_query_md(e->pd, dnnl_query_src_md, 0), 0, DNNL_ARG_SRC, err, errlen)) ||
        (r = slot_init(&e->slot[1], &dstU, dnnl_primitive_desc_query_md(e->pd, dnnl_query_diff_dst_md, 0), 0, DNNL_ARG_DIFF_DST, err, errlen)) ||
        (r = slot_init(&e->slot[2], &wU, dnnl_primitive_desc_query_md(e->pd, dnnl_query_diff_weights_md, 0), 1, DNNL_ARG_DIFF_WEIGHTS, err,
                       errlen)))
      return r;
  }
  CHECK(dnnl_primitive_create(&e->prim, e->pd), "primitive creation");
  const char *impl = NULL;
  if (dnnl_primitive_desc_query(e->pd, dnnl_query_impl_info_str, 0, &impl) == dnnl_success && impl) {
    snprintf(lastImpl, sizeof lastImpl, "%s", impl);
  }
  return 0;
}

static Entry *lookup(int kind, const ConvGeom *g, int hasBias, int act, float alpha, char *err, size_t errlen, int *status) {
  Entry *victim = &cache[0];
  for (int i = 0; i < CACHE_SIZE; i++) {
    Entry *e = &cache[i];
    if (e->used && e->kind == kind && e->hasBias == hasBias && e->act == act && e->alpha == alpha && e->any == layoutAny &&
        memcmp(&e->g, g, sizeof *g) == 0) {
      e->lastUse = ++useClock;
      *status = 0;
      return e;
    }
    if (!e->used || (victim->used && e->lastUse < victim->lastUse)) victim = e;
  }
  if (victim->used) free_entry(victim);
  victim->kind = kind;
  victim->g = *g;
  victim->hasBias = hasBias;
  victim->act = act;
  victim->alpha = alpha;
  victim->any = layoutAny;
  *status = build(victim, err, errlen);
  if (*status) {
    free_entry(victim);
    return NULL;
  }
  victim->used = 1;
  victim->lastUse = ++useClock;
  return victim;
}

int kdh_dnnl_conv(int kind, const ConvGeom *g, const float *a, const float *b, float *c, const float *bias, int act, float alpha,
                  char *err, size_t errlen) {
  if (!engine) {
    snprintf(err, errlen, "oneDNN is not initialised");
    return KDH_DNNL_ERROR;
  }
  int status;
  Entry *e = lookup(kind, g, bias != NULL, act, alpha, err, errlen, &status);
  if (!e) return status;
  void *ptr[3] = {(void *)a, (void *)b, (void *)c};
  dnnl_memory_t user[3] = {NULL, NULL, NULL}, prim[3] = {NULL, NULL, NULL}, biasMem = NULL;
  dnnl_exec_arg_t args[4];
  int nargs = 0, rc = 0;
  dnnl_status_t st = dnnl_success;
  for (int i = 0; i < 3 && st == dnnl_success; i++) {
    Slot *s = &e->slot[i];
    st = dnnl_memory_create(&user[i], &s->user, engine, ptr[i]);
    if (st == dnnl_success && s->reorder) st = dnnl_memory_create(&prim[i], &s->prim, engine, s->buf);
    if (st == dnnl_success && s->reorder && !s->isOutput) {
      dnnl_exec_arg_t r[2] = {{DNNL_ARG_FROM, user[i]}, {DNNL_ARG_TO, prim[i]}};
      st = dnnl_primitive_execute(s->reorder, stream, 2, r);
    }
    args[nargs].arg = s->arg;
    args[nargs].memory = s->reorder ? prim[i] : user[i];
    nargs++;
  }
  if (st == dnnl_success && bias) {
    dnnl_memory_desc_t bmd;
    const dnnl_dims_t bd = {g->co};
    md_init(&bmd, 1, bd, dnnl_x);
    st = dnnl_memory_create(&biasMem, &bmd, engine, (void *)bias);
    args[nargs].arg = DNNL_ARG_BIAS;
    args[nargs].memory = biasMem;
    nargs++;
  }
  if (st == dnnl_success) st = dnnl_primitive_execute(e->prim, stream, nargs, args);
  if (st == dnnl_success && e->slot[2].reorder) {
    dnnl_exec_arg_t r[2] = {{DNNL_ARG_FROM, prim[2]}, {DNNL_ARG_TO, user[2]}};
    st = dnnl_primitive_execute(e->slot[2].reorder, stream, 2, r);
  }
  if (st == dnnl_success) st = dnnl_stream_wait(stream);
  if (st != dnnl_success) {
    snprintf(err, errlen, "oneDNN convolution (kind %d) failed with status %d", kind, (int)st);
    rc = KDH_DNNL_ERROR;
  }
  for (int i = 0; i < 3; i++) {
    if (user[i]) dnnl_memory_destroy(user[i]);
    if (prim[i]) dnnl_memory_destroy(prim[i]);
  }
  if (biasMem) dnnl_memory_destroy(biasMem);
  return rc;
}
