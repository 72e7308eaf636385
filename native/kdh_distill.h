/*
 * The distillation loss of Hinton, Vinyals & Dean (2015) and its gradients, one pass per row
 * (kdh_distill.c), for the `blas` backend's KdhDistillationLoss kernels
 * (lib/src/core/fused-distillation.ts). Shared by kdh_blas.c's N-API wrapper.
 */
#ifndef KDH_DISTILL_H
#define KDH_DISTILL_H
#include <stdint.h>

typedef struct {
  double T;         /* temperature of both softmaxes in the soft term, > 0 */
  double w;         /* weight of the T^2-scaled soft term in [0, 1]; the hard term gets 1 - w */
  int teacherProbs; /* 0: v holds teacher logits, p = softmax(v / T); 1: v holds p itself */
  int kl;           /* soft term: 0 = cross-entropy -sum p log q, 1 = KL(p || q) */
} KdhDistillParams;

/* Inputs [rows, classes] row-major; outputs that are NULL are not computed. */
typedef struct {
  const float *z;      /* student logits */
  const float *v;      /* teacher logits or probabilities */
  const float *yf;     /* float32 labels, or NULL */
  const int32_t *yi;   /* int32 labels (tf.oneHot's dtype), or NULL; at most one of yf, yi */
  float *dz, *dv, *dy; /* g times the gradient with respect to z, v, y */
} KdhDistillBufs;

/*
 * Returns the loss averaged over the rows (NaN for rows = 0); writes g · dL/d(input) into each output
 * given. `scratch` holds 3 · classes doubles.
 */
double kdh_distillation(const KdhDistillParams *p, const KdhDistillBufs *b, int64_t rows, int64_t classes, double g,
                        double *scratch);

#endif
