/**
 * Baseline deletion orders with the same interface as OBD's saliency (a score per parameter, lowest
 * deleted first): magnitude pruning, the rule OBD was compared against in LeCun, Denker & Solla (1989,
 * Fig. 1: "magnitude-based deletion"), and random pruning, the floor any rule should beat.
 * Also the registry of scoring rules by name, so a config can say `method: "obd"`.
 */
import { makeRng } from "@kdh/datasets";
import { LayerParams, PrunableLayer, PruningData, PruningLoss, checkLayers, readParams } from "./dense";
import { HessianOptions } from "./hessian-diagonal";
import { obdSaliency } from "./saliency";

/** |θ|: small weights are assumed unimportant (ignores how sensitive the objective is to them). */
export function magnitudeScores(layers: PrunableLayer[]): LayerParams {
  return readParams(checkLayers(layers)).map((p) => ({ W: p.W.map(Math.abs), b: p.b.map(Math.abs) }));
}

/** Uniform random scores from a seeded generator: a random deletion order. */
export function randomScores(layers: PrunableLayer[], seed: number): LayerParams {
  const rng = makeRng(seed);
  return checkLayers(layers).map((l) => ({
    W: new Float32Array(l.W.size).map(() => rng.next()),
    b: new Float32Array(l.b.size).map(() => rng.next()),
  }));
}

export const PRUNING_METHODS = ["obd", "magnitude", "random"] as const;
export type PruningMethod = (typeof PRUNING_METHODS)[number];

export interface ScoreContext {
  data: PruningData;
  loss: PruningLoss;
  /** Seed for the random rule (one per round, so rounds do not repeat an order). */
  seed: number;
  hessian?: HessianOptions;
}

/** Scores for the named rule; lower = delete first. */
export function pruningScores(method: string, layers: PrunableLayer[], ctx: ScoreContext): LayerParams {
  switch (method) {
    case "obd":
      return obdSaliency(layers, ctx.data, ctx.loss, ctx.hessian);
    case "magnitude":
      return magnitudeScores(layers);
    case "random":
      return randomScores(layers, ctx.seed);
    default:
      throw new Error(`pruning method ${JSON.stringify(method)} is unknown; expected one of ${PRUNING_METHODS.join(", ")}.`);
  }
}
