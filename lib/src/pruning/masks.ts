/**
 * Pruning masks: which parameters have been deleted, kept at exactly zero through retraining.
 *
 * LeCun, Denker & Solla (1989) delete a parameter by setting it to zero and freezing it there. The
 * trainer (and its optimizer state: momentum velocities, Adam's moment estimates) knows nothing of
 * that, and a deleted weight would drift back: its gradient is generally non-zero, and even with a
 * zero gradient stale momentum or Adam moments keep moving it. Rather than reaching into every
 * optimizer's slots, the mask is multiplied back into the variables after every optimizer step
 * (`trainNetwork`'s `afterStep` hook): whatever the step did to a deleted entry, w·0 is exactly 0.0,
 * so every forward pass, every saliency and every count sees it deleted. (Multiplication, not a
 * conditional write, so kept entries are untouched bit for bit: w·1 = w.)
 */
import * as tf from "@tensorflow/tfjs";
import { LayerParams, PrunableLayer, checkLayers, flattenParams, paramName } from "./dense";

export interface DeleteOptions {
  /** Whether biases may be deleted (the paper counted every free parameter). Default true. */
  includeBiases?: boolean;
}

export class PruningMask {
  /** 1 = kept, 0 = deleted; laid out like the layers. */
  readonly keep: LayerParams;
  private tensors: Array<{ W: tf.Tensor; b: tf.Tensor }> | undefined;
  private readonly shapes: Array<[number, number]>;

  private constructor(shapes: Array<[number, number]>, keep: LayerParams) {
    this.shapes = shapes;
    this.keep = keep;
  }

  /** A mask keeping every parameter of `layers`. */
  static keepAll(layers: PrunableLayer[]): PruningMask {
    const shapes = checkLayers(layers).map((l) => l.W.shape as [number, number]);
    return new PruningMask(shapes, shapes.map(([i, o]) => ({ W: new Float32Array(i * o).fill(1), b: new Float32Array(o).fill(1) })));
  }

  /** A mask that keeps exactly the non-zero parameters of `layers` (e.g. after pruning elsewhere). */
  static fromNonZero(layers: PrunableLayer[]): PruningMask {
    const m = PruningMask.keepAll(layers);
    layers.forEach((l, i) => {
      const w = l.W.dataSync();
      const b = l.b.dataSync();
      m.keep[i].W.forEach((_, k) => (m.keep[i].W[k] = w[k] === 0 ? 0 : 1));
      m.keep[i].b.forEach((_, k) => (m.keep[i].b[k] = b[k] === 0 ? 0 : 1));
    });
    return m;
  }

  total(): number {
    return this.keep.reduce((s, l) => s + l.W.length + l.b.length, 0);
  }

  remaining(): number {
    let n = 0;
    for (const l of this.keep) {
      for (const v of l.W) n += v;
      for (const v of l.b) n += v;
    }
    return n;
  }

  deleted(): number {
    return this.total() - this.remaining();
  }

  /** Flat indices (layer 0 W, layer 0 b, layer 1 W, ...) of the parameters that may still be deleted. */
  candidates(options: DeleteOptions = {}): number[] {
    const includeBiases = options.includeBiases ?? true;
    const out: number[] = [];
    let k = 0;
    for (const l of this.keep) {
      for (let i = 0; i < l.W.length; i++, k++) if (l.W[i] === 1) out.push(k);
      for (let i = 0; i < l.b.length; i++, k++) if (includeBiases && l.b[i] === 1) out.push(k);
    }
    return out;
  }

  /**
   * Delete the `count` kept parameters with the lowest scores (ties broken by position, so the order
   * is deterministic). Returns the flat indices deleted, lowest score first. Does not touch the
   * network: call `apply` to zero them.
   */
  deleteLowest(scores: LayerParams, count: number, options: DeleteOptions = {}): number[] {
    this.checkLayout(scores, "scores");
    const cands = this.candidates(options);
    checkCount(count, cands.length, options);
    const flat = flattenParams(scores);
    for (const k of cands) {
      if (Number.isNaN(flat[k])) throw new Error(`score of parameter #${k} is NaN; the scores (e.g. the Hessian diagonal) are broken, check the training loss is finite.`);
    }
    cands.sort((a, b) => flat[a] - flat[b] || a - b);
    const chosen = cands.slice(0, count);
    for (const k of chosen) this.setFlat(k, 0);
    this.invalidate();
    return chosen;
  }

  /** Delete explicit flat indices (e.g. to measure the effect of one deletion). */
  deleteIndices(indices: number[]): void {
    const total = this.total();
    for (const k of indices) {
      if (!Number.isInteger(k) || k < 0 || k >= total) throw new Error(`parameter index ${k} is out of range; the mask covers ${total} parameters (0..${total - 1}).`);
      this.setFlat(k, 0);
    }
    this.invalidate();
  }

  /** Multiply the mask into the layers' variables: deleted parameters become exactly 0. */
  apply(layers: PrunableLayer[]): void {
    if (layers.length !== this.shapes.length || layers.some((l, i) => l.W.shape[0] !== this.shapes[i][0] || l.W.shape[1] !== this.shapes[i][1])) {
      throw new Error(
        `the mask was made for layers [${this.shapes.map((s) => s.join("x")).join(", ")}] but got [${layers.map((l) => l.W.shape.join("x")).join(", ")}]; ` +
          `build the mask from this network (PruningMask.keepAll(net.layers)).`,
      );
    }
    if (!this.tensors) this.tensors = this.keep.map((m, i) => ({ W: tf.tensor2d(m.W, this.shapes[i]), b: tf.tensor1d(m.b) }));
    const t = this.tensors;
    tf.tidy(() => {
      layers.forEach((l, i) => {
        l.W.assign(tf.mul(l.W, t[i].W));
        l.b.assign(tf.mul(l.b, t[i].b));
      });
    });
  }

  /** Kept parameters that are non-zero plus deleted ones that are (wrongly) non-zero: for checks. */
  violations(layers: PrunableLayer[]): string[] {
    const out: string[] = [];
    let k = 0;
    layers.forEach((l, i) => {
      const w = l.W.dataSync();
      const b = l.b.dataSync();
      for (let j = 0; j < w.length; j++, k++) if (this.keep[i].W[j] === 0 && w[j] !== 0) out.push(`${paramName(layers, k)} = ${w[j]}`);
      for (let j = 0; j < b.length; j++, k++) if (this.keep[i].b[j] === 0 && b[j] !== 0) out.push(`${paramName(layers, k)} = ${b[j]}`);
    });
    return out;
  }

  clone(): PruningMask {
    return new PruningMask(this.shapes.map((s) => [...s] as [number, number]), this.keep.map((l) => ({ W: l.W.slice(), b: l.b.slice() })));
  }

  /** Free the mask's tensors (the arrays stay usable; tensors are rebuilt on the next apply). */
  dispose(): void {
    this.invalidate();
  }

  private invalidate(): void {
    if (this.tensors) for (const t of this.tensors) tf.dispose([t.W, t.b]);
    this.tensors = undefined;
  }

  private setFlat(k: number, v: number): void {
    for (const l of this.keep) {
      if (k < l.W.length) {
        l.W[k] = v;
        return;
      }
      k -= l.W.length;
      if (k < l.b.length) {
        l.b[k] = v;
        return;
      }
      k -= l.b.length;
    }
  }

  private checkLayout(p: LayerParams, what: string): void {
    const ok = p.length === this.keep.length && p.every((l, i) => l.W.length === this.keep[i].W.length && l.b.length === this.keep[i].b.length);
    if (!ok) throw new Error(`${what} are not laid out like the mask (${this.keep.length} layers of ${this.keep.map((l) => `${l.W.length}+${l.b.length}`).join(", ")} parameters); compute them from the same network.`);
  }
}


function checkCount(count: number, available: number, options: DeleteOptions): void {
  if (!Number.isInteger(count) || count < 0) {
    throw new Error(`the number of parameters to delete must be a non-negative integer, got ${count}.`);
  }
  if (count > available) {
    throw new Error(
      `cannot delete ${count} parameters: only ${available} remain deletable` +
        `${options.includeBiases === false ? " (biases excluded)" : ""}. Ask for at most ${available}, or use a fraction.`,
    );
  }
}

/** How many of `remaining` parameters a fraction in [0, 1] means (rounded to the nearest integer). */
export function countFromFraction(fraction: number, remaining: number): number {
  if (!Number.isFinite(fraction) || fraction < 0 || fraction > 1) {
    throw new Error(`a deletion fraction must be in [0, 1], got ${fraction}; use e.g. 0.2 to delete a fifth of the remaining parameters.`);
  }
  return Math.round(fraction * remaining);
}
