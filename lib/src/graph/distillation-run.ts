/**
 * The graph-distillation experiment of the notebook, one call per seed: draw a stochastic block model
 * (or take any graph, e.g. a user's, with `distilOnGraph`), split its nodes, train the GCN teacher, an
 * MLP on the labelled nodes' classes, and the same MLP distilled from the GCN's soft labels on every
 * node (GLNN), and score all three on the test nodes.
 */
import { normalisedAdjacency } from "./adjacency";
import { nodeSplit, nodeTensors, trainGcnTeacher, trainNodeMlp, GcnTeacherConfig, MlpStudentConfig, NodeTrainConfig, TrainedNodeModel } from "./node-training";
import { Gcn } from "./gcn";
import { Mlp } from "../core/models";
import { SbmConfig, SbmGraph, stochasticBlockModel, blockDensities, featureOnlyBayesAccuracy } from "./sbm";
import { NodeGraph, edgeHomophily } from "./graph";
import { deriveSeed } from "@kdh/datasets";

export interface GraphDistillationConfig extends Omit<SbmConfig, "seed">, Omit<NodeTrainConfig, "seed"> {
  labelsPerClass: number;
  validation: number;
  /** Fraction of the test nodes held out of the student's training (GLNN's inductive setting). */
  unseenFraction: number;
  gcnHidden: number;
  mlpHidden: number[];
  dropout: number;
  /** GLNN's weight of the hard-label term. */
  lambda: number;
  temperature: number;
}

export interface ModelScore {
  train: number;
  val: number;
  test: number;
  unseen: number;
  bestEpoch: number;
  seconds: number;
  params: number;
}

export interface GraphDistillationSeed {
  seed: number;
  graph: { nodes: number; edges: number; homophily: number; within: number; across: number; description: string };
  split: { train: number; val: number; test: number; unseen: number };
  gcn: ModelScore;
  mlpHard: ModelScore;
  mlpDistilled: ModelScore;
  /** The feature-only Bayes classifier's accuracy (it knows the generator) on the test and unseen nodes;
   * absent for a graph that does not come from the block model. */
  featureBayes?: { test: number; unseen: number };
}

const score = (m: TrainedNodeModel): ModelScore => ({ ...m.accuracy, bestEpoch: m.training.bestEpoch, seconds: m.training.seconds, params: m.params });

/** The training settings shared by every graph: everything in GraphDistillationConfig but the generator's. */
export type GraphTrainingConfig = Omit<GraphDistillationConfig, keyof Omit<SbmConfig, "seed">>;

/**
 * One seed of the block-model experiment: a fresh graph drawn from the generator, then distilOnGraph.
 * `keep` receives the trained GCN and distilled MLP (for timing) instead of their disposal; the caller
 * then owns them.
 */
export function runGraphDistillationSeed(cfg: GraphDistillationConfig, seed: number, keep?: (gcn: Gcn, mlp: Mlp, graph: SbmGraph) => void): GraphDistillationSeed {
  const graph = stochasticBlockModel({ ...cfg, seed: deriveSeed(seed, "graph") });
  return distilOnGraph(graph, cfg, seed, keep ? (gcn, mlp) => keep(gcn, mlp, graph) : undefined);
}

/** The three models on any node graph (generated or loaded with loadGraphFiles), one seed. */
export function distilOnGraph(graph: NodeGraph, cfg: GraphTrainingConfig, seed: number, keep?: (gcn: Gcn, mlp: Mlp) => void): GraphDistillationSeed {
  const split = nodeSplit(graph.labels, graph.classes, { labelsPerClass: cfg.labelsPerClass, validation: cfg.validation, unseenFraction: cfg.unseenFraction, seed: deriveSeed(seed, "split") });
  const t = nodeTensors(normalisedAdjacency(graph), graph.features, graph.featureSize, graph.labels, graph.classes);
  const train = { epochs: cfg.epochs, learningRate: cfg.learningRate, weightDecay: cfg.weightDecay, patience: cfg.patience };
  const gcnCfg: GcnTeacherConfig = { ...train, hidden: cfg.gcnHidden, dropout: cfg.dropout, seed };
  const mlpCfg: MlpStudentConfig = { ...train, hidden: cfg.mlpHidden, dropout: cfg.dropout, seed };
  const gcn = trainGcnTeacher(t, split, gcnCfg);
  let hard: TrainedNodeModel | undefined;
  let distilled: (TrainedNodeModel & { model: Mlp }) | undefined;
  try {
    hard = trainNodeMlp(t, split, { kind: "hard" }, mlpCfg);
    const teacherLogits = gcn.logits();
    try {
      distilled = trainNodeMlp(t, split, { kind: "distilled", teacherLogits, lambda: cfg.lambda, temperature: cfg.temperature }, mlpCfg);
    } finally {
      teacherLogits.dispose();
    }
    const d = blockDensities(graph);
    const sbm = "patterns" in graph ? (graph as SbmGraph) : undefined;
    const result: GraphDistillationSeed = {
      seed,
      graph: { nodes: graph.nodes, edges: graph.edges.length, homophily: edgeHomophily(graph), within: d.within, across: d.across, description: graph.description },
      split: { train: split.train.length, val: split.val.length, test: split.test.length, unseen: split.unseen.length },
      gcn: score(gcn),
      mlpHard: score(hard),
      mlpDistilled: score(distilled),
      ...(sbm ? { featureBayes: { test: featureOnlyBayesAccuracy(sbm, split.test), unseen: split.unseen.length ? featureOnlyBayesAccuracy(sbm, split.unseen) : NaN } } : {}),
    };
    if (keep) {
      keep(gcn.model, distilled.model);
      distilled = undefined;
      return result;
    }
    gcn.dispose();
    return result;
  } catch (e) {
    gcn.dispose();
    throw e;
  } finally {
    hard?.dispose();
    distilled?.dispose();
    t.dispose();
  }
}
