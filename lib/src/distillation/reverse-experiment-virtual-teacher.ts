/**
 * Yuan et al.'s (2020) teacher-free distillation ("Tf-KD", the regularisation form): a hand-designed
 * "virtual teacher" whose distribution puts probability `correctProb` on the true class and spreads the
 * rest uniformly over the other K − 1 classes. It knows nothing about which classes resemble which.
 *
 * Here it is a Predictor for one fixed transfer set: predict(x) must be called on exactly the inputs whose
 * labels it was built with, in the same order (distillInto computes its targets once, on data.x), and it
 * returns the logits log p^d, so the distillation loss at temperature T sees p^d^(1/T), renormalised
 * (exactly p^d at T = 1).
 */
import * as tf from "@tensorflow/tfjs";
import type { Predictor } from "./teachers";

export class VirtualTeacher implements Predictor {
  readonly logits: Float32Array;

  constructor(readonly labels: ArrayLike<number>, readonly classes: number, readonly correctProb: number) {
    if (!Number.isInteger(classes) || classes < 2) throw new Error(`VirtualTeacher: classes=${classes} must be an integer ≥ 2.`);
    if (!(correctProb > 1 / classes && correctProb < 1)) throw new Error(`VirtualTeacher: correctProb=${correctProb} must be in (1/${classes}, 1): above the uniform share and below certainty (Yuan et al. use 0.9 or more).`);
    if (labels.length === 0) throw new Error("VirtualTeacher: no labels; give the labels of the transfer set.");
    const hi = Math.log(correctProb), lo = Math.log((1 - correctProb) / (classes - 1));
    this.logits = new Float32Array(labels.length * classes).fill(lo);
    for (let i = 0; i < labels.length; i++) {
      const y = labels[i];
      if (!Number.isInteger(y) || y < 0 || y >= classes) throw new Error(`VirtualTeacher: label ${i} is ${y}, expected an integer in [0, ${classes - 1}].`);
      this.logits[i * classes + y] = hi;
    }
  }

  predict(x: tf.Tensor): tf.Tensor2D {
    if (x.shape[0] !== this.labels.length) throw new Error(`VirtualTeacher: asked for ${x.shape[0]} rows but built for ${this.labels.length} labelled inputs; it can only label the transfer set it was built with.`);
    return tf.tensor2d(this.logits, [this.labels.length, this.classes]);
  }
}
