/**
 * The multilayer iterative algorithm (MIA) of the Group Method of Data Handling: Ivakhnenko & Lapa
 * 1965, "Cybernetic Predicting Devices"; Ivakhnenko 1971, "Polynomial theory of complex systems",
 * IEEE Trans. SMC-1(4): the first deep networks trained layer by layer, with pruning on held-out data.
 *
 * Layer r:
 *  1. every pair (i, j) of the layer's inputs is a candidate unit  u = poly(xi, xj)  (polynomial.ts);
 *  2. all candidates are fitted by least squares on the training part A in one batched computation (fit.ts);
 *  3. each is scored by an external criterion on the validation part B (criteria.ts);
 *  4. the best F ("freedom of choice") survive; their outputs are the next layer's inputs.
 * Growth stops when the best criterion of a layer no longer improves on the previous layer's; the model
 * is the best unit of the last improving layer, and every unit not on its path back to the inputs is
 * dropped (path pruning).
 */
import { makeRng, permutation } from "@kdh/datasets";
import { Config, resolveConfig } from "../core/config";
import { CriterionName, candidateErrors, checkCriterion, needsValidationFit } from "./criteria";
import { firstCollinearPair } from "./collinearity";
import { SingularSystemError, allPairs, float32MomentNoise, pairSystems, partMoments, solveBatched } from "./fit";
import {
  ReferenceFunction,
  ReferenceName,
  coefficientCount,
  destandardize,
  evaluateUnit,
  formatPolynomial,
  momentPowers,
  referenceFunction,
} from "./polynomial";

/** Rows as arrays, or a row-major buffer with its shape. */
export type MatrixLike = ArrayLike<number>[] | { data: ArrayLike<number>; rows: number; cols: number };

export interface GmdhData {
  x: MatrixLike;
  y: ArrayLike<number>;
  /** Names of the input columns for formulas and graphs; default x1, x2, ... */
  inputNames?: string[];
  targetName?: string;
}

export interface GmdhConfig {
  /** Reference function of every unit: "quadratic" (Ivakhnenko's a0..a5), "bilinear" or "linear". */
  reference: ReferenceName;
  /** External criterion that ranks candidates: "regularity" (default), "unbiasedness", "combined", or "train". */
  criterion: CriterionName;
  /** F: how many units survive in each layer. */
  keep: number;
  maxLayers: number;
  /**
   * Relative ridge: every diagonal entry of a normal matrix except the intercept's is multiplied by
   * (1 + ridge). Deep layers pair near-identical survivors; plain least squares then fits their tiny
   * differences with huge opposite coefficients (a·(u − v)²), which explode outside the training range
   * (measured on the NARX task: test MSE 1e5 at layer 7 with ridge 1e-6, 0.017 with 1e-3).
   */
  ridge: number;
  /** Fraction of rows held out as validation part B when no validation data is passed. */
  validationFraction: number;
  /** Seed of the A/B split. */
  splitSeed: number;
  /** A layer counts as better only if its best criterion is below (1 − minImprovement) × the previous best. */
  minImprovement: number;
  /** Keep growing to maxLayers after the stopping rule fired (to draw the whole U-curve); the model is unchanged. */
  growAll: boolean;
}

export const GMDH_DEFAULTS: GmdhConfig = {
  reference: "quadratic",
  criterion: "regularity",
  keep: 16,
  maxLayers: 10,
  ridge: 1e-3,
  validationFraction: 0.33,
  splitSeed: 0,
  minImprovement: 1e-3,
  growAll: false,
};

/** A fitted unit. Its coefficients are in raw units of its inputs and of the target. */
export interface GmdhUnit {
  /** "u<layer>.<rank>", rank 1 = best survivor of that layer; stable between the full and the pruned network. */
  name: string;
  layer: number;
  rank: number;
  /** Indices into the previous layer's units (layer 1: input columns). */
  inputs: [number, number];
  coefficients: number[];
  criterion: number;
  trainError: number;
  validationError: number;
}

export interface GmdhModel {
  reference: ReferenceName;
  inputNames: string[];
  targetName: string;
  /** Units layer by layer; the last layer holds the single output unit. */
  layers: GmdhUnit[][];
}

/** What happened in one layer: every candidate's errors and who survived. */
export interface GmdhLayerRecord {
  layer: number;
  /** Inputs of candidate p are (pairI[p], pairJ[p]), indices into the previous layer's survivors. */
  pairI: Int32Array;
  pairJ: Int32Array;
  criterion: Float64Array;
  trainError: Float64Array;
  validationError: Float64Array;
  /** Candidate indices of the survivors, best first. */
  kept: number[];
  units: GmdhUnit[];
  /** Criterion of the best survivor. */
  best: number;
  ms: number;
}

export interface GmdhFit {
  config: GmdhConfig;
  model: GmdhModel;
  history: GmdhLayerRecord[];
  /** Depth picked by the stopping rule (the model's depth). */
  selectedLayer: number;
  stopReason: string;
  /** Row indices of the training and validation parts (into data rows, then validation rows after them). */
  trainRows: Int32Array;
  validationRows: Int32Array;
}

interface Dense {
  data: Float64Array;
  rows: number;
  cols: number;
}

function toDense(x: MatrixLike, what: string): Dense {
  if (Array.isArray(x)) {
    const rows = x.length;
    const cols = rows ? x[0].length : 0;
    const data = new Float64Array(rows * cols);
    x.forEach((row, r) => {
      if (row.length !== cols) throw new Error(`${what}: row ${r} has ${row.length} values, row 0 has ${cols}; every row needs the same number of inputs.`);
      for (let c = 0; c < cols; c++) data[r * cols + c] = row[c];
    });
    return { data, rows, cols };
  }
  const m = x as { data: ArrayLike<number>; rows: number; cols: number };
  if (m.data.length !== m.rows * m.cols) {
    throw new Error(`${what}: data has ${m.data.length} values but rows×cols = ${m.rows}×${m.cols} = ${m.rows * m.cols}.`);
  }
  return { data: Float64Array.from(m.data), rows: m.rows, cols: m.cols };
}

function checkFinite(d: Dense, y: Float64Array | undefined, names: string[], what: string): void {
  for (let r = 0; r < d.rows; r++) {
    for (let c = 0; c < d.cols; c++) {
      const v = d.data[r * d.cols + c];
      if (!Number.isFinite(v)) throw new Error(`${what}: input ${names[c]} (column ${c}) is ${v} in row ${r}; GMDH needs finite numbers: impute or drop such rows first.`);
    }
    if (y && !Number.isFinite(y[r])) throw new Error(`${what}: the target is ${y[r]} in row ${r}; GMDH needs finite targets: drop such rows first.`);
  }
}

function columnStats(x: Float64Array, cols: number, rows: Int32Array): { mean: Float64Array; std: Float64Array } {
  const mean = new Float64Array(cols);
  const std = new Float64Array(cols);
  for (const r of rows) for (let c = 0; c < cols; c++) mean[c] += x[r * cols + c];
  for (let c = 0; c < cols; c++) mean[c] /= rows.length;
  for (const r of rows) {
    for (let c = 0; c < cols; c++) {
      const d = x[r * cols + c] - mean[c];
      std[c] += d * d;
    }
  }
  for (let c = 0; c < cols; c++) std[c] = Math.sqrt(std[c] / rows.length);
  return { mean, std };
}

function isConstant(mean: number, std: number): boolean {
  return !(std > 1e-9 * Math.max(1, Math.abs(mean)));
}

/** Everything one layer's fit produces (exported for the benchmark and tests). */
export interface LayerFit {
  pairI: Int32Array;
  pairJ: Int32Array;
  /** Coefficients of the standardised units fitted on A, [pairs, k]. */
  coefficients: Float64Array;
  criterion: Float64Array;
  trainError: Float64Array;
  validationError: Float64Array;
  mean: Float64Array;
  std: Float64Array;
}

/**
 * Fit every pair of the m columns of `x` (row-major [n, m]) on rows A, score on rows B.
 * `names[c]` names column c in error messages. Targets `yz` are already standardised.
 */
export async function fitLayer(
  x: Float64Array,
  m: number,
  yz: Float64Array,
  A: Int32Array,
  B: Int32Array,
  f: ReferenceFunction,
  criterion: CriterionName,
  ridge: number,
  names: string[],
): Promise<LayerFit> {
  if (m < 2) throw new Error(`a GMDH layer needs at least 2 inputs to form a pair, got ${m}.`);
  const { mean, std } = columnStats(x, m, A);
  for (let c = 0; c < m; c++) {
    if (isConstant(mean[c], std[c])) {
      throw new Error(
        `input ${names[c]} is constant (${mean[c]}) on the ${A.length} training rows; a constant column cannot enter a ` +
          `GMDH unit (its normal equations would be singular): drop it before fitting.`,
      );
    }
  }
  // Without a ridge clearly above the moments' float32 noise, collinear inputs would be judged by rounding.
  const tolerance = 2 * coefficientCount(f) * float32MomentNoise(A.length);
  if (ridge <= tolerance) {
    const pair = firstCollinearPair(x, m, A, mean, std, tolerance);
    if (pair) {
      // Index of (i, j) in allPairs order: (0,1), (0,2), …, (1,2), …
      const index = pair.i * m - (pair.i * (pair.i + 1)) / 2 + (pair.j - pair.i - 1);
      throw new SingularSystemError(
        index,
        `the normal equations of candidate (${names[pair.i]}, ${names[pair.j]}) are singular: the two inputs are collinear on the ` +
          `${A.length} training rows (standardised correlation ${pair.correlation.toFixed(9)}). Remove the duplicated input, or ` +
          `give a ridge above ${tolerance.toExponential(1)} (now ${ridge}).`,
      );
    }
  }
  const part = (rows: Int32Array): { z: Float32Array; y: Float32Array } => {
    const z = new Float32Array(rows.length * m);
    const y = new Float32Array(rows.length);
    rows.forEach((r, o) => {
      for (let c = 0; c < m; c++) z[o * m + c] = (x[r * m + c] - mean[c]) / std[c];
      y[o] = yz[r];
    });
    return z.length ? { z, y } : { z, y };
  };
  const powers = momentPowers(f);
  const a = part(A);
  const b = part(B);
  const momA = await partMoments(a.z, a.y, A.length, m, powers);
  const momB = await partMoments(b.z, b.y, B.length, m, powers);
  const { i: I, j: J } = allPairs(m);
  const describe = (p: number) => `(${names[I[p]]}, ${names[J[p]]})`;
  const sysA = pairSystems(momA, f, I, J);
  const sysB = pairSystems(momB, f, I, J);
  const coefA = solveBatched(sysA, ridge, describe);
  const coefB = needsValidationFit(criterion) ? solveBatched(sysB, ridge, (p) => `${describe(p)} (fitted on the validation part)`) : undefined;
  const errors = candidateErrors(criterion, sysA, sysB, coefA, coefB);
  return {
    pairI: I,
    pairJ: J,
    coefficients: coefA,
    criterion: errors.criterion,
    trainError: errors.train,
    validationError: errors.validation,
    mean,
    std,
  };
}

/** Candidate indices sorted by criterion, ties broken by index (determinism). */
export function rankCandidates(criterion: Float64Array): number[] {
  return Array.from(criterion.keys()).sort((p, q) => criterion[p] - criterion[q] || p - q);
}

/**
 * The stopping rule on the sequence of per-layer best criteria (index 0 = layer 1): the selected depth
 * is the last layer that improved on its predecessor by more than the relative `minImprovement`,
 * stopping at the first layer that did not. Returns the selected depth (1-based) and whether the
 * sequence so far already triggers the stop.
 */
export function stoppingRule(bests: number[], minImprovement: number): { selected: number; stop: boolean } {
  let selected = 1;
  for (let r = 1; r < bests.length; r++) {
    if (bests[r] < bests[selected - 1] * (1 - minImprovement)) selected = r + 1;
    else return { selected, stop: true };
  }
  return { selected, stop: false };
}

/**
 * Path pruning: the indices of the units each layer must keep so that unit `index` of layer `layer`
 * (1-based) can be computed. `layers[r][u]` gives the inputs of unit u in layer r + 1.
 * Returns one sorted index list per layer 0..layer (layer 0 = input columns).
 */
export function pathToUnit(layers: ReadonlyArray<ReadonlyArray<{ inputs: readonly [number, number] }>>, layer: number, index: number): number[][] {
  const needed: number[][] = new Array(layer + 1);
  needed[layer] = [index];
  for (let r = layer; r >= 1; r--) {
    const set = new Set<number>();
    for (const u of needed[r]) for (const i of layers[r - 1][u].inputs) set.add(i);
    needed[r - 1] = [...set].sort((p, q) => p - q);
  }
  return needed;
}

/** The path-pruned model whose output is the best unit of `layer` of a fit (depth = layer). */
export function modelAtLayer(fit: GmdhFit, layer: number): GmdhModel {
  if (!Number.isInteger(layer) || layer < 1 || layer > fit.history.length) {
    throw new Error(`layer ${layer} was not grown; this fit has layers 1..${fit.history.length}.`);
  }
  const unitsPerLayer = fit.history.map((h) => h.units);
  const needed = pathToUnit(unitsPerLayer, layer, 0);
  const layers: GmdhUnit[][] = [];
  for (let r = 1; r <= layer; r++) {
    const prev = needed[r - 1];
    const remap = new Map(prev.map((old, neu) => [old, neu]));
    layers.push(
      needed[r].map((u) => {
        const unit = unitsPerLayer[r - 1][u];
        // Layer 1 keeps raw column indices: the model reads the same input vector it was trained on.
        const inputs: [number, number] = r === 1 ? [unit.inputs[0], unit.inputs[1]] : [remap.get(unit.inputs[0])!, remap.get(unit.inputs[1])!];
        return { ...unit, inputs, coefficients: unit.coefficients.slice() };
      }),
    );
  }
  return { reference: fit.model.reference, inputNames: fit.model.inputNames, targetName: fit.model.targetName, layers };
}

/**
 * Grow a GMDH network. `validation`, when given, is the validation part B; otherwise B is a seeded random
 * `validationFraction` of the rows of `data`.
 */
export async function fitGmdh(data: GmdhData, options: Partial<GmdhConfig> = {}, validation?: GmdhData): Promise<GmdhFit> {
  const cfg = resolveConfig(GMDH_DEFAULTS as unknown as Config, options as Record<string, unknown>, "the GMDH options") as unknown as GmdhConfig;
  const f = referenceFunction(cfg.reference);
  checkCriterion(cfg.criterion);
  const k = coefficientCount(f);
  if (!Number.isInteger(cfg.keep) || cfg.keep < 2) throw new Error(`keep (F, survivors per layer) must be an integer >= 2, got ${cfg.keep}.`);
  if (!Number.isInteger(cfg.maxLayers) || cfg.maxLayers < 1) throw new Error(`maxLayers must be an integer >= 1, got ${cfg.maxLayers}.`);
  if (!(cfg.ridge >= 0)) throw new Error(`ridge must be >= 0, got ${cfg.ridge}.`);

  const X0 = toDense(data.x, "data.x");
  const y0 = Float64Array.from(data.y);
  if (y0.length !== X0.rows) throw new Error(`data.y has ${y0.length} values but data.x has ${X0.rows} rows; they must match.`);
  const d = X0.cols;
  const inputNames = data.inputNames ?? Array.from({ length: d }, (_, c) => `x${c + 1}`);
  if (inputNames.length !== d) throw new Error(`inputNames has ${inputNames.length} names for ${d} input columns.`);
  if (d < 2) throw new Error(`GMDH needs at least 2 input columns to form a pair, got ${d}.`);
  checkFinite(X0, y0, inputNames, "data");

  let X = X0.data;
  let y = y0;
  let A: Int32Array;
  let B: Int32Array;
  if (validation) {
    const XV = toDense(validation.x, "validation.x");
    const yV = Float64Array.from(validation.y);
    if (XV.cols !== d) throw new Error(`validation.x has ${XV.cols} columns but data.x has ${d}.`);
    if (yV.length !== XV.rows) throw new Error(`validation.y has ${yV.length} values but validation.x has ${XV.rows} rows.`);
    checkFinite(XV, yV, inputNames, "validation");
    X = new Float64Array(X0.data.length + XV.data.length);
    X.set(X0.data);
    X.set(XV.data, X0.data.length);
    y = new Float64Array(y0.length + yV.length);
    y.set(y0);
    y.set(yV, y0.length);
    A = Int32Array.from({ length: X0.rows }, (_, r) => r);
    B = Int32Array.from({ length: XV.rows }, (_, r) => X0.rows + r);
  } else {
    if (!(cfg.validationFraction >= 0 && cfg.validationFraction < 1)) {
      throw new Error(`validationFraction must be in [0, 1), got ${cfg.validationFraction}.`);
    }
    const perm = permutation(X0.rows, makeRng(cfg.splitSeed));
    const nB = Math.round(X0.rows * cfg.validationFraction);
    B = Int32Array.from(perm.subarray(0, nB)).sort();
    A = Int32Array.from(perm.subarray(nB)).sort();
  }
  if (B.length === 0) {
    throw new Error(
      `the validation part is empty (${X0.rows} rows, validationFraction ${cfg.validationFraction}); GMDH ranks units on ` +
        `held-out rows: raise validationFraction or pass validation data.`,
    );
  }
  if (A.length < k) {
    throw new Error(
      `the training part has ${A.length} rows but a ${f.name} unit has ${k} coefficients; least squares needs at least ${k} ` +
        `rows (many more, in practice): add data, lower validationFraction, or use a smaller reference function.`,
    );
  }
  if (needsValidationFit(cfg.criterion) && B.length < k) {
    throw new Error(`criterion ${cfg.criterion} fits every unit on the validation part too, which has ${B.length} rows < ${k} coefficients; enlarge it.`);
  }
  let yMean = 0;
  for (const r of A) yMean += y[r];
  yMean /= A.length;
  let yVar = 0;
  for (const r of A) yVar += (y[r] - yMean) ** 2;
  const yStd = Math.sqrt(yVar / A.length);
  if (isConstant(yMean, yStd)) throw new Error(`the target is constant (${yMean}) on the training part; there is nothing to model.`);
  const yz = y.map((v) => (v - yMean) / yStd);

  const n = y.length;
  const history: GmdhLayerRecord[] = [];
  let inputs = X;
  let m = d;
  let names = inputNames;
  let stopReason = `reached maxLayers = ${cfg.maxLayers}`;
  let selected = 1;
  let stopped = false;
  for (let layer = 1; layer <= cfg.maxLayers; layer++) {
    if (m < 2) {
      stopReason = stopped ? stopReason : `layer ${layer - 1} has a single survivor, so no pair is left to form`;
      break;
    }
    const t0 = performance.now();
    const fitted = await fitLayer(inputs, m, yz, A, B, f, cfg.criterion, cfg.ridge, names);
    const order = rankCandidates(fitted.criterion);
    const kept = order.slice(0, Math.min(cfg.keep, order.length));
    const units: GmdhUnit[] = kept.map((p, rank) => {
      const i = fitted.pairI[p];
      const j = fitted.pairJ[p];
      const a = fitted.coefficients.subarray(p * k, (p + 1) * k);
      const c = destandardize(f, a, fitted.mean[i], fitted.std[i], fitted.mean[j], fitted.std[j], yMean, yStd);
      return {
        name: `u${layer}.${rank + 1}`,
        layer,
        rank: rank + 1,
        inputs: [i, j],
        coefficients: Array.from(c),
        criterion: fitted.criterion[p],
        trainError: fitted.trainError[p],
        validationError: fitted.validationError[p],
      };
    });
    // The survivors' outputs on every row (A and B) are the next layer's inputs.
    const next = new Float64Array(n * units.length);
    units.forEach((u, o) => evaluateColumns(f, u, inputs, m, n, next, units.length, o));
    history.push({
      layer,
      pairI: fitted.pairI,
      pairJ: fitted.pairJ,
      criterion: fitted.criterion,
      trainError: fitted.trainError,
      validationError: fitted.validationError,
      kept,
      units,
      best: units[0].criterion,
      ms: performance.now() - t0,
    });
    inputs = next;
    m = units.length;
    names = units.map((u) => u.name);
    if (!stopped) {
      const rule = stoppingRule(
        history.map((h) => h.best),
        cfg.minImprovement,
      );
      selected = rule.selected;
      if (rule.stop) {
        stopped = true;
        stopReason = `layer ${layer}'s best ${cfg.criterion} criterion ${units[0].criterion.toPrecision(4)} did not improve on layer ${selected}'s ${history[selected - 1].best.toPrecision(4)}`;
        if (!cfg.growAll) break;
      }
    }
  }
  const partial: GmdhFit = {
    config: cfg,
    model: { reference: f.name, inputNames, targetName: data.targetName ?? "y", layers: [] },
    history,
    selectedLayer: selected,
    stopReason,
    trainRows: A,
    validationRows: B,
  };
  partial.model = modelAtLayer(partial, selected);
  return partial;
}

/** Unit u on every row of `inputs` ([rows, m]) into column `o` of `out` ([rows, outCols]). */
function evaluateColumns(f: ReferenceFunction, u: GmdhUnit, inputs: Float64Array, m: number, rows: number, out: Float64Array, outCols: number, o: number): void {
  const [i, j] = u.inputs;
  const c = u.coefficients;
  if (f.name === "quadratic") {
    // The common case written out: a plain loop of 8 multiply-adds per row.
    const [c0, c1, c2, c3, c4, c5] = c;
    for (let r = 0; r < rows; r++) {
      const a = inputs[r * m + i];
      const b = inputs[r * m + j];
      out[r * outCols + o] = c0 + a * (c1 + c3 * b + c4 * a) + b * (c2 + c5 * b);
    }
    return;
  }
  for (let r = 0; r < rows; r++) out[r * outCols + o] = evaluateUnit(f, c, inputs[r * m + i], inputs[r * m + j]);
}

/** Predictions of a model for rows of x (float64, plain JS: a handful of units, 6 multiply-adds each). */
export function predictGmdh(model: GmdhModel, x: MatrixLike): Float64Array {
  const X = toDense(x, "x");
  if (X.cols !== model.inputNames.length) throw new Error(`x has ${X.cols} columns but the model was fitted on ${model.inputNames.length} inputs.`);
  const f = referenceFunction(model.reference);
  let inputs = X.data;
  let m = X.cols;
  for (const layer of model.layers) {
    const next = new Float64Array(X.rows * layer.length);
    layer.forEach((u, o) => evaluateColumns(f, u, inputs, m, X.rows, next, layer.length, o));
    inputs = next;
    m = layer.length;
  }
  return inputs;
}

/** Number of fitted coefficients in the (pruned) model. */
export function countGmdhParams(model: GmdhModel): number {
  const k = coefficientCount(referenceFunction(model.reference));
  return model.layers.reduce((s, l) => s + l.length * k, 0);
}

/** The model as polynomial formulas, one line per unit, inputs named, then the output line. */
export function gmdhFormulas(model: GmdhModel, digits = 4): string[] {
  const f = referenceFunction(model.reference);
  const lines: string[] = [];
  let names = model.inputNames;
  for (const layer of model.layers) {
    for (const u of layer) lines.push(`${u.name} = ${formatPolynomial(f, u.coefficients, names[u.inputs[0]], names[u.inputs[1]], digits)}`);
    names = layer.map((u) => u.name);
  }
  lines.push(`${model.targetName} ≈ ${names[0]}`);
  return lines;
}

export interface GmdhGraphNode {
  id: string;
  label: string;
  /** 0 = inputs. */
  layer: number;
  /** Vertical slot within the layer (input column or survivor rank − 1). */
  slot: number;
  kind: "input" | "unit";
  /** On the path to the selected output unit. */
  onPath: boolean;
  criterion?: number;
}

export interface GmdhGraph {
  nodes: GmdhGraphNode[];
  edges: { from: string; to: string; onPath: boolean }[];
  outputId: string;
}

/**
 * Graph of a fit for drawing: the inputs, every survivor of layers 1..upToLayer (default: the selected
 * depth) and their input edges, with the path to the model's output marked. `onlyPath` drops the rest.
 */
export function gmdhGraph(fit: GmdhFit, opts: { upToLayer?: number; onlyPath?: boolean } = {}): GmdhGraph {
  const top = opts.upToLayer ?? fit.selectedLayer;
  if (top < 1 || top > fit.history.length) throw new Error(`upToLayer ${top} is outside the grown layers 1..${fit.history.length}.`);
  const needed = pathToUnit(
    fit.history.map((h) => h.units),
    fit.selectedLayer,
    0,
  );
  const onPath = (layer: number, idx: number) => layer <= fit.selectedLayer && needed[layer].includes(idx);
  const nodes: GmdhGraphNode[] = [];
  const edges: GmdhGraph["edges"] = [];
  const inputId = (c: number) => `in${c}`;
  fit.model.inputNames.forEach((name, c) => {
    if (!opts.onlyPath || onPath(0, c)) nodes.push({ id: inputId(c), label: name, layer: 0, slot: c, kind: "input", onPath: onPath(0, c) });
  });
  for (let r = 1; r <= top; r++) {
    const prev = r === 1 ? null : fit.history[r - 2].units;
    fit.history[r - 1].units.forEach((u, idx) => {
      const path = onPath(r, idx);
      if (opts.onlyPath && !path) return;
      nodes.push({ id: u.name, label: u.name, layer: r, slot: idx, kind: "unit", onPath: path, criterion: u.criterion });
      for (const i of u.inputs) edges.push({ from: prev ? prev[i].name : inputId(i), to: u.name, onPath: path });
    });
  }
  return { nodes, edges, outputId: fit.history[fit.selectedLayer - 1].units[0].name };
}
