/**
 * The Pareto front of the comparison: the methods no other method beats on both axes at once, i.e.
 * none is at least as accurate with at most as many non-zero parameters and strictly better on one.
 * Everything off the front is dominated: some other row is smaller and no less accurate.
 */

export interface ParetoPoint {
  /** Cost to minimise (non-zero parameters). */
  cost: number;
  /** Value to maximise (test accuracy). */
  value: number;
}

/** True when a dominates b: no worse on both axes, strictly better on at least one. */
export function dominates(a: ParetoPoint, b: ParetoPoint): boolean {
  return a.cost <= b.cost && a.value >= b.value && (a.cost < b.cost || a.value > b.value);
}

/**
 * Indices of the non-dominated points, ordered by increasing cost. Points with a non-finite cost or
 * value (e.g. a row still pending) take no part. Exact duplicates are both kept (neither dominates).
 */
export function paretoFront(points: ParetoPoint[]): number[] {
  const ok = points.map((p, i) => ({ p, i })).filter(({ p }) => Number.isFinite(p.cost) && Number.isFinite(p.value));
  const front = ok.filter(({ p }) => !ok.some(({ p: q }) => dominates(q, p))).map(({ i }) => i);
  return front.sort((a, b) => points[a].cost - points[b].cost || points[b].value - points[a].value || a - b);
}
