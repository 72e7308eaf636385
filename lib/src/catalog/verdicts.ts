/**
 * Verdicts: a claim of the catalog, judged on a run's measurements. Never typed by hand.
 *
 *   reproduced      the claim holds (significantly, where seeds vary; within the band where the paper gives a number)
 *   partial         the right direction but not significant, or outside the paper's band
 *   not reproduced  the opposite direction (significantly or not: we never call a wrong-direction result partial)
 *   not run         this run did not measure it (the metric is absent, e.g. a full-mode-only arm)
 *
 * A notebook calls `judgeClaims(notebook, measured)` once, writes the results into its results record,
 * and then `requireMustHold(results)`: it throws only for claims its entry marks must-hold in this mode.
 * `codeCheck(ok, label)` is for what is not a paper's claim but a property of the code (a mask held, a
 * run finished): it throws when false, and is labelled as a code check in the output.
 */
import { runMode, type Mode } from "../core/config";
import type { Claim, ClaimRule } from "./types";
import { compareSamples, MIN_SEEDS, stats, toSample, type Measured, type Sample } from "./significance";

export type Verdict = "reproduced" | "partial" | "not reproduced" | "not run";
export const VERDICTS: readonly Verdict[] = ["reproduced", "partial", "not reproduced", "not run"];

/** One measured metric as the record keeps it. */
export interface MeasuredFigure {
  metric: string;
  mean: number;
  sd: number;
  n: number;
  seeds?: number[];
}

/** A judged claim, as results records carry it and reports show it: the claim's own words, then the judgement. */
export interface ClaimResult extends Pick<Claim, "id" | "statement" | "paperFigure" | "source" | "metric" | "unit"> {
  /** The rule in words ("lower is better; paired over seeds, > 2 standard errors"). */
  rule: string;
  mode: Mode;
  verdict: Verdict;
  /** The measured figures behind the verdict (a, then b for comparisons). */
  ours: MeasuredFigure[];
  /** For comparisons and thresholds: mean difference and its standard error (NaN when none). */
  difference?: number;
  standardError?: number;
  design?: string;
  /** True when this mode requires the claim to be reproduced. */
  mustHold: boolean;
  /** One sentence with the numbers: why this verdict. */
  why: string;
}

const fmt = (x: number) => (!Number.isFinite(x) ? String(x) : Math.abs(x) >= 100 ? x.toFixed(1) : Number(x.toPrecision(3)).toString());

export function describeRule(r: ClaimRule): string {
  switch (r.kind) {
    case "compare":
      return `${r.a} ${r.better === "lower" ? "below" : "above"} ${r.b}, by more than 2 standard errors over ≥ ${MIN_SEEDS} seeds (paired when the seeds match)` + (r.band ? `; relative gain within ${fmt(r.band.paperRelative)} ± ${fmt(r.band.tolerance)}` : "");
    case "threshold":
      return `${r.a} ${r.op} ${fmt(r.value)} (a per-seed sample must clear it by 2 standard errors over ≥ ${MIN_SEEDS} seeds)`;
    case "band":
      return `${r.a} within ${fmt(r.value)} ± ${fmt(r.tolerance)}`;
  }
}

function figure(metric: string, s: Sample): MeasuredFigure {
  const st = stats(s.values);
  return { metric, mean: st.mean, sd: st.sd, n: st.n, ...(s.seeds ? { seeds: s.seeds } : {}) };
}

const show = (f: MeasuredFigure) => (f.n > 1 ? `${fmt(f.mean)} ± ${fmt(f.sd)} (${f.n} seeds)` : fmt(f.mean));

/** A metric this run could not measure, and why (e.g. the backend cannot train convolutions). */
export interface NotMeasured {
  notRun: string;
}

/** Mark a metric as not measured in this run, with the reason its claims will show. */
export function notMeasured(reason: string): NotMeasured {
  return { notRun: reason };
}

function isNotMeasured(m: Measured | NotMeasured | undefined): m is NotMeasured {
  return typeof m === "object" && m !== null && !Array.isArray(m) && typeof (m as NotMeasured).notRun === "string";
}

/** Judge one claim on the measurements (keys = metric names of its rule). */
export function judgeClaim(claim: Claim, measured: Record<string, Measured | NotMeasured | undefined>, mode: Mode = runMode()): ClaimResult {
  const base = { id: claim.id, statement: claim.statement, paperFigure: claim.paperFigure, source: claim.source, metric: claim.metric, unit: claim.unit, rule: describeRule(claim.rule), mode, mustHold: claim.mustHold.includes(mode) };
  const r = claim.rule;
  const needed = r.kind === "compare" ? [r.a, r.b] : [r.a];
  const reasons = [...new Set(needed.map((k) => measured[k]).filter(isNotMeasured).map((m) => m.notRun))];
  if (reasons.length) return { ...base, verdict: "not run", ours: [], why: `not measured in this run: ${reasons.join("; ")}` };
  const missing = needed.filter((k) => measured[k] === undefined);
  if (missing.length) return { ...base, verdict: "not run", ours: [], why: `not measured in ${mode} mode (${missing.join(", ")} absent)` };
  const A = toSample(measured[r.a] as Measured, `${claim.id}: ${r.a}`);
  if (r.kind === "compare") {
    const B = toSample(measured[r.b] as Measured, `${claim.id}: ${r.b}`);
    const d = compareSamples(A, B);
    const ours = [figure(r.a, A), figure(r.b, B)];
    const good = r.better === "lower" ? d.difference < 0 : d.difference > 0;
    const sig = d.significant ? `significant (difference ${fmt(d.difference)}, standard error ${fmt(d.standardError)}, ${d.design}, n = ${d.n})` : `not significant (difference ${fmt(d.difference)}${Number.isFinite(d.standardError) ? `, standard error ${fmt(d.standardError)}` : ""}${d.note ? `; ${d.note}` : ""})`;
    const nums = `${r.a} ${show(ours[0])} vs ${r.b} ${show(ours[1])}`;
    let verdict: Verdict;
    let why: string;
    if (!good) {
      verdict = "not reproduced";
      why = `${nums}: the opposite direction, ${sig}.`;
    } else if (!d.significant) {
      verdict = "partial";
      why = `${nums}: the claimed direction, ${sig}.`;
    } else {
      verdict = "reproduced";
      why = `${nums}: the claimed direction, ${sig}.`;
      if (r.band) {
        const rel = Math.abs(d.difference) / Math.abs(ours[1].mean);
        const inBand = Math.abs(rel - r.band.paperRelative) <= r.band.tolerance;
        why += ` Relative gain ${fmt(rel)} vs the paper's ${fmt(r.band.paperRelative)} ± ${fmt(r.band.tolerance)}${inBand ? "" : ": outside the band"}.`;
        if (!inBand) verdict = "partial";
      }
    }
    return { ...base, verdict, ours, difference: d.difference, standardError: d.standardError, design: d.design, why };
  }
  const f = figure(r.a, A);
  if (r.kind === "band") {
    const inBand = Math.abs(f.mean - r.value) <= r.tolerance;
    return { ...base, verdict: inBand ? "reproduced" : "partial", ours: [f], difference: f.mean - r.value, why: `${r.a} ${show(f)} vs ${fmt(r.value)} ± ${fmt(r.tolerance)}: ${inBand ? "within" : "outside"} the band.` };
  }
  const side = r.op === "<" ? f.mean < r.value : f.mean > r.value;
  if (A.values.length === 1) {
    return { ...base, verdict: side ? "reproduced" : "not reproduced", ours: [f], difference: f.mean - r.value, why: `${r.a} = ${fmt(f.mean)}, ${side ? "" : "not "}${r.op} ${fmt(r.value)}.` };
  }
  const d = compareSamples(A, r.value);
  const verdict: Verdict = !side ? "not reproduced" : d.significant ? "reproduced" : "partial";
  const sig = d.significant ? `by more than 2 standard errors (${fmt(d.standardError)})` : `not significantly${Number.isFinite(d.standardError) ? ` (standard error ${fmt(d.standardError)})` : ""}${d.note ? `; ${d.note}` : ""}`;
  return { ...base, verdict, ours: [f], difference: d.difference, standardError: d.standardError, design: d.design, why: `${r.a} ${show(f)} ${side ? `${r.op} ${fmt(r.value)} ${sig}` : `is not ${r.op} ${fmt(r.value)}`}.` };
}

/**
 * Judge every claim of a list on one run's measurements. A measurement that no claim reads is an error
 * (a misspelt metric name would otherwise leave its claim "not run" without anyone noticing).
 */
export function judgeAll(claims: readonly Claim[], measured: Record<string, Measured | NotMeasured | undefined>, mode: Mode = runMode(), owner = "this notebook"): ClaimResult[] {
  const used = new Set(claims.flatMap((c) => (c.rule.kind === "compare" ? [c.rule.a, c.rule.b] : [c.rule.a])));
  const unknown = Object.keys(measured).filter((k) => !used.has(k));
  if (unknown.length) throw new Error(`measurement(s) ${unknown.map((k) => JSON.stringify(k)).join(", ")} are read by no claim of ${owner}; the claims read: ${[...used].join(", ")}.`);
  return claims.map((c) => judgeClaim(c, measured, mode));
}

/**
 * Throw when a claim that must hold in its mode was measured and not reproduced (call it after the record
 * is written). A must-hold claim that this run could not measure ("not run", e.g. the Fashion-MNIST
 * look-alikes when the user switched to digits) is left to its verdict: the settings, not the code, decided it.
 */
export function requireMustHold(results: readonly ClaimResult[]): void {
  const failed = results.filter((r) => r.mustHold && r.verdict !== "reproduced" && r.verdict !== "not run");
  if (failed.length) {
    throw new Error(`claim(s) required in ${failed[0].mode} mode not reproduced: ${failed.map((r) => `${r.id} (${r.verdict}): ${r.why}`).join(" | ")}`);
  }
}

/** A property of the code (not a paper's claim): throws when false, prints a labelled line when true. */
export function codeCheck(ok: boolean, label: string): void {
  if (!ok) throw new Error(`code check failed: ${label}`);
  console.log(`code check ok: ${label}`);
}

/** Verdict counts, in VERDICTS order. */
export function verdictCounts(results: readonly { verdict: Verdict }[]): Record<Verdict, number> {
  const out = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  for (const r of results) out[r.verdict]++;
  return out;
}
