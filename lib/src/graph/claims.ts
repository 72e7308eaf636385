/**
 * The graph-distillation notebook's recipe (quick and full defaults, a rule per parameter) and its
 * claims, as data (judged by the catalog's significance rule, catalog/verdicts.ts). Thresholds are fixed here, before any run.
 */
import type { ParamRules } from "../core/config";
import type { Claim } from "../catalog/types";

export const GRAPH_DISTILLATION_QUICK = {
  seeds: [0, 1, 2, 3, 4],
  nodes: 1000,
  classes: 4,
  meanDegree: 8,
  homophily: 0.7,
  featureSize: 64,
  signal: 0.25,
  labelsPerClass: 20,
  validation: 200,
  unseenFraction: 0.5,
  gcnHidden: 16,
  mlpHidden: [64],
  dropout: 0.5,
  epochs: 200,
  learningRate: 0.01,
  weightDecay: 5e-4,
  patience: 10,
  lambda: 0,
  temperature: 1,
  timingSizes: [256, 512, 1024, 2048, 4096],
  timingRepeats: 9,
};

export const GRAPH_DISTILLATION_FULL: Partial<typeof GRAPH_DISTILLATION_QUICK> = {
  seeds: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  nodes: 2800,
  classes: 7,
  featureSize: 128,
  signal: 0.2,
  validation: 500,
  timingSizes: [448, 896, 1792, 3584, 7168],
  timingRepeats: 15,
};

export const GRAPH_DISTILLATION_RULES: ParamRules<typeof GRAPH_DISTILLATION_QUICK> = {
  seeds: { integer: true, min: 0, minLength: 1, maxLength: 100, what: "seeds (3 or more for significance)" },
  nodes: { integer: true, min: 8, max: 16384, what: "nodes of the block model (a multiple of classes)" },
  classes: { integer: true, min: 2, max: 100, what: "classes (blocks)" },
  meanDegree: { min: 0.1, max: 1000, what: "expected neighbours per node" },
  homophily: { min: 0, max: 1, what: "expected fraction of edges inside a block" },
  featureSize: { integer: true, min: 1, max: 10000, what: "features per node" },
  signal: { min: 0, max: 100, what: "size of the class pattern per feature against unit noise" },
  labelsPerClass: { integer: true, min: 1, max: 10000, what: "labelled nodes per class" },
  validation: { integer: true, min: 1, max: 16384, what: "validation nodes" },
  unseenFraction: { min: 0, max: 0.95, what: "fraction of the test nodes held out of the student's training" },
  gcnHidden: { integer: true, min: 1, max: 4096, what: "GCN hidden units" },
  mlpHidden: { integer: true, min: 1, max: 4096, minLength: 0, maxLength: 8, what: "MLP hidden units per layer" },
  dropout: { min: 0, max: 0.95, what: "dropout rate" },
  epochs: { integer: true, min: 1, max: 100000, what: "most full-batch epochs" },
  learningRate: { min: 1e-6, max: 1, what: "Adam learning rate" },
  weightDecay: { min: 0, max: 1, what: "L2 weight decay on the first layer" },
  patience: { integer: true, min: 0, max: 100000, what: "early-stopping window (epochs)" },
  lambda: { min: 0, max: 1, what: "GLNN's weight of the hard-label term" },
  temperature: { min: 0.01, max: 100, what: "distillation temperature" },
  timingSizes: { integer: true, min: 8, max: 16384, minLength: 2, maxLength: 12, what: "graph sizes for the timing (multiples of classes)" },
  timingRepeats: { integer: true, min: 1, max: 1000, what: "timed repeats per size (the fastest is kept)" },
};

const KIPF = "Kipf & Welling 2017, Semi-Supervised Classification with Graph Convolutional Networks (ICLR)";
const GLNN = "Zhang, Liu, Sun & Shah 2022, Graph-less Neural Networks: Teaching Old MLPs New Tricks via Distillation (ICLR)";

export const GRAPH_DISTILLATION_CLAIMS: Claim[] = [
  {
    id: "gcn-beats-mlp",
    statement: "The GCN, which aggregates each node's neighbourhood, classifies the test nodes better than an MLP on node features trained on the same labels.",
    paperFigure: "on citation graphs with 20 labels per class, graph networks are far more accurate than MLPs on node features",
    source: `${KIPF}, section 5; ${GLNN}, table of transductive results`,
    metric: "per seed: test accuracy (transductive test nodes), GCN vs MLP on hard labels (paired)",
    unit: "accuracy",
    rule: { kind: "compare", a: "gcnTestAccuracy", b: "mlpHardTestAccuracy", better: "higher" },
    mustHold: [],
  },
  {
    id: "distilled-closes-gap",
    statement: "An MLP distilled from the GCN's soft labels on all nodes closes more than half of the gap between the hard-label MLP and the GCN (transductive test nodes).",
    paperFigure: "GLNN's distilled MLPs come close to or match their GNN teachers in the transductive setting",
    source: `${GLNN}, section 5 (transductive results)`,
    metric: "per seed: (distilled − hard MLP) / (GCN − hard MLP) test accuracy",
    unit: "fraction of the gap",
    rule: { kind: "threshold", a: "gapClosedTransductive", op: ">", value: 0.5 },
    mustHold: [],
  },
  {
    id: "distilled-closes-gap-inductive",
    statement: "The same on test nodes the student never saw during distillation (inductive): more than half of the gap closed.",
    paperFigure: "GLNN's gains shrink but remain in the inductive setting, where test nodes are held out of training",
    source: `${GLNN}, section 5 (inductive / production setting)`,
    metric: "per seed: (distilled − hard MLP) / (GCN − hard MLP) accuracy on the unseen test nodes",
    unit: "fraction of the gap",
    rule: { kind: "threshold", a: "gapClosedInductive", op: ">", value: 0.5 },
    mustHold: [],
  },
  {
    id: "mlp-much-faster",
    statement: "At the largest graph timed, the MLP's inference is at least 10 times faster than the GCN's.",
    paperFigure: "GLNN infers 146×–273× faster than GNNs",
    source: `${GLNN}, abstract and inference-time table`,
    metric: "fastest GCN forward time / fastest MLP forward time over the repeats, every node of the largest timed graph (one measurement)",
    unit: "× speed-up",
    rule: { kind: "threshold", a: "speedupLargest", op: ">", value: 10 },
    mustHold: [],
  },
  {
    id: "gcn-cost-grows-faster",
    statement: "The GCN's inference time grows faster with the graph's size than the MLP's (dense Â: n² against n).",
    paperFigure: "a GNN's inference must fetch neighbourhoods, whose cost grows with the graph; an MLP's does not",
    source: `${GLNN}, section 1 and the inference-time analysis`,
    metric: "log-log slope of GCN time against nodes minus that of the MLP (one measurement over the timed sizes)",
    unit: "slope difference",
    rule: { kind: "threshold", a: "slopeDifference", op: ">", value: 0.5 },
    mustHold: [],
  },
];
