/**
 * A node-classification graph: n nodes, undirected edges, a feature row and a class per node, and the
 * checks every graph passes through (generated or loaded from a user's files), so a bad edge or a
 * feature matrix of the wrong size is named where it enters rather than surfacing as NaN later.
 */

export interface NodeGraph {
  nodes: number;
  /** Undirected edges as [u, v] with u < v, no self-loops, no duplicates. */
  edges: [number, number][];
  /** Row-major features [nodes, featureSize]. */
  features: Float32Array;
  featureSize: number;
  /** Class of each node, 0..classes-1. */
  labels: Int32Array;
  classes: number;
  /** Where the graph came from, for tables and records. */
  description: string;
}

export interface GraphInput {
  nodes: number;
  edges: ArrayLike<number>[];
  /** One row per node. */
  features: ArrayLike<number>[];
  labels: ArrayLike<number>;
  description?: string;
  /** Names the source of edge i in messages (e.g. a file and line); default "edge i". */
  edgeSource?: (i: number) => string;
}

/**
 * Check and normalise a graph: every edge joins two existing nodes (ids 0..nodes-1), the feature matrix
 * has one finite row per node and equal-length rows, labels are whole numbers ≥ 0 and one per node.
 * Self-loops are dropped (the normalised adjacency adds them anyway); duplicate and reversed edges are
 * merged.
 */
export function buildGraph(g: GraphInput): NodeGraph {
  if (!Number.isInteger(g.nodes) || g.nodes < 1) throw new Error(`nodes=${g.nodes} must be a positive whole number of nodes.`);
  const n = g.nodes;
  if (!Array.isArray(g.features) && !(g.features && typeof (g.features as ArrayLike<unknown>).length === "number")) throw new Error("features must be a list of rows, one per node.");
  if (g.features.length !== n) {
    throw new Error(`the feature matrix has ${g.features.length} row(s) but the graph has ${n} node(s); give exactly one feature row per node, in node-id order (row i belongs to node i).`);
  }
  if (g.labels.length !== n) throw new Error(`there are ${g.labels.length} label(s) but the graph has ${n} node(s); give one class per node.`);
  const d = g.features[0].length;
  if (!(d >= 1)) throw new Error("feature rows are empty; each node needs at least one feature.");
  const features = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const row = g.features[i];
    if (row.length !== d) throw new Error(`feature row ${i} has ${row.length} value(s), but row 0 has ${d}; every node needs the same number of features.`);
    for (let j = 0; j < d; j++) {
      const v = row[j];
      if (typeof v !== "number" || !Number.isFinite(v)) throw new Error(`feature ${j} of node ${i} is ${String(v)}; features must be finite numbers (fill or drop missing values first).`);
      features[i * d + j] = v;
    }
  }
  const labels = new Int32Array(n);
  let classes = 0;
  for (let i = 0; i < n; i++) {
    const y = g.labels[i];
    if (!Number.isInteger(y) || y < 0) throw new Error(`the label of node ${i} is ${String(y)}; labels must be whole numbers 0, 1, 2, ...`);
    labels[i] = y;
    classes = Math.max(classes, y + 1);
  }
  if (classes < 2) throw new Error(`all ${n} nodes have label 0; node classification needs at least 2 classes.`);
  const seen = new Set<number>();
  const edges: [number, number][] = [];
  for (let k = 0; k < g.edges.length; k++) {
    const e = g.edges[k];
    const where = g.edgeSource ? g.edgeSource(k) : `edge ${k}`;
    if (!e || e.length !== 2) throw new Error(`${where} is ${JSON.stringify(Array.from(e ?? []))}; an edge is a pair of node ids [u, v].`);
    for (const v of [e[0], e[1]]) {
      if (!Number.isInteger(v) || v < 0) throw new Error(`${where} names node ${String(v)}; node ids are whole numbers 0..${n - 1}.`);
      if (v >= n) throw new Error(`${where} joins node ${v}, which does not exist: the graph has ${n} nodes (ids 0..${n - 1}), one per feature row. Add the node's features or remove the edge.`);
    }
    const u = Math.min(e[0], e[1]);
    const v = Math.max(e[0], e[1]);
    if (u === v) continue;
    const key = u * n + v;
    if (seen.has(key)) continue;
    seen.add(key);
    edges.push([u, v]);
  }
  return { nodes: n, edges, features, featureSize: d, labels, classes, description: g.description ?? `graph of ${n} nodes and ${edges.length} edges` };
}

/** Node degrees (without self-loops). */
export function degrees(g: NodeGraph): Int32Array {
  const deg = new Int32Array(g.nodes);
  for (const [u, v] of g.edges) {
    deg[u]++;
    deg[v]++;
  }
  return deg;
}

/** Fraction of edges whose two ends share a class (edge homophily). */
export function edgeHomophily(g: NodeGraph): number {
  if (g.edges.length === 0) return NaN;
  let same = 0;
  for (const [u, v] of g.edges) if (g.labels[u] === g.labels[v]) same++;
  return same / g.edges.length;
}
