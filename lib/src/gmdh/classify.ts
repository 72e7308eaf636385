/**
 * GMDH for classification: one network per class (one-vs-rest), each a GMDH regression onto the 0/1
 * indicator of its class; the predicted class is the network with the largest output.
 *
 * Why one-vs-rest rather than a shared polynomial stage with a softmax readout: the external criterion,
 * the ranking of candidates and the stopping rule of Ivakhnenko's algorithm are defined for one scalar
 * target, and this keeps them exactly as in the 1971 paper (each class gets the depth its own
 * validation criterion picks). The price is C separate networks; their layer fits are cheap (fit.ts).
 */
import { GmdhConfig, GmdhFit, GmdhModel, MatrixLike, countGmdhParams, fitGmdh, predictGmdh } from "./network";

export interface GmdhClassificationData {
  x: MatrixLike;
  labels: ArrayLike<number>;
  classes: number;
  inputNames?: string[];
}

export interface GmdhClassifier {
  classes: number;
  /** models[c] scores class c. */
  models: GmdhModel[];
}

function checkLabels(labels: ArrayLike<number>, classes: number, what: string): void {
  if (!Number.isInteger(classes) || classes < 2) throw new Error(`classes must be an integer >= 2, got ${classes}.`);
  for (let r = 0; r < labels.length; r++) {
    const l = labels[r];
    if (!Number.isInteger(l) || l < 0 || l >= classes) throw new Error(`${what}: label ${l} in row ${r} is outside 0..${classes - 1}.`);
  }
}

function indicator(labels: ArrayLike<number>, c: number): Float64Array {
  return Float64Array.from({ length: labels.length }, (_, r) => (labels[r] === c ? 1 : 0));
}

/**
 * Fit one GMDH network per class on the same A/B split (same splitSeed, or the given validation data).
 * `onClass` reports progress after each class.
 */
export async function fitGmdhClassifier(
  data: GmdhClassificationData,
  options: Partial<GmdhConfig> = {},
  validation?: { x: MatrixLike; labels: ArrayLike<number> },
  onClass?: (c: number, fit: GmdhFit) => void,
): Promise<{ classifier: GmdhClassifier; fits: GmdhFit[] }> {
  checkLabels(data.labels, data.classes, "data");
  if (validation) checkLabels(validation.labels, data.classes, "validation");
  const fits: GmdhFit[] = [];
  for (let c = 0; c < data.classes; c++) {
    const fit = await fitGmdh(
      { x: data.x, y: indicator(data.labels, c), inputNames: data.inputNames, targetName: `score${c}` },
      options,
      validation ? { x: validation.x, y: indicator(validation.labels, c) } : undefined,
    );
    fits.push(fit);
    onClass?.(c, fit);
  }
  return { classifier: { classes: data.classes, models: fits.map((f) => f.model) }, fits };
}

/** Class scores, row-major [n, classes]. */
export function gmdhClassScores(clf: GmdhClassifier, x: MatrixLike): Float64Array {
  const per = clf.models.map((m) => predictGmdh(m, x));
  const n = per[0].length;
  const out = new Float64Array(n * clf.classes);
  per.forEach((s, c) => {
    for (let r = 0; r < n; r++) out[r * clf.classes + c] = s[r];
  });
  return out;
}

/** Predicted class per row: the network with the largest output (ties: lowest class). */
export function classifyGmdh(clf: GmdhClassifier, x: MatrixLike): Int32Array {
  const scores = gmdhClassScores(clf, x);
  const n = scores.length / clf.classes;
  const out = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    let best = 0;
    for (let c = 1; c < clf.classes; c++) if (scores[r * clf.classes + c] > scores[r * clf.classes + best]) best = c;
    out[r] = best;
  }
  return out;
}

export function gmdhAccuracy(clf: GmdhClassifier, x: MatrixLike, labels: ArrayLike<number>): number {
  const pred = classifyGmdh(clf, x);
  if (pred.length !== labels.length) throw new Error(`x has ${pred.length} rows but labels has ${labels.length}.`);
  let ok = 0;
  for (let r = 0; r < pred.length; r++) if (pred[r] === labels[r]) ok++;
  return ok / pred.length;
}

export function countGmdhClassifierParams(clf: GmdhClassifier): number {
  return clf.models.reduce((s, m) => s + countGmdhParams(m), 0);
}
