/**
 * The suite's one significance rule, used by every claim, the comparison notebook and every verdict:
 *
 *   A difference is significant when |mean difference| > 2 standard errors, with at least 3 seeds.
 *   - Paired when both arms ran on the same seeds (the difference is taken seed by seed, so what the
 *     seed fixes — initialisation, batch order — cancels): se = sd(d) / √n.
 *   - Unpaired otherwise: se = √(sa²/na + sb²/nb).
 *   - Against a single number (a teacher's errors, a paper's bar): one-sample, se = sd(a) / √na.
 *   - Fewer than 3 seeds on a side that varies: "not significant" (two seeds give no usable spread).
 *   - A zero standard error (every seed gave the same difference) makes any non-zero difference significant.
 * sd is the sample standard deviation (n − 1). Two standard errors is roughly a 95% two-sided test;
 * with 3–5 seeds it is a lenient one (the t quantile is larger), which the verdict texts say by naming n.
 */

/** Measured values of one metric: one per seed (seeds in the same order), or one value. */
export interface Sample {
  values: number[];
  seeds?: number[];
}

/** What a notebook passes for a metric: a number, a list of per-seed values, or a Sample with seeds. */
export type Measured = number | number[] | Sample;

export const MIN_SEEDS = 3;

export function toSample(m: Measured, what = "measurement"): Sample {
  const s: Sample = typeof m === "number" ? { values: [m] } : Array.isArray(m) ? { values: m } : m;
  if (!s || !Array.isArray(s.values) || s.values.length === 0) throw new Error(`${what}: expected a number, a non-empty list of numbers or {values, seeds}; got ${JSON.stringify(m)}`);
  for (const v of s.values) if (typeof v !== "number" || !Number.isFinite(v)) throw new Error(`${what}: value ${String(v)} is not a finite number; compute a number (not NaN) before judging a claim.`);
  if (s.seeds && s.seeds.length !== s.values.length) throw new Error(`${what}: ${s.values.length} values but ${s.seeds.length} seeds; pass one seed per value.`);
  return s;
}

export interface Stats {
  mean: number;
  /** Sample standard deviation (0 for a single value). */
  sd: number;
  n: number;
}

export function stats(values: number[]): Stats {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, sd, n };
}

export interface Difference {
  /** mean(a) − mean(b) (paired: mean of the per-seed differences, the same number). */
  difference: number;
  /** NaN when the rule cannot give one (too few seeds). */
  standardError: number;
  /** "paired" | "unpaired" | "one-sample" | "single values". */
  design: "paired" | "unpaired" | "one-sample" | "single values";
  /** Seeds behind the smaller side. */
  n: number;
  significant: boolean;
  /** Why not significant, when the rule could not apply ("2 seeds; the rule needs 3"). */
  note?: string;
}

function sameSeeds(a: Sample, b: Sample): boolean {
  if (!a.seeds || !b.seeds || a.seeds.length !== b.seeds.length) return false;
  const sb = new Set(b.seeds);
  return new Set(a.seeds).size === a.seeds.length && a.seeds.every((s) => sb.has(s));
}

function decide(d: number, se: number): boolean {
  return se === 0 ? d !== 0 : Math.abs(d) > 2 * se;
}

/** Is mean(a) − mean(b) significantly different from 0 under the suite's rule? */
export function compareSamples(am: Measured, bm: Measured): Difference {
  const a = toSample(am, "first sample");
  const b = toSample(bm, "second sample");
  const A = stats(a.values), B = stats(b.values);
  const difference = A.mean - B.mean;
  if (A.n === 1 && B.n === 1) return { difference, standardError: NaN, design: "single values", n: 1, significant: false, note: "single values on both sides; the rule needs 3 seeds" };
  if (A.n === 1 || B.n === 1) {
    const S = A.n === 1 ? B : A;
    if (S.n < MIN_SEEDS) return { difference, standardError: NaN, design: "one-sample", n: S.n, significant: false, note: `${S.n} seeds; the rule needs ${MIN_SEEDS}` };
    const se = S.sd / Math.sqrt(S.n);
    return { difference, standardError: se, design: "one-sample", n: S.n, significant: decide(difference, se) };
  }
  if (sameSeeds(a, b)) {
    const bySeed = new Map(b.seeds!.map((s, i) => [s, b.values[i]]));
    const d = stats(a.seeds!.map((s, i) => a.values[i] - bySeed.get(s)!));
    if (d.n < MIN_SEEDS) return { difference, standardError: NaN, design: "paired", n: d.n, significant: false, note: `${d.n} seeds; the rule needs ${MIN_SEEDS}` };
    const se = d.sd / Math.sqrt(d.n);
    return { difference: d.mean, standardError: se, design: "paired", n: d.n, significant: decide(d.mean, se) };
  }
  const n = Math.min(A.n, B.n);
  if (n < MIN_SEEDS) return { difference, standardError: NaN, design: "unpaired", n, significant: false, note: `${n} seeds; the rule needs ${MIN_SEEDS}` };
  const se = Math.sqrt(A.sd ** 2 / A.n + B.sd ** 2 / B.n);
  return { difference, standardError: se, design: "unpaired", n, significant: decide(difference, se) };
}
