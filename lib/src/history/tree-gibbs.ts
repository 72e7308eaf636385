/**
 * Gibbs learning of tree committee and parity machines at small N: a student drawn (approximately)
 * uniformly from the version space of a same-architecture teacher, to set beside the N → ∞ learning
 * curves of committee-theory.ts (Schwarze & Hertz 1992) and parity-theory.ts (Hansel, Mato & Meunier 1992).
 *
 * Why hit-and-run by branch: for a tree machine the version space {J : every training label reproduced}
 * is not convex, but along a line that moves one branch k while the others stay fixed it is: each
 * example either does not care about branch k's sign (a committee whose other branches already carry the
 * vote) or needs one sign of it (parity: always; a committee: when the others tie), i.e. a half-line in
 * the step size. The chord is therefore one interval, and a uniform point on it is an exact hit-and-run
 * step (Smith 1984) for the uniform measure on "version space ∩ a unit ball per branch". Since the labels
 * depend on each branch's direction only, a uniform point there has uniform directions on the version
 * space: what Gibbs learning at zero temperature draws. The chain needs a start inside the version space
 * (a least-action solution with zero training error, or the teacher), and at finite length it still
 * remembers that start; the learning curve records which start each trial used.
 */
import { deriveSeed, makeRng, type Rng } from "@kdh/datasets";
import { dot, gaussianInputs, machineErrorRate, machineLabels, makeTreeMachine, overlap, trainTreeStudent, type MachineKind, type TreeMachine } from "./perceptron";

/**
 * Probability that a student tree machine disagrees with its teacher on a Gaussian input, given the
 * branch overlaps R_k: branch k's hidden sign flips with probability ε_k = arccos(R_k)/π, independently
 * across branches (disjoint inputs). Parity: ½(1 − Π(1 − 2ε_k)). Committee: enumerate teacher hidden
 * signs and flips (2^K · 2^K terms).
 */
export function treeErrorFromOverlaps(kind: MachineKind, R: number[]): number {
  const eps = R.map((r) => {
    if (!(r >= -1 - 1e-12 && r <= 1 + 1e-12)) throw new Error(`treeErrorFromOverlaps: overlap ${r} is not a cosine in [-1, 1].`);
    return Math.acos(Math.max(-1, Math.min(1, r))) / Math.PI;
  });
  const K = R.length;
  if (kind === "perceptron" || kind === "parity") {
    if (kind === "perceptron" && K !== 1) throw new Error(`a perceptron has one branch, got ${K} overlaps.`);
    return 0.5 * (1 - eps.reduce((p, e) => p * (1 - 2 * e), 1));
  }
  if (kind !== "committee") throw new Error(`unknown machine ${JSON.stringify(kind)}; expected "perceptron", "committee" or "parity".`);
  if (K % 2 === 0 || K > 15) throw new Error(`treeErrorFromOverlaps: a committee needs an odd K ≤ 15, got ${K}.`);
  let err = 0;
  for (let tau = 0; tau < 1 << K; tau++) {
    let tVotes = 0;
    for (let k = 0; k < K; k++) tVotes += tau & (1 << k) ? 1 : -1;
    for (let flips = 0; flips < 1 << K; flips++) {
      let p = 1;
      let sVotes = 0;
      for (let k = 0; k < K; k++) {
        const t = tau & (1 << k) ? 1 : -1;
        const f = flips & (1 << k);
        p *= f ? eps[k] : 1 - eps[k];
        sVotes += f ? -t : t;
      }
      if (Math.sign(tVotes) !== Math.sign(sVotes)) err += p;
    }
  }
  return err / (1 << K);
}

/** Overlap of each student branch with the teacher's corresponding branch. */
export function branchOverlaps(student: TreeMachine, teacher: TreeMachine): number[] {
  if (student.K !== teacher.K || student.N !== teacher.N) throw new Error(`branchOverlaps: student K=${student.K}, N=${student.N} against teacher K=${teacher.K}, N=${teacher.N}; they must match.`);
  const n = student.N / student.K;
  return Array.from({ length: student.K }, (_, k) => overlap(student.weights.subarray(k * n, (k + 1) * n), teacher.weights.subarray(k * n, (k + 1) * n)));
}

const sgn = (h: number) => (h >= 0 ? 1 : -1);

/**
 * Branch-wise hit-and-run inside the version space of a tree machine (see the file header). `start` must
 * reproduce every label of (x, y); returns a new machine after `steps` steps, each moving one random
 * branch along a random direction to a uniform point of the feasible chord.
 */
export function sampleTreeVersionSpace(start: TreeMachine, x: Float64Array, y: Int8Array, steps: number, rng: Rng): TreeMachine {
  const { K, N, kind } = start;
  const n = N / K;
  const P = y.length;
  if (x.length !== P * N) throw new Error(`sampleTreeVersionSpace: x holds ${x.length} numbers, expected P·N = ${P}·${N}.`);
  if (!Number.isInteger(steps) || steps < 0) throw new Error(`sampleTreeVersionSpace: steps=${steps} must be an integer >= 0.`);
  const w = Float64Array.from(start.weights);
  // Each branch into the interior of its unit ball, so chords have room radially as well.
  for (let k = 0; k < K; k++) {
    const b = w.subarray(k * n, (k + 1) * n);
    const norm = Math.sqrt(dot(b, b));
    if (norm === 0) throw new Error(`sampleTreeVersionSpace: branch ${k} of the start is the zero vector; start from a machine with zero training error.`);
    for (let i = 0; i < n; i++) b[i] *= 0.5 / norm;
  }
  const h = new Float64Array(P * K); // hidden fields [P, K]
  const M: TreeMachine = { kind, K, N, weights: w };
  for (let m = 0; m < P; m++) for (let k = 0; k < K; k++) h[m * K + k] = dot(w, x, k * n, m * N + k * n, n);
  const out = machineLabels(M, x);
  for (let m = 0; m < P; m++) {
    if (out[m] !== y[m]) throw new Error(`sampleTreeVersionSpace: the start misclassifies example ${m}; start from a zero-training-error machine (e.g. the teacher, or trainTreeStudent with trainError 0).`);
  }
  const d = new Float64Array(n);
  const c = new Float64Array(P);
  for (let s = 0; s < steps; s++) {
    const k = K === 1 ? 0 : rng.int(K);
    for (let i = 0; i < n; i++) d[i] = rng.normal();
    const dn = Math.sqrt(dot(d, d));
    for (let i = 0; i < n; i++) d[i] /= dn;
    const off = k * n;
    // Ball: |w_k + t d|² ≤ 1  ⇔  t² + 2bt + (|w_k|² − 1) ≤ 0.
    const b = dot(w, d, off, 0, n);
    const cc = dot(w, w, off, off, n) - 1;
    const disc = Math.sqrt(Math.max(0, b * b - cc));
    let lo = -b - disc;
    let hi = -b + disc;
    for (let m = 0; m < P; m++) {
      const cm = dot(d, x, 0, m * N + off, n);
      c[m] = cm;
      // The sign branch k must keep on example m, or 0 when the others decide the output alone.
      let need = 0;
      if (kind === "parity") {
        let prod = y[m];
        for (let j = 0; j < K; j++) if (j !== k) prod *= sgn(h[m * K + j]);
        need = prod;
      } else if (kind === "committee") {
        let others = 0;
        for (let j = 0; j < K; j++) if (j !== k) others += sgn(h[m * K + j]);
        need = others === 0 ? y[m] : 0;
      } else {
        need = y[m];
      }
      if (need === 0) continue;
      const a = need * h[m * K + k]; // > 0 now
      const bm = need * cm; // a + t·bm must stay > 0
      if (bm > 0) lo = Math.max(lo, -a / bm);
      else if (bm < 0) hi = Math.min(hi, -a / bm);
    }
    if (!(hi > lo)) continue;
    const t = lo + (hi - lo) * rng.next();
    for (let i = 0; i < n; i++) w[off + i] += t * d[i];
    for (let m = 0; m < P; m++) h[m * K + k] += t * c[m];
  }
  return M;
}

export interface TreeGibbsPoint {
  kind: MachineKind;
  K: number;
  N: number;
  alpha: number;
  /** Generalisation error of the Gibbs sample per trial, exact from its branch overlaps (no test set needed). */
  errors: number[];
  /** Error of the chain's start per trial (a least-action solution's, or 0 for the teacher). */
  startErrors: number[];
  /** Trials whose chain started at the teacher (all with start "teacher"; else those where least action found no zero-error student). */
  teacherStarts: number;
  mean: number;
  stderr: number;
}

/** Least-action attempts (fresh random starts) before a chain falls back to starting at the teacher. */
const TRAIN_ATTEMPTS = 3;

/**
 * Simulated Gibbs learning curve of a tree machine learning a same-architecture teacher: per α and
 * trial a fresh teacher and P = round(αN) Gaussian examples (seeded per trial, so runs with different
 * `start`s see the same teachers and data), then `stepsPerWeight`·N branch hit-and-run steps; the error
 * of the final sample comes from its branch overlaps.
 * `start: "least-action"` (default) starts each chain from a least-action student (trainTreeStudent,
 * `trainSweeps`, up to 3 random restarts) with zero training error, falling back to the teacher when
 * none is found; `start: "teacher"` always starts at the teacher. The teacher is itself a uniform member
 * of its version space, so both are legitimate starts; where the two disagree the chains have not mixed.
 */
export function treeGibbsLearningCurve(opts: {
  kind: "committee" | "parity";
  K: number;
  N: number;
  alphas: number[];
  trials: number;
  stepsPerWeight: number;
  trainSweeps: number;
  seed: number;
  start?: "least-action" | "teacher";
}): TreeGibbsPoint[] {
  const { kind, K, N, alphas, trials, stepsPerWeight, trainSweeps, seed } = opts;
  const startAt = opts.start ?? "least-action";
  if (startAt !== "least-action" && startAt !== "teacher") throw new Error(`treeGibbsLearningCurve: start=${JSON.stringify(startAt)}; expected "least-action" or "teacher".`);
  if (!Number.isInteger(trials) || trials < 1) throw new Error(`treeGibbsLearningCurve: trials=${trials} must be a positive integer.`);
  if (!Number.isInteger(stepsPerWeight) || stepsPerWeight < 0) throw new Error(`treeGibbsLearningCurve: stepsPerWeight=${stepsPerWeight} must be an integer >= 0.`);
  return alphas.map((alpha) => {
    if (!Number.isFinite(alpha) || alpha <= 0) throw new Error(`treeGibbsLearningCurve: alpha=${alpha} must be a finite number > 0 (examples per weight).`);
    const errors: number[] = [];
    const startErrors: number[] = [];
    let teacherStarts = 0;
    for (let tr = 0; tr < trials; tr++) {
      const trialSeed = deriveSeed(seed, `${kind}-${K}-${N}-alpha${alpha}-trial${tr}`);
      const dataRng = makeRng(trialSeed);
      const T = makeTreeMachine(kind, K, N, dataRng);
      const P = Math.max(1, Math.round(alpha * N));
      const x = gaussianInputs(P, N, dataRng);
      const y = machineLabels(T, x);
      let start: TreeMachine | undefined;
      for (let attempt = 0; startAt === "least-action" && attempt < TRAIN_ATTEMPTS && !start; attempt++) {
        const trained = trainTreeStudent(kind, K, x, y, N, { sweeps: trainSweeps, seed: deriveSeed(trialSeed, `least-action-${attempt}`) });
        if (trained.trainError === 0 && machineErrorRate(trained.student, x, y) === 0) start = trained.student;
      }
      if (!start) {
        start = T;
        teacherStarts++;
      }
      startErrors.push(treeErrorFromOverlaps(kind, branchOverlaps(start, T)));
      const J = sampleTreeVersionSpace(start, x, y, stepsPerWeight * N, makeRng(deriveSeed(trialSeed, "chain")));
      errors.push(treeErrorFromOverlaps(kind, branchOverlaps(J, T)));
    }
    const mean = errors.reduce((a, b) => a + b, 0) / trials;
    const sd = trials > 1 ? Math.sqrt(errors.reduce((a, b) => a + (b - mean) ** 2, 0) / (trials - 1)) : 0;
    return { kind, K, N, alpha, errors, startErrors, teacherStarts, mean, stderr: sd / Math.sqrt(trials) };
  });
}
