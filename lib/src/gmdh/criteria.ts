/**
 * External criteria of GMDH: candidates are ranked on data that did not fit them (Ivakhnenko 1971,
 * "Polynomial theory of complex systems"; Ivakhnenko & Stepashko 1985, "Noise-immunity of modeling").
 * An internal criterion (training error) always prefers the more complex model and never says "stop";
 * an external one has a minimum at the model of optimal complexity, which is what makes layer-wise
 * growth terminate.
 *
 * All criteria are computed from the per-pair normal equations of the training part A and the
 * validation part B (fit.ts), never from per-row predictions, so they cost O(pairs·k²).
 *
 *  - regularity     Δ²(B) = Σ_B (y − ŷ_A)² / Σ_B (y − ȳ_A)²        (fit on A, judge on B; the default)
 *  - unbiasedness   n²_bs = Σ_{A∪B} (ŷ_A − ŷ_B)² / Σ_{A∪B} (y − ȳ_A)²  (fit on A and on B separately; a
 *                   consistent model gives the same answers either way: the "minimum bias" criterion)
 *  - combined       Δ²(B) + n²_bs
 *  - train          Σ_A (y − ŷ_A)² / Σ_A (y − ȳ_A)²   (internal; for comparison only: it never stops growth)
 * Targets are standardised by the training mean, so every criterion is a fraction of the variance
 * around that mean: 1 means "no better than predicting the training mean".
 */
import { PairSystems, disagreement, residualSumOfSquares } from "./fit";

export type CriterionName = "regularity" | "unbiasedness" | "combined" | "train";
export const CRITERION_NAMES: CriterionName[] = ["regularity", "unbiasedness", "combined", "train"];

export function checkCriterion(name: string): CriterionName {
  if (!(CRITERION_NAMES as string[]).includes(name)) {
    throw new Error(`unknown GMDH criterion ${JSON.stringify(name)}; expected one of ${CRITERION_NAMES.join(", ")}.`);
  }
  return name as CriterionName;
}

/** Whether the criterion needs the coefficients fitted on the validation part as well. */
export function needsValidationFit(name: CriterionName): boolean {
  return name === "unbiasedness" || name === "combined";
}

export interface CandidateErrors {
  /** Relative training error (the internal criterion), per pair. */
  train: Float64Array;
  /** Relative validation error, the regularity criterion, per pair (reported whatever ranks). */
  validation: Float64Array;
  /** The criterion that ranks the candidates, per pair. */
  criterion: Float64Array;
}

export function candidateErrors(
  name: CriterionName,
  sysA: PairSystems,
  sysB: PairSystems,
  coefA: Float64Array,
  coefB?: Float64Array,
): CandidateErrors {
  const rssA = residualSumOfSquares(sysA, coefA);
  const rssB = residualSumOfSquares(sysB, coefA);
  const train = rssA.map((v) => v / sysA.yy);
  const validation = rssB.map((v) => v / sysB.yy);
  let criterion: Float64Array;
  if (name === "regularity") criterion = validation;
  else if (name === "train") criterion = train;
  else {
    if (!coefB) throw new Error(`criterion ${name} needs the coefficients fitted on the validation part (internal error)`);
    const total = sysA.yy + sysB.yy;
    const bias = disagreement(sysA, sysB, coefA, coefB).map((v) => v / total);
    criterion = name === "unbiasedness" ? bias : bias.map((v, p) => v + validation[p]);
  }
  return { train, validation, criterion };
}
