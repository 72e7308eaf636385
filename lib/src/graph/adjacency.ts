/**
 * The renormalised adjacency of Kipf & Welling (2017), "Semi-supervised classification with graph
 * convolutional networks", eq. 2:  Â = D̃^{−1/2} (A + I) D̃^{−1/2},  D̃_ii = Σ_j (A + I)_ij.
 * Adding the self-loops keeps a node's own features in its update; the symmetric normalisation keeps
 * Â's eigenvalues in (−1, 1] so stacked layers neither blow up nor vanish.
 *
 * Dense [n, n] float32 (row-major): the products Â·H then run on the backend's matrix multiply. Memory
 * is 4n² bytes (64 MB at n = 4,000); a sparse product would be linear in the edges, which is why GCN
 * inference time here grows like n², not like the edge count.
 */
import { NodeGraph } from "./graph";

export function normalisedAdjacency(g: NodeGraph): Float32Array {
  const n = g.nodes;
  if (n * n > 2 ** 28) throw new Error(`a dense ${n}x${n} adjacency needs ${((4 * n * n) / 2 ** 30).toFixed(1)} GB; use a graph of at most 16,384 nodes.`);
  const deg = new Float64Array(n).fill(1); // the self-loop
  for (const [u, v] of g.edges) {
    deg[u]++;
    deg[v]++;
  }
  const inv = deg.map((d) => 1 / Math.sqrt(d));
  const a = new Float32Array(n * n);
  for (let i = 0; i < n; i++) a[i * n + i] = inv[i] * inv[i];
  for (const [u, v] of g.edges) {
    const w = inv[u] * inv[v];
    a[u * n + v] = w;
    a[v * n + u] = w;
  }
  return a;
}
