/** For the tests of the tree-machine theory: a teacher and a student at chosen branch overlaps. */
import type { Rng } from "@kdh/datasets";
import type { MachineKind, TreeMachine } from "./perceptron";

/**
 * Teacher and student tree machines whose branch k overlaps by exactly R[k] (n inputs per branch): per
 * branch an orthonormal pair e1, e2 (Gram–Schmidt on two Gaussian vectors), teacher e1, student
 * R e1 + √(1−R²) e2.
 */
export function pairAtOverlaps(kind: MachineKind, R: number[], n: number, rng: Rng): { T: TreeMachine; S: TreeMachine } {
  const K = R.length;
  const T: TreeMachine = { kind, K, N: K * n, weights: new Float64Array(K * n) };
  const S: TreeMachine = { kind, K, N: K * n, weights: new Float64Array(K * n) };
  for (let k = 0; k < K; k++) {
    const e1 = Array.from({ length: n }, () => rng.normal());
    const e2 = Array.from({ length: n }, () => rng.normal());
    const n1 = Math.hypot(...e1);
    for (let i = 0; i < n; i++) e1[i] /= n1;
    const d = e1.reduce((s, v, i) => s + v * e2[i], 0);
    for (let i = 0; i < n; i++) e2[i] -= d * e1[i];
    const n2 = Math.hypot(...e2);
    for (let i = 0; i < n; i++) {
      T.weights[k * n + i] = e1[i];
      S.weights[k * n + i] = R[k] * e1[i] + Math.sqrt(1 - R[k] ** 2) * (e2[i] / n2);
    }
  }
  return { T, S };
}
