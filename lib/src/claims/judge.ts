/**
 * Claims as data, judged by the suite's significance rule. A claim names the paper's figure and source,
 * the metric our run measures and a rule; the verdict is computed from the measurements, never typed.
 *
 * The rule: a difference counts when |mean difference| > 2 standard errors with at least 3 seeds —
 * paired (se = sd(d)/√n over the per-seed differences) when both samples ran on the same seeds, unpaired
 * (se = √(sa²/na + sb²/nb)) otherwise, one-sample (se = sd/√n) against a fixed bar; sd with n − 1.
 * A single deterministic value is read as it is against a bar.
 *
 * Verdicts: "reproduced" (the claimed side, significantly where seeds vary), "partial" (the claimed
 * side but not significant), "not reproduced" (the other side), "not run" (a metric was not measured).
 * The claim objects have the shape of the suite catalog's claims (id, statement, paperFigure, source,
 * metric, unit, rule, mustHold), so they can move into the catalog unchanged.
 */
import type { Mode } from "../core/config";

export type ClaimSpecRule =
  | { kind: "compare"; a: string; b: string; better: "lower" | "higher" }
  | { kind: "threshold"; a: string; op: "<" | ">"; value: number };

export interface ClaimSpec {
  id: string;
  statement: string;
  paperFigure?: string;
  source: string;
  metric: string;
  unit: string;
  rule: ClaimSpecRule;
  /** Modes in which the notebook fails unless the verdict is "reproduced". */
  mustHold: Mode[];
}

export type SpecVerdict = "reproduced" | "partial" | "not reproduced" | "not run";

export interface SeedSample {
  values: number[];
  seeds?: number[];
}

/** One measured metric as a record keeps it. */
export interface ClaimFigure {
  metric: string;
  mean: number;
  sd: number;
  n: number;
  seeds?: number[];
}

/** A judged claim, in the shape results records and reports keep (the suite catalog's judged claims). */
export interface ClaimVerdict {
  id: string;
  statement: string;
  paperFigure?: string;
  source: string;
  metric: string;
  unit: string;
  /** The rule in words. */
  rule: string;
  mode: Mode;
  verdict: SpecVerdict;
  /** The measured figures behind the verdict (a, then b for comparisons). */
  ours: ClaimFigure[];
  /** mean(a) − mean(b), or mean(a) − bar. */
  difference: number;
  standardError: number;
  design: string;
  /** One sentence with the numbers. */
  why: string;
  mustHold: boolean;
}

export const SPEC_MIN_SEEDS = 3;

function meanSd(v: number[]): { mean: number; sd: number } {
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const sd = v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1)) : 0;
  return { mean, sd };
}

function toSample(m: number | number[] | SeedSample, what: string): SeedSample {
  const s: SeedSample = typeof m === "number" ? { values: [m] } : Array.isArray(m) ? { values: m } : m;
  if (!s || !Array.isArray(s.values) || s.values.length === 0) throw new Error(`${what}: expected a number, a list of numbers or {values, seeds}, got ${JSON.stringify(m)}.`);
  s.values.forEach((v) => {
    if (typeof v !== "number" || !Number.isFinite(v)) throw new Error(`${what}: ${String(v)} is not a finite number; a claim is judged on numbers, not NaN.`);
  });
  if (s.seeds && s.seeds.length !== s.values.length) throw new Error(`${what}: ${s.values.length} values but ${s.seeds.length} seeds.`);
  return s;
}

/** mean(a) − mean(b) under the rule: difference, standard error, design and significance. */
export function significantDifference(a: SeedSample, b: SeedSample | number): { difference: number; standardError: number; design: string; significant: boolean; n: number } {
  const A = meanSd(a.values);
  const decide = (d: number, se: number) => (se === 0 ? d !== 0 : Math.abs(d) > 2 * se);
  if (typeof b === "number") {
    const d = A.mean - b;
    if (a.values.length === 1) return { difference: d, standardError: NaN, design: "single value", significant: d !== 0, n: 1 };
    const se = A.sd / Math.sqrt(a.values.length);
    return { difference: d, standardError: se, design: "one-sample", significant: a.values.length >= SPEC_MIN_SEEDS && decide(d, se), n: a.values.length };
  }
  const B = meanSd(b.values);
  const paired = a.seeds && b.seeds && a.seeds.length === b.seeds.length && a.seeds.every((s, i) => s === b.seeds![i]);
  if (paired) {
    const diffs = a.values.map((v, i) => v - b.values[i]);
    const D = meanSd(diffs);
    const se = D.sd / Math.sqrt(diffs.length);
    return { difference: D.mean, standardError: se, design: "paired", significant: diffs.length >= SPEC_MIN_SEEDS && decide(D.mean, se), n: diffs.length };
  }
  const n = Math.min(a.values.length, b.values.length);
  const se = Math.sqrt(A.sd ** 2 / a.values.length + B.sd ** 2 / b.values.length);
  return { difference: A.mean - B.mean, standardError: se, design: "unpaired", significant: n >= SPEC_MIN_SEEDS && decide(A.mean - B.mean, se), n };
}

const fmt = (x: number) => (!Number.isFinite(x) ? String(x) : Math.abs(x) >= 100 ? x.toFixed(1) : Number(x.toPrecision(3)).toString());

export function judgeClaimSpec(claim: ClaimSpec, measured: Record<string, number | number[] | SeedSample | undefined>, mode: Mode): ClaimVerdict {
  const r = claim.rule;
  const ruleText =
    r.kind === "compare"
      ? `${r.a} ${r.better === "higher" ? "above" : "below"} ${r.b}, by more than 2 standard errors over ≥ ${SPEC_MIN_SEEDS} seeds (paired when the seeds match)`
      : `${r.a} ${r.op} ${fmt(r.value)} (a per-seed sample must clear it by 2 standard errors over ≥ ${SPEC_MIN_SEEDS} seeds)`;
  const base = { id: claim.id, statement: claim.statement, paperFigure: claim.paperFigure, source: claim.source, metric: claim.metric, unit: claim.unit, rule: ruleText, mode, mustHold: claim.mustHold.includes(mode) };
  const needed = r.kind === "compare" ? [r.a, r.b] : [r.a];
  const missing = needed.filter((k) => measured[k] === undefined);
  if (missing.length) return { ...base, verdict: "not run", ours: [], difference: NaN, standardError: NaN, design: "-", why: `not measured in ${mode} mode (${missing.join(", ")}).` };
  const A = toSample(measured[r.a]!, `${claim.id}: ${r.a}`);
  const show = (s: SeedSample) => {
    const m = meanSd(s.values);
    return s.values.length > 1 ? `${fmt(m.mean)} ± ${fmt(m.sd)} (${s.values.length} seeds)` : fmt(m.mean);
  };
  const B = r.kind === "compare" ? toSample(measured[r.b]!, `${claim.id}: ${r.b}`) : undefined;
  const d = significantDifference(A, B ?? (r as { value: number }).value);
  const good = r.kind === "compare" ? (r.better === "higher" ? d.difference > 0 : d.difference < 0) : r.op === ">" ? d.difference > 0 : d.difference < 0;
  const verdict: SpecVerdict = !good ? "not reproduced" : d.significant ? "reproduced" : "partial";
  const against = r.kind === "compare" ? `${r.b} ${show(B!)}` : `the bar ${fmt(r.value)}`;
  const sig = Number.isFinite(d.standardError) ? `difference ${fmt(d.difference)}, standard error ${fmt(d.standardError)} (${d.design}, n = ${d.n})` : `difference ${fmt(d.difference)} (${d.design})`;
  const strength = d.design === "single value" ? "one measurement, read as it is" : d.significant ? "significant" : "not significant";
  const why = `${r.a} ${show(A)} vs ${against}: ${good ? "the claimed side" : "the other side"}, ${strength}; ${sig}.`;
  const figure = (metric: string, smp: SeedSample): ClaimFigure => ({ metric, ...meanSd(smp.values), n: smp.values.length, ...(smp.seeds ? { seeds: smp.seeds } : {}) });
  const ours = B && r.kind === "compare" ? [figure(r.a, A), figure(r.b, B)] : [figure(r.a, A)];
  return { ...base, verdict, ours, difference: d.difference, standardError: d.standardError, design: d.design, why };
}

/** Judge every claim; a measurement no claim reads is an error (a misspelt metric would go unnoticed). */
export function judgeClaimSpecs(claims: readonly ClaimSpec[], measured: Record<string, number | number[] | SeedSample | undefined>, mode: Mode): ClaimVerdict[] {
  const used = new Set(claims.flatMap((c) => (c.rule.kind === "compare" ? [c.rule.a, c.rule.b] : [c.rule.a])));
  const unknown = Object.keys(measured).filter((k) => !used.has(k));
  if (unknown.length) throw new Error(`measurement(s) ${unknown.join(", ")} are read by no claim; the claims read ${[...used].join(", ")}.`);
  return claims.map((c) => judgeClaimSpec(c, measured, mode));
}

/** Throw naming every must-hold claim that was not reproduced (call after writing the results). */
export function requireClaimSpecs(verdicts: readonly ClaimVerdict[]): void {
  const failed = verdicts.filter((v) => v.mustHold && v.verdict !== "reproduced");
  if (failed.length) throw new Error(`claim(s) required in this mode not reproduced: ${failed.map((v) => `${v.id} (${v.verdict}): ${v.why}`).join(" | ")}`);
}

/** A table row per verdict, for showTable. */
export function claimSpecRows(verdicts: readonly ClaimVerdict[]): Record<string, string>[] {
  return verdicts.map((v) => ({ claim: v.statement, "paper": v.paperFigure ? `${v.paperFigure} (${v.source})` : v.source, verdict: v.verdict + (v.mustHold ? " (must hold)" : ""), "measured": v.why }));
}
