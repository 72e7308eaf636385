/**
 * The teacher of Hinton, Vinyals & Dean (2015), section 3, defined once. Notebooks 01–05 all train
 * (or load from the teacher cache) this teacher; its recipe is also part of the cache key, so one
 * definition means one teacher. Full mode is the paper's: 1200-1200 ReLU units, dropout 0.5 on hidden
 * units and 0.2 on inputs, max-norm weights, inputs jittered by up to 2 pixels, on all 60,000 images.
 * Quick mode keeps the recipe's shape at a size that trains in seconds.
 */
import { recipe } from "./types";
import * as R from "./rules";

export const HINTON_TEACHER = recipe({
  quick: {
    source: "fashion",
    trainSize: 2000,
    testSize: 1000,
    imageSize: 14,
    teacherHidden: [256, 256],
    teacherDropout: 0.2,
    teacherInputDropout: 0,
    teacherMaxNorm: 3.5,
    teacherEpochs: 20,
    teacherLr: 0.001,
    jitterPixels: 0,
    batchSize: 128,
    seeds: [0, 1, 2],
  },
  // Full: the paper's teacher and data, but 20 epochs where the paper trained to convergence (its epoch count
  // is not given; dropout nets of Srivastava et al. ran for hundreds). Estimate on 2 idle cores, blas backend:
  // 469 steps per epoch × 19 ms (FACTS.md: 1200-1200 step at batch 128) ≈ 9 s, plus the 2-pixel jitter of each
  // batch (plain JS, about 1 s per epoch) ≈ 10 s per epoch → 20 epochs ≈ 3.5 min, paid once by whichever of
  // 01–05 runs first (the others load it from the teacher cache: same recipe, same key).
  full: { trainSize: 60000, testSize: 10000, imageSize: 28, teacherHidden: [1200, 1200], teacherDropout: 0.5, teacherInputDropout: 0.2, teacherEpochs: 20, jitterPixels: 2 },
  rules: {
    source: R.oneOf("image data set", "fashion", "digits"),
    trainSize: R.size("training images", 60000),
    testSize: R.size("test images", 10000),
    imageSize: R.oneOf("image side in pixels after downsampling", 7, 14, 28),
    teacherHidden: R.sizes("teacher hidden units per layer"),
    teacherDropout: R.share("teacher dropout on hidden units"),
    teacherInputDropout: R.share("teacher dropout on inputs"),
    teacherMaxNorm: { min: 0.1, max: 100, what: "teacher max-norm bound on incoming weight vectors" },
    teacherEpochs: R.epochs("teacher epochs"),
    teacherLr: R.learningRate("teacher learning rate (Adam)"),
    jitterPixels: { integer: true, min: 0, max: 4, what: "teacher input jitter in pixels" },
    batchSize: R.size("batch size", 60000),
    seeds: R.seeds("seeds (the first also picks the teacher)"),
  },
});

/** The teacher recipe's parameters, as every notebook 01–05 resolves them. */
export type HintonTeacherParams = typeof HINTON_TEACHER.quick;

/** Extend the teacher recipe with a notebook's own parameters (quick, full changes, rules). */
export function withHintonTeacher<T extends object>(own: { quick: T; full?: Partial<T>; rules: import("../core/config").ParamRules<T> }) {
  return recipe<HintonTeacherParams & T>({
    quick: { ...HINTON_TEACHER.quick, ...own.quick },
    full: { ...HINTON_TEACHER.full, ...(own.full ?? {}) } as Partial<HintonTeacherParams & T>,
    rules: { ...HINTON_TEACHER.rules, ...own.rules } as import("../core/config").ParamRules<HintonTeacherParams & T>,
  });
}
