/**
 * The binary-weight (Ising) perceptron learning from a binary teacher, by exhaustive enumeration.
 *
 * Seung, Sompolinsky & Tishby (Phys. Rev. A 45, 1992) showed with the replica method that a student with
 * weights W ∈ {−1, +1}^N learning a teacher of the same kind by Gibbs learning (a uniform draw from the
 * version space, the weights that classify every example right) undergoes a first-order transition: at
 * α = P/N ≈ 1.24 the generalisation error jumps from a finite value to zero; the version space collapses
 * onto the teacher alone. That is a statement about N → ∞. At small N every weight vector can be listed, so
 * the version space is known exactly: its size, the Gibbs error (the mean error over it) and whether the
 * teacher is alone in it. The jump is then seen as a rising probability, sharpening as N grows.
 *
 * Enumeration in Gray-code order: consecutive vectors differ in one weight, so the P fields W·x_μ and the
 * overlap W·T are updated in O(P) per vector, 2^N · P operations per training set.
 */
import type { Rng } from "@kdh/datasets";

/** Largest N enumerated (2^N vectors): 2^24 ≈ 1.7e7 per training set is already seconds of work. */
export const ISING_MAX_N = 24;

export interface IsingVersionSpace {
  /** Number of W ∈ {±1}^N with y_μ W·x_μ > 0 for every example (≥ 1: the teacher is always in it). */
  size: number;
  /** Gibbs generalisation error: mean over the version space of arccos(W·T/N)/π (Gaussian inputs). */
  gibbsError: number;
  /** True when the teacher is the only consistent vector (perfect generalisation). */
  teacherAlone: boolean;
}

/** A random ±1 teacher. */
export function isingTeacher(N: number, rng: Rng): Int8Array {
  const t = new Int8Array(N);
  for (let i = 0; i < N; i++) t[i] = rng.next() < 0.5 ? -1 : 1;
  return t;
}

/**
 * The exact version space of an Ising student for examples x [P, N] (row-major) labelled y ∈ {±1} by the
 * Ising teacher T. Labels must be the teacher's (so the teacher is consistent); ties W·x = 0 count as errors
 * (probability zero for Gaussian inputs).
 */
export function isingVersionSpace(x: Float64Array, y: Int8Array, N: number, teacher: Int8Array): IsingVersionSpace {
  if (!Number.isInteger(N) || N < 1 || N > ISING_MAX_N) throw new Error(`isingVersionSpace: N=${N} must be an integer in [1, ${ISING_MAX_N}] (2^N vectors are enumerated).`);
  if (teacher.length !== N) throw new Error(`isingVersionSpace: teacher has ${teacher.length} weights, expected N=${N}.`);
  if (x.length % N !== 0 || x.length / N !== y.length) throw new Error(`isingVersionSpace: ${x.length} inputs do not make ${y.length} examples of N=${N}.`);
  const P = y.length;
  for (let m = 0; m < P; m++) {
    let h = 0;
    for (let i = 0; i < N; i++) h += teacher[i] * x[m * N + i];
    if (!(y[m] * h > 0)) throw new Error(`isingVersionSpace: example ${m} has label ${y[m]} but the teacher's field is ${h}; labels must come from the teacher.`);
  }
  // Start at W = (+1, …, +1).
  const W = new Int8Array(N).fill(1);
  const field = new Float64Array(P);
  for (let m = 0; m < P; m++) {
    let h = 0;
    for (let i = 0; i < N; i++) h += x[m * N + i];
    field[m] = h;
  }
  let ov = 0;
  for (let i = 0; i < N; i++) ov += teacher[i];
  let size = 0;
  let errSum = 0;
  const visit = (): void => {
    for (let m = 0; m < P; m++) if (!(y[m] * field[m] > 0)) return;
    size++;
    errSum += Math.acos(Math.max(-1, Math.min(1, ov / N))) / Math.PI;
  };
  visit();
  const total = 2 ** N;
  for (let k = 1; k < total; k++) {
    // Gray code: the bit that changes between k − 1 and k is the lowest set bit of k.
    let i = 0;
    while (((k >>> i) & 1) === 0) i++;
    W[i] = -W[i];
    const d = 2 * W[i];
    for (let m = 0; m < P; m++) field[m] += d * x[m * N + i];
    ov += d * teacher[i];
    visit();
  }
  return { size, gibbsError: errSum / size, teacherAlone: size === 1 };
}

export interface IsingPoint {
  N: number;
  alpha: number;
  /** Per trial, in trial order. */
  gibbsError: number[];
  teacherAlone: number[];
  size: number[];
}

/**
 * `trials` independent teachers and Gaussian training sets of P = round(αN) examples at each (N, α);
 * each trial's seed is derived from (N, α, trial) by the caller's `rngFor`.
 */
export function isingLearningCurve(Ns: number[], alphas: number[], trials: number, rngFor: (N: number, alpha: number, trial: number) => Rng): IsingPoint[] {
  if (!Number.isInteger(trials) || trials < 1) throw new Error(`isingLearningCurve: trials=${trials} must be a positive integer.`);
  for (const a of alphas) if (!(a > 0 && Number.isFinite(a))) throw new Error(`isingLearningCurve: α=${a} must be a positive number.`);
  const out: IsingPoint[] = [];
  for (const N of Ns) {
    for (const alpha of alphas) {
      const P = Math.max(1, Math.round(alpha * N));
      const pt: IsingPoint = { N, alpha, gibbsError: [], teacherAlone: [], size: [] };
      for (let t = 0; t < trials; t++) {
        const rng = rngFor(N, alpha, t);
        const T = isingTeacher(N, rng);
        const x = new Float64Array(P * N);
        const y = new Int8Array(P);
        for (let m = 0; m < P; m++) {
          let h = 0;
          for (let i = 0; i < N; i++) h += T[i] * (x[m * N + i] = rng.normal());
          y[m] = h > 0 ? 1 : -1;
        }
        const v = isingVersionSpace(x, y, N, T);
        pt.gibbsError.push(v.gibbsError);
        pt.teacherAlone.push(v.teacherAlone ? 1 : 0);
        pt.size.push(v.size);
      }
      out.push(pt);
    }
  }
  return out;
}
