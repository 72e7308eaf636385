/**
 * Gibbs learning of a large tree committee machine: the replica-symmetric learning curve ε(α) of
 * Schwarze & Hertz, "Generalization in a large committee machine" (Europhys. Lett. 20, 375, 1992);
 * Engel & Van den Broeck, "Statistical Mechanics of Learning" (CUP 2001), chapter 12.
 *
 * Why a separate curve: a committee of K perceptrons, each seeing its own N/K inputs and voting by
 * majority, is the simplest multilayer net; the question is whether its learning curve still has the
 * perceptron's shape. The answer (derived here, checked in committee-theory.test.ts): it does — a
 * gradual decay with no jump, ε ∝ 1/α at large α — but for K → ∞ it needs about twice the examples.
 *
 * Derivation (our own; the key steps, with q the overlap between two students and R the student–teacher
 * overlap of each branch, equal for all branches by symmetry):
 * 1. Entropic term. Each branch is a spherical perceptron on N/K inputs, so per input weight
 *    Σ_k (1/K)·[½ ln(1−q) + (q−R²)/(2(1−q))] is the perceptron's term unchanged.
 * 2. Energetic term. The output is sign(τ), τ = Σ_k sign(u_k)/√K. For K → ∞ the central limit theorem
 *    makes the teacher's τ and each student replica's σ^a jointly Gaussian with unit variance, and by
 *    Sheppard's formula E[sign(u) sign(v)] = (2/π) arcsin(corr(u, v)) their correlations are
 *      R̃ = (2/π) arcsin R  (teacher–student),   q̃ = (2/π) arcsin q  (student–student).
 *    So the energetic term is the perceptron's with (R, q) → (R̃, q̃).
 * 3. Gibbs learning of a same-architecture teacher: the teacher is a typical member of the version
 *    space, so q = R (and q̃ = R̃). The quenched entropy per weight becomes
 *      s(R) = ½ ln(1−R) + R/2 + α G(R̃),   G(ρ) = 2∫Dt H(−γt) ln H(−γt),  γ = √(ρ/(1−ρ)).
 * 4. Saddle point ds/dR = 0, with dG/dρ = I(ρ)/(2π√(1−ρ)), I(ρ) = ∫Dt e^(−ρt²/2)/H(−√ρ t) and
 *    dR̃/dR = 2/(π√(1−R²)):
 *      R √((1+R)/(1−R)) √(1−R̃) = (2α/π²) I(R̃).
 *    With K = 1 (R̃ = R, dR̃/dR = 1) it is the perceptron's R/√(1−R) = (α/π) I(R), Engel & Van den Broeck
 *    eq. 2.42 (gibbsOverlap in perceptron.ts).
 * 5. The committee's output disagrees with the teacher's with probability ε = arccos(R̃)/π.
 * Limits: α → 0: R ≈ 4α/π², ε ≈ ½ − 8α/π⁴ (perceptron: ε ≈ ½ − 2α/π²). α → ∞: with
 * C = ∫du/√(2π) H(−u) ln H(−u), G(ρ) ≈ 2C√(1−ρ); the perceptron gives ε ≈ 1/(√2 π|C| α) ≈ 0.625/α and the
 * large committee, where 1−R̃ ≈ (2/π)√(2(1−R)), ε ≈ √2/(π|C| α): exactly twice the perceptron's.
 * Schwarze & Hertz state that for continuous weights the error "falls off asymptotically inversely
 * proportional to α" (abstract of their NIPS 5 paper, 1993); we found no coefficient stated in a source we
 * could read, so the factor 2 is checked against this derivation only.
 */
import { gaussianTail } from "./perceptron";
import { treeErrorFromOverlaps } from "./tree-gibbs";
import {
  checkAlphaArg,
  checkOverlapArg,
  fieldRatio,
  gaussianNodes,
  gibbsIntegral,
  perceptronEnergetic,
  simpsonNodes,
  sphericalEntropy,
  sphericalEntropySlope,
} from "./gibbs-integrals";

/** "perceptron": K = 1 (the output overlap is R itself); "large-K": the tree committee with K → ∞. */
export type CommitteeLimit = "perceptron" | "large-K";

function checkLimit(limit: CommitteeLimit): void {
  if (limit !== "perceptron" && limit !== "large-K") throw new Error(`unknown committee limit ${JSON.stringify(limit)}; expected "perceptron" (K = 1) or "large-K" (K → ∞).`);
}

/** Output overlap R̃ of two committees whose branches overlap by R: R for K = 1, (2/π) arcsin R for K → ∞. */
export function committeeOutputOverlap(R: number, limit: CommitteeLimit = "large-K"): number {
  checkLimit(limit);
  if (!(R >= -1 && R <= 1)) throw new Error(`committeeOutputOverlap: R=${R} must be a cosine in [-1, 1].`);
  return limit === "perceptron" ? R : (2 / Math.PI) * Math.asin(R);
}

/** dR̃/dR. */
function outputOverlapSlope(R: number, limit: CommitteeLimit): number {
  return limit === "perceptron" ? 1 : 2 / (Math.PI * Math.sqrt(1 - R * R));
}

/** Quenched entropy per weight of the version space at branch overlap R (q = R): ½ ln(1−R) + R/2 + α G(R̃). */
export function committeeGibbsEntropy(R: number, alpha: number, limit: CommitteeLimit = "large-K"): number {
  checkAlphaArg(alpha, "committeeGibbsEntropy");
  checkOverlapArg(R, "committeeGibbsEntropy");
  return sphericalEntropy(R) + alpha * perceptronEnergetic(committeeOutputOverlap(R, limit));
}

/** ds/dR from the saddle-point equation's two sides: −R/(2(1−R)) + α · I(R̃)/(2π√(1−R̃)) · dR̃/dR. */
export function committeeEntropySlope(R: number, alpha: number, limit: CommitteeLimit = "large-K"): number {
  checkAlphaArg(alpha, "committeeEntropySlope");
  checkOverlapArg(R, "committeeEntropySlope");
  const rho = committeeOutputOverlap(R, limit);
  return sphericalEntropySlope(R) + (alpha * gibbsIntegral(rho) * outputOverlapSlope(R, limit)) / (2 * Math.PI * Math.sqrt(1 - rho));
}

/**
 * Branch overlap R(α) of Gibbs learning (the root of ds/dR = 0, by bisection: the slope is positive at
 * R = 0+ for α > 0 and tends to −∞ as R → 1, where the entropic term's −1/(2(1−R)) dominates).
 */
export function committeeGibbsOverlap(alpha: number, limit: CommitteeLimit = "large-K"): number {
  checkAlphaArg(alpha, "committeeGibbsOverlap");
  checkLimit(limit);
  if (alpha === 0) return 0;
  let lo = 0;
  let hi = 1 - 1e-13;
  for (let it = 0; it < 60; it++) {
    const R = 0.5 * (lo + hi);
    if (committeeEntropySlope(R, alpha, limit) > 0) lo = R;
    else hi = R;
  }
  return 0.5 * (lo + hi);
}

/** Gibbs generalisation error ε(α) = arccos(R̃)/π of the committee (K = 1: the perceptron's). */
export function committeeGibbsError(alpha: number, limit: CommitteeLimit = "large-K"): number {
  const rho = committeeOutputOverlap(committeeGibbsOverlap(alpha, limit), limit);
  return Math.acos(Math.min(1, rho)) / Math.PI;
}

/** C = ∫du/√(2π) H(−u) ln H(−u) ≈ −0.36, the constant of the large-α expansion G(ρ) ≈ 2C√(1−ρ). */
export function energeticTailConstant(): number {
  const { t, w } = simpsonNodes([-12, 0, 12], 1200);
  let s = 0;
  for (let i = 0; i < t.length; i++) {
    const Hu = gaussianTail(-t[i]);
    if (Hu > 0) s += w[i] * Hu * Math.log(Hu);
  }
  return s / Math.sqrt(2 * Math.PI);
}

/** Large-α coefficient c of ε ≈ c/α: 1/(√2 π|C|) for the perceptron, √2/(π|C|) for the large committee. */
export function committeeAsymptoticCoefficient(limit: CommitteeLimit = "large-K"): number {
  checkLimit(limit);
  const C = Math.abs(energeticTailConstant());
  return limit === "perceptron" ? 1 / (Math.SQRT2 * Math.PI * C) : Math.SQRT2 / (Math.PI * C);
}

// ---------------------------------------------------------------------------------------------
// Finite K = 3: the same entropic term, the energetic term as a triple Gaussian integral
// ---------------------------------------------------------------------------------------------

/**
 * Energetic term of the K = 3 tree committee at branch overlap R (q = R): given the frozen parts t_k of
 * the three hidden fields, branch k says +1 with probability p_k = H(−γ t_k), and the majority says +1
 * with probability P₊ = p₁p₂ + p₁p₃ + p₂p₃ − 2p₁p₂p₃, so G₃(R) = ∫Dt₁Dt₂Dt₃ [P₊ ln P₊ + P₋ ln P₋].
 * The integrand is symmetric in the t_k, so the sum runs over i ≤ j ≤ k with multiplicities.
 */
export function committee3Energetic(R: number): number {
  checkOverlapArg(R, "committee3Energetic");
  if (R === 0) return Math.log(0.5);
  const g = fieldRatio(R);
  const { t, w } = gaussianNodes(g, 30);
  const n = t.length;
  const p = Array.from(t, (ti) => gaussianTail(-g * ti));
  const phi = (P: number) => (P > 0 ? P * Math.log(P) : 0) + (P < 1 ? (1 - P) * Math.log(1 - P) : 0);
  let s = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const pij = p[i] * p[j];
      const sij = p[i] + p[j];
      for (let k = j; k < n; k++) {
        const mult = i === j ? (j === k ? 1 : 3) : j === k ? 3 : 6;
        const P = pij + p[k] * sij - 2 * pij * p[k];
        s += mult * w[i] * w[j] * w[k] * phi(P);
      }
    }
  }
  return s;
}

/** s(R) = ½ ln(1−R) + R/2 + α G₃(R) of the K = 3 tree committee. */
export function committee3GibbsEntropy(R: number, alpha: number): number {
  checkAlphaArg(alpha, "committee3GibbsEntropy");
  return sphericalEntropy(R) + alpha * committee3Energetic(R);
}

/**
 * Branch overlap R(α) of Gibbs learning for K = 3: the maximum of s(R), by golden-section search in
 * u = −ln(1−R) (so large α, where R → 1, is resolved); the saddle-point equation is ds/dR = 0 as for
 * K → ∞, with G₃ in place of G(R̃). Only the committee's vote is finite-K; the entropic term is the same.
 */
export function committee3GibbsOverlap(alpha: number): number {
  checkAlphaArg(alpha, "committee3GibbsOverlap");
  if (alpha === 0) return 0;
  const f = (u: number) => committee3GibbsEntropy(1 - Math.exp(-u), alpha);
  let a = 0;
  let b = 20;
  const r = (Math.sqrt(5) - 1) / 2;
  let c = b - r * (b - a);
  let d = a + r * (b - a);
  let fc = f(c);
  let fd = f(d);
  for (let it = 0; it < 36; it++) {
    if (fc > fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - r * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + r * (b - a);
      fd = f(d);
    }
  }
  return 1 - Math.exp(-0.5 * (a + b));
}

/**
 * Gibbs generalisation error of the K = 3 tree committee: each branch's hidden sign flips with
 * probability arccos(R)/π, and whether a flip changes the vote depends on the teacher's other hidden
 * signs (treeErrorFromOverlaps enumerates them).
 */
export function committee3GibbsError(alpha: number): number {
  const R = committee3GibbsOverlap(alpha);
  return treeErrorFromOverlaps("committee", [R, R, R]);
}
