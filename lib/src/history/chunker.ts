/**
 * The chunker and the automatizer: history compression and its collapse into one net.
 *
 * J. Schmidhuber, "Neural sequence chunkers" (TR FKI-148-91, 1991) and "Learning complex, extended
 * sequences using the principle of history compression" (Neural Computation 4(2), 1992).
 *
 * A low-level recurrent net, the *automatizer* A, predicts its next input. Only the inputs it fails to
 * predict carry new information, so only those are passed up to a high-level recurrent net, the
 * *chunker* C, which therefore sees a much shorter sequence: a 20-step time lag in the raw input can be
 * a 1-step lag for C. Then A is additionally trained to predict C's hidden state at every step. Because
 * that target is present at every step (not only 20 steps later), A learns to carry the information
 * with short credit-assignment paths, and once A predicts what it used to be surprised by, nothing is
 * passed up any more: the chunker is obsolete and one network remains. This is the first
 * distillation of one network's knowledge into another (Schmidhuber 1991 calls it "collapsing").
 *
 * The nets are tiny tanh RNNs unrolled with tf ops and trained by backpropagation through time. This
 * file holds the nets and the surprise / compression / state-target machinery; the experiment, in which
 * both nets learn together online, is in chunker-online.ts.
 */
import * as tf from "@tensorflow/tfjs";
import { deriveSeed, makeRng } from "@kdh/datasets";

/** h_t = tanh(x_t Wx + h_{t-1} Wh + b); logits_t = h_t Wo + bo; optional state head s_t = h_t Ws + bs. */
export interface TinyRnnSpec {
  inputSize: number;
  hidden: number;
  outputSize: number;
  /** Size of an extra linear output head (used by A to predict C's hidden state); 0 for none. */
  stateHeadSize?: number;
  seed: number;
}

export interface RnnOutputs {
  logits: tf.Tensor3D; // [batch, time, outputSize]
  hidden: tf.Tensor3D; // [batch, time, hidden]
  stateHead?: tf.Tensor3D; // [batch, time, stateHeadSize]
}

function positiveInt(v: number, what: string): number {
  if (!Number.isInteger(v) || v < 1) throw new Error(`${what}=${v} must be a positive integer.`);
  return v;
}

function initMatrix(rows: number, cols: number, scale: number, seed: number): tf.Variable {
  const rng = makeRng(seed);
  const a = new Float32Array(rows * cols);
  for (let i = 0; i < a.length; i++) a[i] = rng.normal() * scale;
  // tidy: tf.variable copies its initial value, which would otherwise stay allocated.
  return tf.tidy(() => tf.variable(tf.tensor2d(a, [rows, cols])));
}

export class TinyRnn {
  readonly spec: Required<TinyRnnSpec>;
  readonly Wx: tf.Variable;
  readonly Wh: tf.Variable;
  readonly b: tf.Variable;
  readonly Wo: tf.Variable;
  readonly bo: tf.Variable;
  readonly Ws?: tf.Variable;
  readonly bs?: tf.Variable;

  constructor(spec: TinyRnnSpec) {
    const s = { stateHeadSize: 0, ...spec };
    positiveInt(s.inputSize, "inputSize");
    positiveInt(s.hidden, "hidden");
    positiveInt(s.outputSize, "outputSize");
    if (!Number.isInteger(s.stateHeadSize) || s.stateHeadSize < 0) throw new Error(`stateHeadSize=${s.stateHeadSize} must be an integer >= 0.`);
    this.spec = s;
    const H = s.hidden;
    // Glorot-like scales; Wh at 1/sqrt(H) keeps the recurrent map near the edge of stability, the usual start.
    this.Wx = initMatrix(s.inputSize, H, 1 / Math.sqrt(s.inputSize), deriveSeed(s.seed, "Wx"));
    this.Wh = initMatrix(H, H, 1 / Math.sqrt(H), deriveSeed(s.seed, "Wh"));
    this.b = tf.tidy(() => tf.variable(tf.zeros([H])));
    this.Wo = initMatrix(H, s.outputSize, 1 / Math.sqrt(H), deriveSeed(s.seed, "Wo"));
    this.bo = tf.tidy(() => tf.variable(tf.zeros([s.outputSize])));
    if (s.stateHeadSize > 0) {
      this.Ws = initMatrix(H, s.stateHeadSize, 1 / Math.sqrt(H), deriveSeed(s.seed, "Ws"));
      this.bs = tf.tidy(() => tf.variable(tf.zeros([s.stateHeadSize])));
    }
  }

  get variables(): tf.Variable[] {
    return [this.Wx, this.Wh, this.b, this.Wo, this.bo, ...(this.Ws ? [this.Ws, this.bs!] : [])];
  }

  /** Unroll over x [batch, time, inputSize] from a zero state. Call inside tf.tidy or dispose the outputs. */
  run(x: tf.Tensor3D): RnnOutputs {
    const [B, T, V] = x.shape;
    if (V !== this.spec.inputSize) throw new Error(`TinyRnn.run: input has ${V} features per step, the net expects ${this.spec.inputSize}.`);
    const steps = tf.unstack(x, 1) as tf.Tensor2D[];
    let h: tf.Tensor2D = tf.zeros([B, this.spec.hidden]);
    const hs: tf.Tensor2D[] = [];
    for (let t = 0; t < T; t++) {
      h = tf.tanh(tf.add(tf.add(tf.matMul(steps[t], this.Wx), tf.matMul(h, this.Wh)), this.b)) as tf.Tensor2D;
      hs.push(h);
    }
    const hidden = tf.stack(hs, 1) as tf.Tensor3D; // [B, T, H]
    const flat = hidden.reshape([B * T, this.spec.hidden]);
    const logits = tf.add(tf.matMul(flat, this.Wo), this.bo).reshape([B, T, this.spec.outputSize]) as tf.Tensor3D;
    const out: RnnOutputs = { logits, hidden };
    if (this.Ws) out.stateHead = tf.add(tf.matMul(flat, this.Ws), this.bs!).reshape([B, T, this.spec.stateHeadSize]) as tf.Tensor3D;
    return out;
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}

/** One-hot [n, length, alphabet] from symbol indices [n*length]. */
export function oneHotSequences(symbols: Int32Array, n: number, length: number, alphabet: number): tf.Tensor3D {
  if (symbols.length !== n * length) throw new Error(`oneHotSequences: ${symbols.length} symbols is not n*length = ${n}*${length}.`);
  for (let i = 0; i < symbols.length; i++) {
    if (!(symbols[i] >= 0 && symbols[i] < alphabet)) throw new Error(`oneHotSequences: symbol ${symbols[i]} at ${i} is outside [0, ${alphabet}).`);
  }
  return tf.tidy(() => tf.oneHot(tf.tensor1d(symbols, "int32"), alphabet).reshape([n, length, alphabet]) as tf.Tensor3D);
}

/**
 * Mean cross-entropy of next-symbol prediction: logits at step t predict the symbol at t+1.
 * `mask` [batch, time-1] (1 = counts) lets the chunker ignore the padding of its shorter sequences.
 */
export function nextSymbolLoss(logits: tf.Tensor3D, onehot: tf.Tensor3D, mask?: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const [B, T, V] = logits.shape;
    const pred = logits.slice([0, 0, 0], [B, T - 1, V]);
    const target = onehot.slice([0, 1, 0], [B, T - 1, V]);
    const nll = tf.neg(tf.sum(tf.mul(target, tf.logSoftmax(pred)), -1)); // [B, T-1]
    if (!mask) return tf.mean(nll) as tf.Scalar;
    return tf.div(tf.sum(tf.mul(nll, mask)), tf.maximum(tf.sum(mask), 1)) as tf.Scalar;
  });
}

/** p(actual next symbol) per step, [n][length-1], from a net's logits. */
function nextSymbolProbs(net: TinyRnn, x: tf.Tensor3D): { pActual: Float32Array; pMax: Float32Array; argmax: Int32Array } {
  const [B, T, V] = x.shape;
  const [pa, pm, am] = tf.tidy(() => {
    const probs = tf.softmax(net.run(x).logits.slice([0, 0, 0], [B, T - 1, V]));
    const target = x.slice([0, 1, 0], [B, T - 1, V]);
    return [tf.sum(tf.mul(probs, target), -1), tf.max(probs, -1), tf.argMax(probs, -1)];
  });
  const out = { pActual: pa.dataSync() as Float32Array, pMax: pm.dataSync() as Float32Array, argmax: am.dataSync() as Int32Array };
  tf.dispose([pa, pm, am]);
  return out;
}

/**
 * Surprises: for each sequence, the time steps whose symbol A did not predict with probability ≥
 * `threshold`. Step 0 always counts (nothing precedes it). These are the chunker's inputs.
 */
export function findSurprises(automatizer: TinyRnn, x: tf.Tensor3D, threshold: number): number[][] {
  if (!(threshold > 0 && threshold < 1)) throw new Error(`surprise threshold=${threshold} must be in (0, 1).`);
  const [B, T] = x.shape;
  const { pActual } = nextSymbolProbs(automatizer, x);
  const events: number[][] = [];
  for (let i = 0; i < B; i++) {
    const e = [0];
    for (let t = 1; t < T; t++) if (pActual[i * (T - 1) + t - 1] < threshold) e.push(t);
    events.push(e);
  }
  return events;
}

/** The chunker's input: each sequence's surprising symbols, left-aligned and zero-padded, with a mask. */
export function compressSequences(symbols: Int32Array, n: number, length: number, events: number[][]): { symbols: Int32Array; length: number; mask: Float32Array } {
  const L = Math.max(2, ...events.map((e) => e.length));
  const out = new Int32Array(n * L);
  const mask = new Float32Array(n * (L - 1)); // mask on predictions t -> t+1
  for (let i = 0; i < n; i++) {
    events[i].forEach((t, k) => (out[i * L + k] = symbols[i * length + t]));
    for (let k = 0; k + 1 < events[i].length; k++) mask[i * (L - 1) + k] = 1;
  }
  return { symbols: out, length: L, mask };
}

/**
 * The automatizer's extra target: at every raw step t, the chunker's hidden state after the last
 * surprise at or before t. [n, length, chunkerHidden].
 */
export function chunkerStateTargets(chunker: TinyRnn, compressed: tf.Tensor3D, events: number[][], length: number): tf.Tensor3D {
  const [n, L] = compressed.shape;
  const H = chunker.spec.hidden;
  const hid = tf.tidy(() => chunker.run(compressed).hidden);
  const h = hid.dataSync();
  hid.dispose();
  const out = new Float32Array(n * length * H);
  for (let i = 0; i < n; i++) {
    let k = -1;
    for (let t = 0; t < length; t++) {
      while (k + 1 < events[i].length && events[i][k + 1] <= t) k++;
      if (k >= 0) out.set(h.subarray((i * L + k) * H, (i * L + k + 1) * H), (i * length + t) * H);
    }
  }
  return tf.tensor3d(out, [n, length, H]);
}

/** Accuracy of net's argmax on the final symbol, and the mean next-symbol loss. */
export function finalAccuracy(net: TinyRnn, x: tf.Tensor3D): { acc: number; loss: number } {
  const [B, T] = x.shape;
  const { argmax } = nextSymbolProbs(net, x);
  const target = tf.tidy(() => tf.argMax(x, -1));
  const tgt = target.dataSync();
  target.dispose();
  let ok = 0;
  for (let i = 0; i < B; i++) if (argmax[i * (T - 1) + T - 2] === tgt[i * T + T - 1]) ok++;
  const l = tf.tidy(() => nextSymbolLoss(net.run(x).logits, x));
  const loss = l.dataSync()[0];
  l.dispose();
  return { acc: ok / B, loss };
}

/**
 * The two-net system's final-symbol accuracy: A's prediction where A is confident, otherwise the
 * chunker's prediction of the next surprise, made from the surprises seen so far.
 */
export function systemFinalAccuracy(A: TinyRnn, C: TinyRnn, symbols: Int32Array, x: tf.Tensor3D, threshold: number, alphabet: number): number {
  const [B, T] = x.shape;
  const { pMax, argmax } = nextSymbolProbs(A, x);
  // Surprises strictly before the final step: what C has seen when the final symbol is due.
  const events = findSurprises(A, x, threshold).map((e) => e.filter((t) => t < T - 1));
  const comp = compressSequences(symbols, B, T, events);
  const cx = oneHotSequences(comp.symbols, B, comp.length, alphabet);
  const cl = tf.tidy(() => tf.argMax(C.run(cx).logits, -1));
  const cpred = cl.dataSync();
  tf.dispose([cx, cl]);
  let ok = 0;
  for (let i = 0; i < B; i++) {
    const k = i * (T - 1) + T - 2;
    const pred = pMax[k] >= threshold ? argmax[k] : cpred[i * comp.length + events[i].length - 1];
    if (pred === symbols[i * T + T - 1]) ok++;
  }
  return ok / B;
}
