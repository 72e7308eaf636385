/**
 * The Optimal Brain Damage procedure (LeCun, Denker & Solla, 1989, section 3):
 *   1. choose an architecture and train it to a minimum;
 *   2. compute the second derivatives h_kk of every parameter;
 *   3. compute the saliencies s_k = ½ h_kk θ_k²;
 *   4. sort by saliency and delete some low-saliency parameters;
 *   5. retrain, then go back to step 2 (until the objective or the size is where we want it).
 * The deletion rule is pluggable (OBD, magnitude, random, see baselines.ts) so the baselines run the
 * identical loop. Also the one-shot experiments behind the paper's Fig. 1: delete in score order
 * without retraining and measure the objective (actual) next to the sum of saliencies (predicted).
 */
import { deriveSeed } from "@kdh/datasets";
import { LayerParams, PrunableLayer, PruningData, PruningLoss, checkBatchSize, checkData, checkLayers, checkLoss, flattenParams, objectiveOn, readParams, writeParams } from "./dense";
import { PRUNING_METHODS, PruningMethod, pruningScores } from "./baselines";
import { PruningMask, countFromFraction } from "./masks";
import type { Network } from "../core/models";
import { LossFn, TrainConfig, TrainHooks, TrainSet, trainNetwork } from "../core/train";

export interface PruneLoopConfig {
  method: PruningMethod;
  /** Number of delete(-retrain) rounds. */
  rounds: number;
  /** Per round, delete this fraction of the parameters still remaining (used when deleteCount is 0). */
  deleteFraction: number;
  /** Per round, delete this many parameters (takes precedence when > 0). */
  deleteCount: number;
  loss: PruningLoss;
  /** May biases be deleted? The paper counts every free parameter. */
  includeBiases: boolean;
  /** Batch size of the Hessian and objective passes (memory only, not results). */
  batchSize: number;
  /** Seed for the random rule (each round derives its own). */
  seed: number;
}

export const DEFAULT_PRUNE_LOOP_CONFIG: PruneLoopConfig = {
  method: "obd",
  rounds: 5,
  deleteFraction: 0.2,
  deleteCount: 0,
  loss: "cross-entropy",
  includeBiases: true,
  batchSize: 512,
  seed: 0,
};

export interface PruneRound {
  round: number;
  method: PruningMethod;
  deletedThisRound: number;
  /** Totals after this round's deletions. */
  deleted: number;
  remaining: number;
  /** Objective on the pruning data before this round's deletions. */
  objectiveBefore: number;
  /** Objective right after deletion (no retraining). */
  objectiveAfterDelete: number;
  /** Sum of the deleted parameters' scores: the predicted increase, meaningful for OBD only. */
  predictedIncrease: number;
  /** Objective after retraining (undefined without a retrain hook). */
  objectiveAfterRetrain?: number;
  /** Whatever the `evaluate` hook measured after this round (e.g. test error). */
  metrics?: Record<string, number>;
}

export interface PruneLoopHooks {
  /** Retrain the masked network in place; it must keep the mask (see `retrainWithMask`). */
  retrain?: (mask: PruningMask, round: number) => Promise<void> | void;
  /** Extra measurements after each round (after retraining). */
  evaluate?: (round: number) => Record<string, number>;
  onRound?: (record: PruneRound) => void;
  /** Start from this mask (e.g. to continue a loop); default keeps everything. */
  mask?: PruningMask;
}

function checkPruneConfig(cfg: PruneLoopConfig): PruneLoopConfig {
  if (!(PRUNING_METHODS as readonly string[]).includes(cfg.method)) {
    throw new Error(`method ${JSON.stringify(cfg.method)} is unknown; expected one of ${PRUNING_METHODS.join(", ")}.`);
  }
  if (!Number.isInteger(cfg.rounds) || cfg.rounds < 1) throw new Error(`rounds must be a positive integer, got ${cfg.rounds}.`);
  if (!Number.isInteger(cfg.deleteCount) || cfg.deleteCount < 0) {
    throw new Error(`deleteCount must be a non-negative integer, got ${cfg.deleteCount}; use 0 to delete by deleteFraction instead.`);
  }
  if (cfg.deleteCount === 0) countFromFraction(cfg.deleteFraction, 1);
  checkLoss(cfg.loss);
  checkBatchSize(cfg.batchSize);
  return cfg;
}

/**
 * Run the loop on `layers` in place. Returns one record per round and the final mask (the caller
 * owns it: dispose it when done). Deleted parameters are exactly zero in `layers` afterwards.
 */
export async function pruneLoop(
  layersIn: PrunableLayer[],
  data: PruningData,
  config: Partial<PruneLoopConfig>,
  hooks: PruneLoopHooks = {},
): Promise<{ rounds: PruneRound[]; mask: PruningMask }> {
  const cfg = checkPruneConfig({ ...DEFAULT_PRUNE_LOOP_CONFIG, ...config });
  const layers = checkLayers(layersIn);
  checkData(layers, data);
  const mask = hooks.mask ?? PruningMask.keepAll(layers);
  const deleteOpts = { includeBiases: cfg.includeBiases };
  const rounds: PruneRound[] = [];
  for (let round = 1; round <= cfg.rounds; round++) {
    const available = mask.candidates(deleteOpts).length;
    const count = cfg.deleteCount > 0 ? cfg.deleteCount : countFromFraction(cfg.deleteFraction, available);
    if (count > available) {
      throw new Error(`round ${round}: cannot delete ${count} parameters, only ${available} remain deletable; lower deleteCount or rounds (${cfg.rounds}).`);
    }
    const objectiveBefore = objectiveOn(layers, data, cfg.loss, cfg.batchSize);
    const scores = pruningScores(cfg.method, layers, { data, loss: cfg.loss, seed: deriveSeed(cfg.seed, `round:${round}`), hessian: { batchSize: cfg.batchSize } });
    const chosen = mask.deleteLowest(scores, count, deleteOpts);
    const flat = flattenParams(scores);
    const predictedIncrease = chosen.reduce((s, k) => s + flat[k], 0);
    mask.apply(layers);
    const record: PruneRound = {
      round,
      method: cfg.method,
      deletedThisRound: chosen.length,
      deleted: mask.deleted(),
      remaining: mask.remaining(),
      objectiveBefore,
      objectiveAfterDelete: objectiveOn(layers, data, cfg.loss, cfg.batchSize),
      predictedIncrease,
    };
    if (hooks.retrain) {
      await hooks.retrain(mask, round);
      mask.apply(layers); // cheap insurance: a retrain hook that forgot the mask cannot leak revived weights
      record.objectiveAfterRetrain = objectiveOn(layers, data, cfg.loss, cfg.batchSize);
    }
    if (hooks.evaluate) record.metrics = hooks.evaluate(round);
    rounds.push(record);
    hooks.onRound?.(record);
  }
  return { rounds, mask };
}

/**
 * Retrain a masked network with the suite's trainer, re-applying the mask after every optimizer step
 * so deleted parameters stay exactly zero whatever the optimizer's state (see masks.ts).
 */
export function retrainWithMask(
  net: Network & { layers: PrunableLayer[] },
  data: TrainSet,
  loss: LossFn,
  config: Partial<TrainConfig>,
  mask: PruningMask,
  hooks: Omit<TrainHooks, "afterStep"> = {},
) {
  mask.apply(net.layers);
  return trainNetwork(net, data, loss, config, { ...hooks, afterStep: () => mask.apply(net.layers) });
}

export interface DeletionCurvePoint {
  deleted: number;
  remaining: number;
  /** Objective with the `deleted` lowest-scoring parameters set to zero, no retraining. */
  objective: number;
  /** Objective at no deletion + the sum of the deleted scores (OBD's prediction). */
  predicted: number;
  /** Whatever `options.evaluate` measured on the pruned network (e.g. test objective and error). */
  metrics?: Record<string, number>;
}

/**
 * Delete parameters one score-ordered batch at a time without retraining and measure the objective
 * at each requested count (the paper's Fig. 1). The network's weights are restored at the end.
 */
export function deletionCurve(
  layersIn: PrunableLayer[],
  data: PruningData,
  loss: PruningLoss,
  scores: LayerParams,
  counts: number[],
  options: { includeBiases?: boolean; batchSize?: number; evaluate?: (deleted: number) => Record<string, number> } = {},
): DeletionCurvePoint[] {
  const layers = checkLayers(layersIn);
  const batchSize = options.batchSize ?? 1024;
  const saved = readParams(layers);
  const mask = PruningMask.keepAll(layers);
  const total = mask.total();
  const sorted = [...counts].sort((a, b) => a - b);
  const out: DeletionCurvePoint[] = [];
  try {
    const base = objectiveOn(layers, data, loss, batchSize);
    const flat = flattenParams(scores);
    let predicted = base;
    let done = 0;
    for (const c of sorted) {
      const chosen = mask.deleteLowest(scores, c - done, { includeBiases: options.includeBiases });
      for (const k of chosen) predicted += flat[k];
      done = c;
      mask.apply(layers);
      const point: DeletionCurvePoint = { deleted: c, remaining: total - c, objective: objectiveOn(layers, data, loss, batchSize), predicted };
      if (options.evaluate) point.metrics = options.evaluate(c);
      out.push(point);
    }
  } finally {
    mask.dispose();
    writeParams(layers, saved);
  }
  return out;
}

/**
 * The actual objective increase of deleting each listed parameter on its own (all others kept),
 * to compare with its saliency. One objective pass per index: for small nets and samples of indices.
 */
export function singleDeletionIncreases(layersIn: PrunableLayer[], data: PruningData, loss: PruningLoss, indices: number[], batchSize = 1024): Float64Array {
  const layers = checkLayers(layersIn);
  const saved = readParams(layers);
  const base = objectiveOn(layers, data, loss, batchSize);
  const out = new Float64Array(indices.length);
  try {
    indices.forEach((k, i) => {
      const m = PruningMask.keepAll(layers);
      m.deleteIndices([k]);
      m.apply(layers);
      m.dispose();
      out[i] = objectiveOn(layers, data, loss, batchSize) - base;
      writeParams(layers, saved);
    });
  } finally {
    writeParams(layers, saved);
  }
  return out;
}
