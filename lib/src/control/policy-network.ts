/**
 * A student policy: an MLP (core/models.ts) from a standardised input vector to two logits (push left,
 * push right), and a frozen copy of it evaluated in plain JavaScript. Rolling out an episode asks for
 * one action per step; a tfjs call per step costs far more than the few hundred multiply-adds of a
 * small MLP, so episodes run on the frozen copy (checked against `Mlp.predict` in the tests).
 */
import * as tf from "@tensorflow/tfjs";
import { Mlp } from "../core/models";

/** Per-feature mean and standard deviation, fitted on training inputs. */
export interface Standardiser {
  mean: number[];
  sd: number[];
}

export function fitStandardiser(rows: ArrayLike<number>[]): Standardiser {
  if (rows.length === 0) throw new Error("fitStandardiser needs at least one row of inputs");
  const d = rows[0].length;
  const mean = new Array<number>(d).fill(0);
  const sq = new Array<number>(d).fill(0);
  rows.forEach((r, i) => {
    if (r.length !== d) throw new Error(`input row ${i} has ${r.length} values, expected ${d} like row 0`);
    for (let j = 0; j < d; j++) {
      if (!Number.isFinite(r[j])) throw new Error(`input row ${i}, column ${j} is ${r[j]}; inputs must be finite`);
      mean[j] += r[j];
    }
  });
  for (let j = 0; j < d; j++) mean[j] /= rows.length;
  for (const r of rows) for (let j = 0; j < d; j++) sq[j] += (r[j] - mean[j]) ** 2;
  // A constant column keeps sd 1 so it maps to 0 instead of dividing by zero.
  const sd = sq.map((s) => Math.sqrt(s / rows.length) || 1);
  return { mean, sd };
}

export function standardise(rows: ArrayLike<number>[], st: Standardiser): Float32Array {
  const d = st.mean.length;
  const out = new Float32Array(rows.length * d);
  rows.forEach((r, i) => {
    if (r.length !== d) throw new Error(`input row ${i} has ${r.length} values, expected ${d}`);
    for (let j = 0; j < d; j++) out[i * d + j] = (r[j] - st.mean[j]) / st.sd[j];
  });
  return out;
}

/** A trained MLP copied out of tfjs: logits for one input in plain JS (float64 arithmetic). */
export interface FrozenMlp {
  inputSize: number;
  logits(input: ArrayLike<number>): number[];
}

export function freezeMlp(net: Mlp, st: Standardiser): FrozenMlp {
  if (st.mean.length !== net.spec.inputSize) throw new Error(`the standardiser has ${st.mean.length} features but the MLP expects ${net.spec.inputSize}`);
  const layers = net.layers.map((l) => ({
    W: Float64Array.from(l.W.dataSync() as Float32Array),
    b: Float64Array.from(l.b.dataSync() as Float32Array),
    fin: l.W.shape[0] as number,
    fout: l.W.shape[1] as number,
    activation: l.activation,
  }));
  const inputSize = net.spec.inputSize;
  return {
    inputSize,
    logits(input: ArrayLike<number>): number[] {
      if (input.length !== inputSize) throw new Error(`the policy expects ${inputSize} inputs, got ${input.length}`);
      let h = Array.from({ length: inputSize }, (_, j) => (input[j] - st.mean[j]) / st.sd[j]);
      for (const L of layers) {
        const z = new Array<number>(L.fout);
        for (let o = 0; o < L.fout; o++) {
          let s = L.b[o];
          for (let i = 0; i < L.fin; i++) s += h[i] * L.W[i * L.fout + o];
          z[o] = L.activation === "relu" ? Math.max(0, s) : L.activation === "tanh" ? Math.tanh(s) : L.activation === "sigmoid" ? 1 / (1 + Math.exp(-s)) : s;
        }
        h = z;
      }
      return h;
    },
  };
}

/** Logits of a tfjs MLP for standardised rows (a reference for the frozen copy). */
export function mlpLogits(net: Mlp, rows: ArrayLike<number>[], st: Standardiser): number[][] {
  return tf.tidy(() => {
    const x = tf.tensor2d(standardise(rows, st), [rows.length, st.mean.length]);
    return net.predict(x).arraySync() as number[][];
  });
}
