/**
 * Notebook 06's catalog entry as plain data: the notebook, its papers, the lib modules it runs on, its
 * recipe (quick and full defaults with a rule per parameter) and its claims, in the shape of the suite
 * catalog's entries, so the catalog can list it as it is.
 */
import { GRAPH_DISTILLATION_CLAIMS, GRAPH_DISTILLATION_FULL, GRAPH_DISTILLATION_QUICK, GRAPH_DISTILLATION_RULES } from "./claims";

export const GRAPH_DISTILLATION_RECIPE = { quick: GRAPH_DISTILLATION_QUICK, full: GRAPH_DISTILLATION_FULL, rules: GRAPH_DISTILLATION_RULES };

export const GRAPH_DISTILLATION_ENTRY = {
  notebook: "06_graph_distillation",
  title: "Distilling a graph network into an MLP",
  method: "Graph-less neural networks: a GCN teacher distilled into an MLP on node features",
  papers: [
    { authors: "Zhang, Liu, Sun & Shah", year: 2022, title: "Graph-less Neural Networks: Teaching Old MLPs New Tricks via Distillation" },
    { authors: "Kipf & Welling", year: 2017, title: "Semi-Supervised Classification with Graph Convolutional Networks" },
  ],
  year: "2022",
  data: "stochastic block model with noisy class-indicator features (1,000 nodes quick, 2,800 full)",
  models: "2-layer GCN (16 hidden) → MLP 64 on node features",
  libModules: ["graph/graph.ts", "graph/sbm.ts", "graph/load.ts", "graph/adjacency.ts", "graph/gcn.ts", "graph/node-training.ts", "graph/distillation-run.ts", "graph/timing.ts", "graph/claims.ts"],
  recipe: GRAPH_DISTILLATION_RECIPE,
  comparisonRows: [],
  timeline: [{ year: 2022, method: "graph-less networks: a graph network distilled into an MLP", paper: "Zhang, Liu, Sun & Shah 2022" }],
  claims: GRAPH_DISTILLATION_CLAIMS,
  keyFigure: 0,
};
