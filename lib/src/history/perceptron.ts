/**
 * Teacher–student perceptrons: the statistical mechanics of learning from examples (1989–1992).
 *
 * Gardner & Derrida (1989), Seung, Sompolinsky & Tishby, "Statistical mechanics of learning from
 * examples" (Phys. Rev. A 45, 1992), Watkin, Rau & Biehl, "The statistical mechanics of learning a
 * rule" (Rev. Mod. Phys. 65, 1993); formulas as in Engel & Van den Broeck, "Statistical Mechanics of
 * Learning" (CUP 2001), chapters 2, 7 and 9.
 *
 * A teacher perceptron T ∈ R^N labels Gaussian inputs x with y = sign(T·x); a student J learns from
 * P = αN of them. For Gaussian inputs the probability that student and teacher disagree on a fresh
 * input depends only on the angle between them: ε = arccos(R)/π with R = J·T/(|J||T|). So a learning
 * curve ε(α) is a curve R(α), and the theory predicts it in the limit N → ∞.
 *
 * Everything here is plain Float64Array arithmetic: the nets are single vectors, and N of a few hundred
 * is far below the size where tensors would pay for their overhead.
 */
import { makeRng, type Rng } from "@kdh/datasets";

// ---------------------------------------------------------------------------------------------
// Theory
// ---------------------------------------------------------------------------------------------

function checkOverlap(R: number): void {
  if (!(R >= -1 - 1e-12 && R <= 1 + 1e-12)) {
    throw new Error(`overlap R=${R} is not a cosine; expected a number in [-1, 1] (normalise J·T by |J||T|).`);
  }
}

function checkAlpha(alpha: number, fn: string): void {
  if (!Number.isFinite(alpha) || alpha < 0) {
    throw new Error(`${fn}: alpha=${alpha} must be a finite number >= 0 (alpha = P/N, examples per weight).`);
  }
}

/** Generalization error of a perceptron student at normalised overlap R with its teacher: arccos(R)/π. */
export function overlapToError(R: number): number {
  checkOverlap(R);
  return Math.acos(Math.max(-1, Math.min(1, R))) / Math.PI;
}

/**
 * Hebbian learning J = Σ_μ y_μ x_μ: R(α) = sqrt(2α / (2α + π)) (Vallet 1989; Engel & Van den Broeck
 * eq. 2.26). Why: J·T/N grows like α·E|u| = α·sqrt(2/π) while |J|²/N = α + α²·2/π.
 */
export function hebbianOverlap(alpha: number): number {
  checkAlpha(alpha, "hebbianOverlap");
  return Math.sqrt((2 * alpha) / (2 * alpha + Math.PI));
}

/** Complementary error function; rational Chebyshev fit (Numerical Recipes' erfcc), relative error < 1.2e-7. */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** H(x) = ∫_x^∞ Dt, the Gaussian tail (Dt = exp(-t²/2)/sqrt(2π) dt). */
export function gaussianTail(x: number): number {
  return 0.5 * erfc(x / Math.SQRT2);
}

/** (α/π) ∫ Dt exp(-R t²/2) / H(-sqrt(R) t), Simpson's rule on [-12, 12]. */
function gibbsRhs(R: number, alpha: number): number {
  const n = 2400;
  const a = -12;
  const h = 24 / n;
  const sR = Math.sqrt(R);
  let s = 0;
  for (let i = 0; i <= n; i++) {
    const t = a + i * h;
    const w = i === 0 || i === n ? 1 : i % 2 === 1 ? 4 : 2;
    const Ht = gaussianTail(-sR * t);
    s += (w * Math.exp(-0.5 * t * t * (1 + R))) / Ht;
  }
  return ((alpha / Math.PI) * (s * h)) / 3 / Math.sqrt(2 * Math.PI);
}

/**
 * Gibbs learning (a student drawn uniformly from the version space, i.e. zero training error, zero
 * temperature): the replica-symmetric saddle point R / sqrt(1-R) = (α/π) ∫ Dt exp(-Rt²/2) / H(-sqrt(R) t)
 * (Engel & Van den Broeck eq. 2.42; Györgyi & Tishby 1990). Large α: ε ≈ 0.625/α.
 * Solved by bisection: the left side rises from 0 to ∞ on [0, 1) faster than the right side.
 */
export function gibbsOverlap(alpha: number): number {
  checkAlpha(alpha, "gibbsOverlap");
  if (alpha === 0) return 0;
  let lo = 0;
  let hi = 1 - 1e-15;
  for (let it = 0; it < 80; it++) {
    const R = 0.5 * (lo + hi);
    if (R / Math.sqrt(1 - R) < gibbsRhs(R, alpha)) lo = R;
    else hi = R;
  }
  return 0.5 * (lo + hi);
}

/**
 * Online perceptron rule (each example seen once, update J += y x/sqrt(N) when y·J·x ≤ 0), in the
 * thermodynamic limit. With ρ = J·T/N, Q = J·J/N, R = ρ/sqrt(Q), averaging the update over Gaussian
 * inputs gives (our derivation, cf. Engel & Van den Broeck ch. 9):
 *   dρ/dα = (1-R)/sqrt(2π),   dQ/dα = -2 sqrt(Q) (1-R)/sqrt(2π) + arccos(R)/π.
 * The learning rate only rescales J, so it drops out of R. Integrated with RK4 from a Hebbian start at
 * tiny α (at first every example is an error, so the rule is Hebb's). Returns R at each requested α.
 */
export function onlinePerceptronOverlap(alphas: number[]): number[] {
  for (const a of alphas) checkAlpha(a, "onlinePerceptronOverlap");
  const order = alphas.map((a, i) => [a, i] as const).sort((p, q) => p[0] - q[0]);
  const out = new Array<number>(alphas.length);
  const a0 = 1e-4;
  let rho = a0 * Math.sqrt(2 / Math.PI);
  let Q = a0 + a0 * a0 * (2 / Math.PI);
  let alpha = a0;
  const c = 1 / Math.sqrt(2 * Math.PI);
  const f = (r: number, q: number): [number, number] => {
    const R = Math.min(1, r / Math.sqrt(q));
    return [c * (1 - R), -2 * Math.sqrt(q) * c * (1 - R) + Math.acos(R) / Math.PI];
  };
  const dt = 1e-3;
  for (const [target, idx] of order) {
    if (target <= a0) {
      out[idx] = target === 0 ? 0 : rho / Math.sqrt(Q);
      continue;
    }
    while (alpha < target - 1e-12) {
      const h = Math.min(dt * Math.max(1, alpha), target - alpha);
      const k1 = f(rho, Q);
      const k2 = f(rho + (h / 2) * k1[0], Q + (h / 2) * k1[1]);
      const k3 = f(rho + (h / 2) * k2[0], Q + (h / 2) * k2[1]);
      const k4 = f(rho + h * k3[0], Q + h * k3[1]);
      rho += (h / 6) * (k1[0] + 2 * k2[0] + 2 * k3[0] + k4[0]);
      Q += (h / 6) * (k1[1] + 2 * k2[1] + 2 * k3[1] + k4[1]);
      alpha += h;
    }
    out[idx] = rho / Math.sqrt(Q);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Simulation
// ---------------------------------------------------------------------------------------------

function checkSize(N: number, what: string): void {
  if (!Number.isInteger(N) || N < 1) throw new Error(`${what}=${N} must be a positive integer.`);
}

export function dot(a: Float64Array, b: Float64Array, aOff = 0, bOff = 0, n = a.length - aOff): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[aOff + i] * b[bOff + i];
  return s;
}

/** Normalised overlap R = a·b/(|a||b|); 0 when either vector is zero (a student that has learnt nothing). */
export function overlap(a: Float64Array, b: Float64Array): number {
  if (a.length !== b.length) throw new Error(`overlap: vectors of length ${a.length} and ${b.length}; they must match.`);
  const na = Math.sqrt(dot(a, a));
  const nb = Math.sqrt(dot(b, b));
  if (na === 0 || nb === 0) return 0;
  return Math.max(-1, Math.min(1, dot(a, b) / (na * nb)));
}

/** A random direction in R^N with |v|² = N (the teacher's normalisation in the theory). */
export function randomTeacher(N: number, rng: Rng): Float64Array {
  checkSize(N, "N");
  const v = new Float64Array(N);
  for (let i = 0; i < N; i++) v[i] = rng.normal();
  const s = Math.sqrt(N / dot(v, v));
  for (let i = 0; i < N; i++) v[i] *= s;
  return v;
}

/** P Gaussian inputs, row-major [P, N], each entry N(0, 1). */
export function gaussianInputs(P: number, N: number, rng: Rng): Float64Array {
  checkSize(N, "N");
  if (!Number.isInteger(P) || P < 0) throw new Error(`P=${P} must be an integer >= 0 (number of examples).`);
  const x = new Float64Array(P * N);
  for (let i = 0; i < x.length; i++) x[i] = rng.normal();
  return x;
}

/** Labels y_μ = sign(T·x_μ) ∈ {-1, +1} (ties, of probability zero, go to +1). */
export function perceptronLabels(T: Float64Array, x: Float64Array): Int8Array {
  const N = T.length;
  const P = x.length / N;
  const y = new Int8Array(P);
  for (let m = 0; m < P; m++) y[m] = dot(T, x, 0, m * N, N) >= 0 ? 1 : -1;
  return y;
}

/**
 * Online learning curve: present examples one at a time, each once, and record R after each checkpoint
 * count of examples. Rules: "hebb" adds every example; "perceptron" adds only misclassified ones
 * (y·J·x ≤ 0, so the zero start counts as an error).
 */
export function onlineLearningCurve(
  rule: "hebb" | "perceptron",
  T: Float64Array,
  x: Float64Array,
  y: Int8Array,
  checkpoints: number[],
): number[] {
  const N = T.length;
  const P = y.length;
  for (const c of checkpoints) {
    if (!Number.isInteger(c) || c < 0 || c > P) throw new Error(`checkpoint ${c} must be an integer in [0, ${P}] (examples seen).`);
  }
  if (rule !== "hebb" && rule !== "perceptron") throw new Error(`unknown online rule ${JSON.stringify(rule)}; expected "hebb" or "perceptron".`);
  const J = new Float64Array(N);
  const sorted = [...checkpoints].sort((a, b) => a - b);
  const at = new Map<number, number>();
  let next = 0;
  for (let m = 0; m <= P; m++) {
    while (next < sorted.length && sorted[next] === m) at.set(sorted[next++], overlap(J, T));
    if (m === P) break;
    const off = m * N;
    if (rule === "perceptron" && y[m] * dot(J, x, 0, off, N) > 0) continue;
    for (let i = 0; i < N; i++) J[i] += y[m] * x[off + i];
  }
  return checkpoints.map((c) => at.get(c)!);
}

/**
 * Batch perceptron rule: sweep the training set until every example is on the right side (or
 * maxSweeps). Returns a weight vector in the version space when it converged.
 */
export function trainBatchPerceptron(x: Float64Array, y: Int8Array, N: number, maxSweeps = 1000): { J: Float64Array; converged: boolean; sweeps: number } {
  const P = y.length;
  const J = new Float64Array(N);
  for (let s = 1; s <= maxSweeps; s++) {
    let errors = 0;
    for (let m = 0; m < P; m++) {
      const off = m * N;
      if (y[m] * dot(J, x, 0, off, N) <= 0) {
        errors++;
        for (let i = 0; i < N; i++) J[i] += y[m] * x[off + i];
      }
    }
    if (errors === 0) return { J, converged: true, sweeps: s };
  }
  return { J, converged: false, sweeps: maxSweeps };
}

/**
 * Gibbs learner: a (nearly) uniform sample from the version space {J : y_μ J·x_μ > 0 for all μ}, by
 * hit-and-run (Smith 1984) inside the convex body "version-space cone ∩ unit ball". A uniform point in
 * that body has a direction uniform on the cone's piece of the sphere, which is what Gibbs learning at
 * zero temperature draws. Each step picks a random direction d, finds the chord {J + t d} inside all P
 * half-spaces and the ball, and jumps to a uniform point on it. `start` must lie in the version space.
 */
export function sampleVersionSpace(
  x: Float64Array,
  y: Int8Array,
  start: Float64Array,
  steps: number,
  rng: Rng,
): Float64Array {
  const N = start.length;
  const P = y.length;
  const margins = new Float64Array(P); // y_μ J·x_μ
  const J = Float64Array.from(start);
  // Scale into the ball's interior so the chord has room in the radial direction too.
  const norm = Math.sqrt(dot(J, J));
  if (norm === 0) throw new Error("sampleVersionSpace: start is the zero vector; pass a weight vector with zero training error.");
  for (let i = 0; i < N; i++) J[i] *= 0.5 / norm;
  for (let m = 0; m < P; m++) {
    margins[m] = y[m] * dot(J, x, 0, m * N, N);
    if (!(margins[m] > 0)) {
      throw new Error(`sampleVersionSpace: start misclassifies example ${m} (margin ${margins[m]}); start from a zero-training-error solution, e.g. trainBatchPerceptron.`);
    }
  }
  const d = new Float64Array(N);
  const c = new Float64Array(P);
  for (let s = 0; s < steps; s++) {
    for (let i = 0; i < N; i++) d[i] = rng.normal();
    const dn = Math.sqrt(dot(d, d));
    for (let i = 0; i < N; i++) d[i] /= dn;
    // Ball |J + t d|² ≤ 1  ⇔  t² + 2 b t + (|J|² - 1) ≤ 0.
    const b = dot(J, d);
    const cc = dot(J, J) - 1;
    const disc = Math.sqrt(Math.max(0, b * b - cc));
    let lo = -b - disc;
    let hi = -b + disc;
    for (let m = 0; m < P; m++) {
      const cm = y[m] * dot(d, x, 0, m * N, N);
      c[m] = cm;
      // margin_m + t·c_m > 0
      if (cm > 0) lo = Math.max(lo, -margins[m] / cm);
      else if (cm < 0) hi = Math.min(hi, -margins[m] / cm);
    }
    if (!(hi > lo)) continue;
    const t = lo + (hi - lo) * rng.next();
    for (let i = 0; i < N; i++) J[i] += t * d[i];
    for (let m = 0; m < P; m++) margins[m] += t * c[m];
  }
  return J;
}

export type PerceptronRule = "hebb" | "perceptron" | "gibbs";

export interface LearningCurvePoint {
  alpha: number;
  /** Mean over trials of ε = arccos(R)/π. */
  error: number;
  /** Standard error of that mean. */
  stderr: number;
  /** Theory at this α (N → ∞). */
  theory: number;
  trials: number;
}

/** ε(α) from theory for one of the three learners. */
export function theoryError(rule: PerceptronRule, alpha: number): number {
  if (rule === "hebb") return overlapToError(hebbianOverlap(alpha));
  if (rule === "gibbs") return overlapToError(gibbsOverlap(alpha));
  if (rule === "perceptron") return overlapToError(onlinePerceptronOverlap([alpha])[0]);
  throw new Error(`unknown rule ${JSON.stringify(rule)}; expected "hebb", "perceptron" or "gibbs".`);
}

function meanStderr(v: number[]): [number, number] {
  const n = v.length;
  const m = v.reduce((a, b) => a + b, 0) / n;
  const varr = n > 1 ? v.reduce((a, b) => a + (b - m) * (b - m), 0) / (n - 1) : 0;
  return [m, Math.sqrt(varr / n)];
}

/**
 * Simulated learning curve: `trials` independent teachers and training sets of size αN at every α.
 * Hebb and the online perceptron are online, so one pass over αmax·N examples yields the whole curve;
 * Gibbs is a batch learner, so each α gets its own training set, a perceptron solution as the start,
 * and `gibbsStepsPerDim`·N hit-and-run steps.
 */
export function simulateLearningCurve(opts: {
  rule: PerceptronRule;
  N: number;
  alphas: number[];
  trials: number;
  seed: number;
  gibbsStepsPerDim?: number;
}): LearningCurvePoint[] {
  const { rule, N, alphas, trials, seed } = opts;
  checkSize(N, "N");
  checkSize(trials, "trials");
  for (const a of alphas) checkAlpha(a, "simulateLearningCurve");
  const rng = makeRng(seed);
  const errs: number[][] = alphas.map(() => []);
  const counts = alphas.map((a) => Math.round(a * N));
  for (let tr = 0; tr < trials; tr++) {
    const T = randomTeacher(N, rng);
    if (rule === "hebb" || rule === "perceptron") {
      const x = gaussianInputs(Math.max(...counts), N, rng);
      const y = perceptronLabels(T, x);
      const Rs = onlineLearningCurve(rule, T, x, y, counts);
      Rs.forEach((R, i) => errs[i].push(overlapToError(R)));
    } else if (rule === "gibbs") {
      counts.forEach((P, i) => {
        if (P === 0) return errs[i].push(0.5);
        const x = gaussianInputs(P, N, rng);
        const y = perceptronLabels(T, x);
        const start = trainBatchPerceptron(x, y, N, 10000);
        if (!start.converged) throw new Error(`perceptron did not separate P=${P} teacher-labelled examples in 10000 sweeps (N=${N}).`);
        const J = sampleVersionSpace(x, y, start.J, Math.round((opts.gibbsStepsPerDim ?? 20) * N), rng);
        errs[i].push(overlapToError(overlap(J, T)));
      });
    } else {
      throw new Error(`unknown rule ${JSON.stringify(rule)}; expected "hebb", "perceptron" or "gibbs".`);
    }
  }
  const theory = rule === "perceptron" ? onlinePerceptronOverlap(alphas).map(overlapToError) : alphas.map((a) => theoryError(rule, a));
  return alphas.map((alpha, i) => {
    const [m, se] = meanStderr(errs[i]);
    return { alpha, error: m, stderr: se, theory: theory[i], trials };
  });
}

// ---------------------------------------------------------------------------------------------
// Multilayer teachers: committee and parity machines (Schwarze & Hertz 1992; Hansel, Mato &
// Meunier 1992; Engel & Van den Broeck ch. 12)
// ---------------------------------------------------------------------------------------------

export type MachineKind = "perceptron" | "committee" | "parity";

/**
 * A tree machine: K hidden perceptrons, each looking at its own N/K inputs (non-overlapping receptive
 * fields), combined by a fixed output rule: majority vote (committee) or product of signs (parity).
 * K = 1 with either rule is a plain perceptron. Weights are [K, N/K] row-major.
 */
export interface TreeMachine {
  kind: MachineKind;
  K: number;
  N: number;
  weights: Float64Array;
}

export function makeTreeMachine(kind: MachineKind, K: number, N: number, rng: Rng): TreeMachine {
  if (kind !== "perceptron" && kind !== "committee" && kind !== "parity") {
    throw new Error(`unknown machine ${JSON.stringify(kind)}; expected "perceptron", "committee" or "parity".`);
  }
  checkSize(K, "K");
  checkSize(N, "N");
  if (kind === "perceptron" && K !== 1) throw new Error(`a perceptron has K=1 hidden unit, got K=${K}.`);
  if (kind === "committee" && K % 2 === 0) throw new Error(`a committee machine needs an odd K so the vote cannot tie, got K=${K}.`);
  if (N % K !== 0) throw new Error(`N=${N} must be a multiple of K=${K} (each hidden unit sees N/K inputs).`);
  const weights = new Float64Array(N);
  const n = N / K;
  for (let k = 0; k < K; k++) weights.set(randomTeacher(n, rng), k * n);
  return { kind, K, N, weights };
}

/** Output ±1 of the machine on input row m of x ([P, N]); fills `fields` with the K local fields. */
function machineOutput(M: TreeMachine, x: Float64Array, m: number, fields: Float64Array): number {
  const n = M.N / M.K;
  let votes = 0;
  let prod = 1;
  for (let k = 0; k < M.K; k++) {
    const h = dot(M.weights, x, k * n, m * M.N + k * n, n);
    fields[k] = h;
    const s = h >= 0 ? 1 : -1;
    votes += s;
    prod *= s;
  }
  return M.kind === "parity" ? prod : votes >= 0 ? 1 : -1;
}

export function machineLabels(M: TreeMachine, x: Float64Array): Int8Array {
  const P = x.length / M.N;
  const y = new Int8Array(P);
  const f = new Float64Array(M.K);
  for (let m = 0; m < P; m++) y[m] = machineOutput(M, x, m, f);
  return y;
}

export function machineErrorRate(M: TreeMachine, x: Float64Array, y: Int8Array): number {
  const f = new Float64Array(M.K);
  let e = 0;
  for (let m = 0; m < y.length; m++) if (machineOutput(M, x, m, f) !== y[m]) e++;
  return y.length ? e / y.length : 0;
}

/**
 * Train a student tree machine of the given architecture by the least-action rule (Mitchison & Durbin
 * 1989; Nilsson 1965): on a wrong output, correct the one hidden unit that can fix the output with the
 * smallest change, i.e. the one with the smallest |field| among those whose sign disagrees with what the
 * output needs (any unit, for parity). K = 1 makes this the perceptron rule. Keeps the weights with the
 * fewest training errors seen at the end of a sweep ("pocket", Gallant 1990), because on data it
 * cannot separate the rule never settles.
 */
export function trainTreeStudent(
  kind: MachineKind,
  K: number,
  x: Float64Array,
  y: Int8Array,
  N: number,
  opts: { sweeps: number; seed: number },
): { student: TreeMachine; trainError: number; sweeps: number } {
  const rng = makeRng(opts.seed);
  const S = makeTreeMachine(kind, K, N, rng);
  // Small random start: with K > 1 the zero vector would leave every hidden unit tied.
  for (let i = 0; i < N; i++) S.weights[i] *= 1e-3;
  const n = N / K;
  const P = y.length;
  const f = new Float64Array(K);
  let best = Float64Array.from(S.weights);
  let bestErr = machineErrorRate(S, x, y);
  const order = Array.from({ length: P }, (_, i) => i);
  let s = 0;
  for (s = 1; s <= opts.sweeps && bestErr > 0; s++) {
    for (let i = P - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (const m of order) {
      if (machineOutput(S, x, m, f) === y[m]) continue;
      let pick = -1;
      for (let k = 0; k < K; k++) {
        const wrongSide = kind === "parity" || (f[k] >= 0 ? 1 : -1) !== y[m];
        if (wrongSide && (pick < 0 || Math.abs(f[k]) < Math.abs(f[pick]))) pick = k;
      }
      // The hidden unit should now output the sign that fixes the vote (committee) or flips the product (parity).
      const target = kind === "parity" ? (f[pick] >= 0 ? -1 : 1) : y[m];
      for (let i = 0; i < n; i++) S.weights[pick * n + i] += target * x[m * N + pick * n + i] / Math.sqrt(n);
    }
    const err = machineErrorRate(S, x, y);
    if (err < bestErr) {
      bestErr = err;
      best = Float64Array.from(S.weights);
    }
  }
  S.weights = best;
  return { student: S, trainError: bestErr, sweeps: s - 1 };
}

export interface MemorizationPoint {
  teacher: MachineKind;
  student: MachineKind;
  alpha: number;
  trainError: number;
  testError: number;
  trainStderr: number;
  testStderr: number;
}

/**
 * Training versus test error of a student learning a tree-machine teacher, over α. A student whose
 * training error is ~0 while its test error stays at 1/2 has memorised its examples without learning
 * the rule.
 */
export function memorizationCurve(opts: {
  teacher: MachineKind;
  teacherK: number;
  student: MachineKind;
  studentK: number;
  N: number;
  alphas: number[];
  trials: number;
  sweeps: number;
  testSize: number;
  seed: number;
}): MemorizationPoint[] {
  const rng = makeRng(opts.seed);
  return opts.alphas.map((alpha) => {
    checkAlpha(alpha, "memorizationCurve");
    const tr: number[] = [];
    const te: number[] = [];
    for (let t = 0; t < opts.trials; t++) {
      const T = makeTreeMachine(opts.teacher, opts.teacherK, opts.N, rng);
      const P = Math.max(1, Math.round(alpha * opts.N));
      const x = gaussianInputs(P, opts.N, rng);
      const y = machineLabels(T, x);
      const xt = gaussianInputs(opts.testSize, opts.N, rng);
      const yt = machineLabels(T, xt);
      const r = trainTreeStudent(opts.student, opts.studentK, x, y, opts.N, { sweeps: opts.sweeps, seed: rng.int(2 ** 31) });
      tr.push(r.trainError);
      te.push(machineErrorRate(r.student, xt, yt));
    }
    const [trm, trs] = meanStderr(tr);
    const [tem, tes] = meanStderr(te);
    return { teacher: opts.teacher, student: opts.student, alpha, trainError: trm, testError: tem, trainStderr: trs, testStderr: tes };
  });
}
