/**
 * Gaussian averages shared by the replica calculations of Gibbs learning for tree machines
 * (committee-theory.ts, parity-theory.ts), in plain float64.
 *
 * Notation of Engel & Van den Broeck, "Statistical Mechanics of Learning" (CUP 2001): Dt is the standard
 * Gaussian measure exp(-t²/2)/√(2π) dt and H(x) = ∫_x^∞ Dt its tail. For a student at overlap q with the
 * other replicas, a hidden unit whose field has the Gaussian mean √q·t outputs +1 with probability
 * H(−γt), γ = √(q/(1−q)). Under Gibbs learning of a same-architecture teacher q = R (the teacher is itself
 * a typical member of the version space), which is why one γ appears everywhere below.
 */
import { gaussianTail } from "./perceptron";

const SQRT_2PI = Math.sqrt(2 * Math.PI);

/** Standard Gaussian density φ(u). */
export function gaussianDensity(u: number): number {
  return Math.exp(-0.5 * u * u) / SQRT_2PI;
}

/**
 * ∫ f(t) dt over [a, b] by composite Simpson on the panels between consecutive `breaks` (each panel
 * `intervalsPerPanel` intervals, even). Panels let a step of width 1/γ around t = 0 get its own fine grid.
 * Returns nodes and weights so a double integral can reuse them.
 */
export function simpsonNodes(breaks: number[], intervalsPerPanel: number): { t: Float64Array; w: Float64Array } {
  if (intervalsPerPanel % 2 !== 0 || intervalsPerPanel < 2) throw new Error(`simpsonNodes: intervalsPerPanel=${intervalsPerPanel} must be an even number ≥ 2.`);
  const t: number[] = [];
  const w: number[] = [];
  for (let p = 0; p + 1 < breaks.length; p++) {
    const a = breaks[p];
    const b = breaks[p + 1];
    if (!(b > a)) throw new Error(`simpsonNodes: breaks must increase, got ${a} then ${b}.`);
    const h = (b - a) / intervalsPerPanel;
    for (let i = 0; i <= intervalsPerPanel; i++) {
      const c = i === 0 || i === intervalsPerPanel ? 1 : i % 2 === 1 ? 4 : 2;
      if (i === 0 && p > 0) {
        w[w.length - 1] += (c * h) / 3; // shared end node of two panels
        continue;
      }
      t.push(a + i * h);
      w.push((c * h) / 3);
    }
  }
  return { t: Float64Array.from(t), w: Float64Array.from(w) };
}

/**
 * Nodes and weights of ∫Dt f(t) (the Gaussian weight folded into the weights) on [-9, 9], with a fine
 * panel of half-width 7/γ around 0 when γ > 1, where H(−γt) switches from 0 to 1.
 */
export function gaussianNodes(gamma: number, intervalsPerPanel = 120): { t: Float64Array; w: Float64Array } {
  const L = 9;
  const inner = gamma > 1 ? Math.min(L / 2, 7 / gamma) : 0;
  const breaks = inner > 0 ? [-L, -inner, inner, L] : [-L, L];
  const { t, w } = simpsonNodes(breaks, inner > 0 ? intervalsPerPanel : 2 * intervalsPerPanel);
  for (let i = 0; i < t.length; i++) w[i] *= gaussianDensity(t[i]);
  return { t, w };
}

/** γ = √(R/(1−R)), the ratio of a hidden field's frozen part to its thermal part at overlap R. */
export function fieldRatio(R: number): number {
  return Math.sqrt(R / (1 - R));
}

/**
 * The perceptron's energetic term under Gibbs learning at overlap ρ:
 *   G(ρ) = 2 ∫Dt H(−γt) ln H(−γt),  γ = √(ρ/(1−ρ)),
 * i.e. the average log-probability that a student replica reproduces the teacher's label (Engel & Van
 * den Broeck eq. 2.41 with q = R). G(0) = ln ½; G → 0 as ρ → 1. For γ > 1 it is integrated in u = γt,
 * where the integrand is smooth and the Gaussian weight is wide.
 */
export function perceptronEnergetic(rho: number): number {
  if (rho <= 0) return Math.log(0.5);
  const g = fieldRatio(rho);
  const f = (u: number) => {
    const Hu = gaussianTail(-u);
    return Hu > 0 ? Hu * Math.log(Hu) : 0;
  };
  if (g <= 1) {
    const { t, w } = gaussianNodes(g);
    let s = 0;
    for (let i = 0; i < t.length; i++) s += w[i] * f(g * t[i]);
    return 2 * s;
  }
  // u = γt: ∫Dt f(γt) = (1/γ) ∫ φ(u/γ) f(u) du; f vanishes like −H(u) for u → +∞ and like H(|u|)·ln H(|u|)
  // for u → −∞, so |u| ≤ 12 holds all of it (H(12) ≈ 2e-33).
  const { t, w } = simpsonNodes([-12, 0, 12], 600);
  let s = 0;
  for (let i = 0; i < t.length; i++) s += w[i] * gaussianDensity(t[i] / g) * f(t[i]);
  return (2 * s) / g;
}

/**
 * I(ρ) = ∫Dt exp(−ρt²/2) / H(−√ρ t): the integral of the perceptron's Gibbs saddle-point equation
 * R/√(1−R) = (α/π) I(R) (Engel & Van den Broeck eq. 2.42), which is α·dG/dρ rewritten:
 * dG/dρ = I(ρ) / (2π √(1−ρ)). I(0) = 2.
 */
export function gibbsIntegral(rho: number): number {
  const sr = Math.sqrt(Math.max(0, rho));
  const { t, w } = simpsonNodes([-12, 12], 2400);
  let s = 0;
  for (let i = 0; i < t.length; i++) s += (w[i] * gaussianDensity(t[i]) * Math.exp(-0.5 * rho * t[i] * t[i])) / gaussianTail(-sr * t[i]);
  return s;
}

/** The entropic term of a spherical student at q = R: ½ ln(1−R) + R/2 (per input weight; the same for a tree machine's branches). */
export function sphericalEntropy(R: number): number {
  return 0.5 * Math.log(1 - R) + 0.5 * R;
}

/** Its derivative −R / (2(1−R)). */
export function sphericalEntropySlope(R: number): number {
  return -R / (2 * (1 - R));
}

export function checkAlphaArg(alpha: number, fn: string): void {
  if (!Number.isFinite(alpha) || alpha < 0) {
    throw new Error(`${fn}: alpha=${alpha} must be a finite number >= 0 (alpha = P/N, examples per weight).`);
  }
}

export function checkOverlapArg(R: number, fn: string): void {
  if (!(R >= 0 && R < 1)) throw new Error(`${fn}: overlap R=${R} must lie in [0, 1) (the replica-symmetric Gibbs overlap).`);
}
