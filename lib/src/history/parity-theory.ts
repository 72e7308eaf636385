/**
 * Gibbs learning of the K = 2 tree parity machine: memorisation without generalisation, then a
 * discontinuous transition. Hansel, Mato & Meunier, "Memorization without generalization in a
 * multilayered neural network" (Europhys. Lett. 20, 471, 1992); Engel & Van den Broeck, "Statistical
 * Mechanics of Learning" (CUP 2001), chapter 12.
 *
 * Why: the output sign(u₁)·sign(u₂) is unchanged when both branches flip, so a student whose branches
 * are uncorrelated with the teacher's (R = 0) is always a stationary point: it fits the examples yet
 * errs on half of all new inputs. Whether and when the data pull the student out of it is the question.
 *
 * Derivation (our own; the key steps, in the notation of committee-theory.ts, q = R under Gibbs learning
 * of a same-architecture teacher, both branches at overlap R):
 * 1. Entropic term: each branch is a spherical perceptron on N/2 inputs; per weight ½ ln(1−R) + R/2.
 * 2. Energetic term: given the frozen Gaussian parts t₁, t₂ of the two hidden fields, branch k of a
 *    student replica (and, since q = R, of the teacher too) outputs +1 with probability
 *    p_k = H(−γ t_k), γ = √(R/(1−R)), independently across branches. The product of signs is +1 with
 *    probability P₊ = p₁p₂ + (1−p₁)(1−p₂), so the average log-probability of reproducing the teacher's
 *    label is G₂(R) = ∫Dt₁Dt₂ [P₊ ln P₊ + P₋ ln P₋], P₋ = 1 − P₊.
 *    (With one branch this is the perceptron's 2∫Dt H(−γt) ln H(−γt), as it must be.)
 * 3. s(R) = ½ ln(1−R) + R/2 + α G₂(R). Saddle point ds/dR = 0:
 *      R/(2(1−R)) = α · dG₂/dγ / (2γ(1−R)²),
 *      dG₂/dγ = 2 ∫Dt₁Dt₂ ln(P₊/P₋) (2p₂ − 1) t₁ φ(γt₁).
 * 4. R = 0 solves it for every α, with s = −α ln 2 (each example halves the volume) and ε = ½. Expanding
 *    P₊ = ½ + 2(p₁−½)(p₂−½), p − ½ ≈ φ(0)(γt − (γt)³/6), to fourth order in γ gives
 *      s(R) ≈ −α ln 2 + R²(2α/π² − ¼) − R³/6 + O(R⁴)
 *    (the energetic R³ terms cancel). So R = 0 is a local maximum only for α < α_c = π²/8 ≈ 1.234.
 * 5. Above α_c the maximum moves off zero continuously, R* ≈ 4(2α/π² − ¼) = 8(α − α_c)/π², and the error
 *    ε = 2ε₁(1−ε₁), ε₁ = arccos(R*)/π (the output errs when exactly one branch does), leaves ½ only
 *    quadratically: ε ≈ ½ − 2R*²/π². Scanning s(R) over (0, 1) finds no second, separate maximum below
 *    α_c (parity-theory.test.ts), so within replica symmetry the transition at α_c is continuous with a
 *    very flat start, not a jump. For K ≥ 3 branches the energetic term starts at R^K and R = 0 never
 *    loses stability, which forces a jump; K = 2 is the marginal case.
 * 6. α → ∞: the integrand lives where one of the two branches is uncertain, so G₂ ≈ 2·(perceptron's
 *    G) ≈ 4C√(1−R), C as in committee-theory.ts; then 1−R ≈ 1/(16α²C²) and ε ≈ 2ε₁ ≈ 1/(√2 π|C| α)
 *    ≈ 0.625/α, the perceptron's own asymptote.
 * Hansel, Mato & Meunier state that below a critical number of examples P* the student cannot
 * generalise (abstract); we found no value of α_c, nor the order of the transition, in a source we could
 * read, so both are checked against this derivation only.
 */
import { gaussianTail } from "./perceptron";
import { gaussianDensity, gaussianNodes, checkAlphaArg, checkOverlapArg, fieldRatio, sphericalEntropy, sphericalEntropySlope } from "./gibbs-integrals";

/** P ln P + (1−P) ln(1−P), with 0 ln 0 = 0. */
function binaryNegEntropy(P: number): number {
  let s = 0;
  if (P > 0) s += P * Math.log(P);
  if (P < 1) s += (1 - P) * Math.log(1 - P);
  return s;
}

function branchTables(R: number) {
  const g = fieldRatio(R);
  const { t, w } = gaussianNodes(g);
  const p = new Float64Array(t.length);
  const dp = new Float64Array(t.length); // ∂p/∂γ = t φ(γt)
  for (let i = 0; i < t.length; i++) {
    p[i] = gaussianTail(-g * t[i]);
    dp[i] = t[i] * gaussianDensity(g * t[i]);
  }
  return { g, t, w, p, dp };
}

/** G₂(R) = ∫Dt₁Dt₂ [P₊ ln P₊ + P₋ ln P₋]: the parity machine's energetic term at overlap R (q = R). */
export function parityEnergetic(R: number): number {
  checkOverlapArg(R, "parityEnergetic");
  if (R === 0) return Math.log(0.5);
  const { w, p } = branchTables(R);
  const n = p.length;
  let s = 0;
  for (let i = 0; i < n; i++) {
    let row = 0;
    for (let j = 0; j < n; j++) row += w[j] * binaryNegEntropy(p[i] * p[j] + (1 - p[i]) * (1 - p[j]));
    s += w[i] * row;
  }
  return s;
}

/** dG₂/dR = dG₂/dγ / (2γ(1−R)²), dG₂/dγ = 2∫Dt₁Dt₂ ln(P₊/P₋)(2p₂−1) ∂p₁/∂γ. */
export function parityEnergeticSlope(R: number): number {
  checkOverlapArg(R, "parityEnergeticSlope");
  if (R === 0) return 0;
  const { g, w, p, dp } = branchTables(R);
  const n = p.length;
  let s = 0;
  for (let i = 0; i < n; i++) {
    let row = 0;
    for (let j = 0; j < n; j++) {
      const P = p[i] * p[j] + (1 - p[i]) * (1 - p[j]);
      if (P <= 0 || P >= 1) continue; // both branches certain: then ∂p₁/∂γ = t₁φ(γt₁) underflows to 0 as well
      row += w[j] * Math.log(P / (1 - P)) * (2 * p[j] - 1);
    }
    s += w[i] * dp[i] * row;
  }
  return (2 * s) / (2 * g * (1 - R) * (1 - R));
}

/** Quenched entropy per weight s(R) = ½ ln(1−R) + R/2 + α G₂(R). */
export function parityGibbsEntropy(R: number, alpha: number): number {
  checkAlphaArg(alpha, "parityGibbsEntropy");
  return sphericalEntropy(R) + alpha * parityEnergetic(R);
}

/** ds/dR = −R/(2(1−R)) + α dG₂/dR. */
export function parityEntropySlope(R: number, alpha: number): number {
  checkAlphaArg(alpha, "parityEntropySlope");
  return sphericalEntropySlope(R) + alpha * parityEnergeticSlope(R);
}

/** Generalisation error of a K = 2 parity student whose branches have overlaps R₁, R₂ with the teacher's. */
export function parityErrorFromOverlaps(R1: number, R2: number): number {
  const e1 = Math.acos(Math.max(-1, Math.min(1, R1))) / Math.PI;
  const e2 = Math.acos(Math.max(-1, Math.min(1, R2))) / Math.PI;
  return 0.5 * (1 - (1 - 2 * e1) * (1 - 2 * e2));
}

export interface ParityGibbsState {
  alpha: number;
  /** Branch overlap of the state that holds most of the version space (0: memorisation only). */
  R: number;
  /** Its generalisation error (½ at R = 0). */
  error: number;
  /** Its entropy per weight. */
  entropy: number;
  /** The largest-entropy maximum R* > 0 of s(R) when one exists at this α (it would be metastable if R = 0 had more entropy), else undefined. */
  generalisingR?: number;
  generalisingEntropy?: number;
}

// R where ds/dR is sampled for sign changes: fine near 0 (the maximum leaves R = 0 continuously) and near 1
// (at large α, 1 − R ≈ 1/(16α²C²)).
const SCAN = [1e-4, 1e-3, 0.005, 0.01, ...Array.from({ length: 39 }, (_, i) => 0.025 * (i + 1)), 0.985, 0.99, 0.995, 0.998, 0.999, 0.9995, 0.9999, 0.99999, 0.999999];

/**
 * Both candidate states at α: R = 0 (entropy −α ln 2) and the largest-entropy local maximum R* > 0 of
 * s(R), found by scanning ds/dR for sign changes from + to − and bisecting; the state with the larger
 * entropy holds almost all of the version space, so it is where Gibbs learning lands (N → ∞).
 */
export function parityGibbsState(alpha: number): ParityGibbsState {
  checkAlphaArg(alpha, "parityGibbsState");
  const s0 = -alpha * Math.LN2;
  let best: { R: number; s: number } | undefined;
  // Start just above R = 0 with the slope's sign there: positive when R = 0 is unstable (α > π²/8).
  let prevR = 0;
  let prevSlope = alpha * (2 / (Math.PI * Math.PI)) - 0.25;
  for (let k = 0; k < SCAN.length; k++) {
    const R = SCAN[k];
    const slope = parityEntropySlope(R, alpha);
    if (prevSlope > 0 && slope <= 0) {
      let lo = prevR;
      let hi = R;
      for (let it = 0; it < 40; it++) {
        const m = 0.5 * (lo + hi);
        if (parityEntropySlope(m, alpha) > 0) lo = m;
        else hi = m;
      }
      const Rs = 0.5 * (lo + hi);
      const s = parityGibbsEntropy(Rs, alpha);
      if (!best || s > best.s) best = { R: Rs, s };
    }
    prevR = R;
    prevSlope = slope;
  }
  if (prevSlope > 0) throw new Error(`parityGibbsState: at alpha=${alpha} the entropy still rises at R = ${prevR}; α is beyond what this solver resolves (use α ≤ 10^4).`);
  const winsGeneralising = best !== undefined && best.s > s0;
  const R = winsGeneralising ? best!.R : 0;
  return {
    alpha,
    R,
    error: winsGeneralising ? parityErrorFromOverlaps(R, R) : 0.5,
    entropy: winsGeneralising ? best!.s : s0,
    ...(best ? { generalisingR: best.R, generalisingEntropy: best.s } : {}),
  };
}

/** Gibbs learning curve ε(α) of the K = 2 tree parity machine (N → ∞, replica symmetric). */
export function parityGibbsError(alpha: number): number {
  return parityGibbsState(alpha).error;
}

/**
 * The critical α_c where Gibbs learning starts to generalise, found numerically (bisection between a
 * memorising `lo` and a generalising `hi`) from the full s(R), not from the expansion; the expansion
 * predicts π²/8.
 */
export function parityCriticalAlpha(lo = 0.5, hi = 3): number {
  const gen = (a: number) => parityGibbsState(a).R > 0;
  if (gen(lo) || !gen(hi)) throw new Error(`parityCriticalAlpha: the bracket [${lo}, ${hi}] must hold a memorising α below and a generalising α above; widen it.`);
  for (let it = 0; it < 30; it++) {
    const m = 0.5 * (lo + hi);
    if (gen(m)) hi = m;
    else lo = m;
  }
  return 0.5 * (lo + hi);
}
