/**
 * From rows to what the notebook shows: one summary line per method (mean ± sd over seeds), the
 * Pareto front, and findings written from the numbers. A finding is only stated as supported under the
 * suite's one significance rule (catalog/significance.ts: paired by seed, mean difference beyond two
 * standard errors, at least 3 seeds); otherwise the sentence says the numbers do not settle it, so no
 * outcome is hard-coded.
 */
import { meanSd } from "../distillation/students";
import type { Row } from "../core/table";
import { paretoFront } from "./pareto";
import { ComparisonEntry } from "./run";
import { comparisonMethod, MethodRow } from "./methods";
import { compareSamples, MIN_SEEDS } from "../catalog/significance";
import { COMPARISON_PAIRS } from "../catalog/entries/comparison";

export interface MethodSummary {
  method: string;
  label: string;
  year: number;
  paper: string;
  notebook: string;
  /** "computed", "cached", "computed+cached" or "pending: ...". */
  source: string;
  seeds: number[];
  /** Test accuracy of each seed, in the order of `seeds`. */
  accuracies: number[];
  n: number;
  accuracyMean: number;
  accuracySd: number;
  nonZeroParams: number;
  inferenceMsPer1000: number;
  trainSeconds: number;
  epochs: number | null;
  /** Details of every seed, joined (e.g. the chosen temperatures). */
  details: string;
  onParetoFront: boolean;
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

function detailText(rows: MethodRow[]): string {
  const keys = new Set(rows.flatMap((r) => Object.keys(r.details)));
  const parts: string[] = [];
  for (const k of keys) {
    const vals = rows.map((r) => r.details[k]).filter((v) => v !== undefined);
    const fmt = (v: unknown) => (typeof v === "number" && !Number.isInteger(v) ? Number(v.toPrecision(3)).toString() : String(v));
    const uniq = [...new Set(vals.map(fmt))];
    parts.push(`${k}: ${uniq.join(" / ")}`);
  }
  return parts.join("; ");
}

export function summarizeComparison(entries: ComparisonEntry[]): MethodSummary[] {
  const byMethod = new Map<string, ComparisonEntry[]>();
  for (const e of entries) byMethod.set(e.method, [...(byMethod.get(e.method) ?? []), e]);
  const out: MethodSummary[] = [];
  for (const [name, es] of byMethod) {
    const m = comparisonMethod(name);
    const done = es.filter((e) => e.result);
    const rows = done.map((e) => e.result!.row);
    const acc = meanSd(rows.map((r) => r.accuracy));
    const sources = [...new Set(done.map((e) => e.result!.source))].sort((a, b) => (a === "computed" ? -1 : b === "computed" ? 1 : 0));
    const epochs = rows.map((r) => r.epochs).filter((x): x is number => x !== null);
    out.push({
      method: name,
      label: m.label,
      year: m.year,
      paper: m.paper,
      notebook: m.notebook,
      source: done.length ? sources.join("+") : es[0].pending ?? "pending",
      seeds: done.map((e) => e.seed),
      accuracies: rows.map((r) => r.accuracy),
      n: acc.n,
      accuracyMean: acc.mean,
      accuracySd: acc.sd,
      nonZeroParams: mean(rows.map((r) => r.nonZeroParams)),
      inferenceMsPer1000: mean(rows.map((r) => r.inferenceMsPer1000)),
      trainSeconds: mean(rows.map((r) => r.trainSeconds)),
      epochs: epochs.length ? mean(epochs) : null,
      details: detailText(rows),
      onParetoFront: false,
    });
  }
  const front = new Set(paretoFront(out.map((s) => ({ cost: s.nonZeroParams, value: s.accuracyMean }))));
  out.forEach((s, i) => (s.onParetoFront = front.has(i)));
  return out;
}

/** The table as row objects (for showTable, a DataFrame and the CSV). */
export function summaryTableRows(summary: MethodSummary[]): Row[] {
  return summary.map((s) => ({
    year: s.year,
    method: s.label,
    paper: s.paper,
    "test accuracy": Number.isFinite(s.accuracyMean) ? Number(s.accuracyMean.toFixed(4)) : null,
    "± sd": s.n > 1 ? Number(s.accuracySd.toFixed(4)) : null,
    seeds: s.n,
    "non-zero params": Number.isFinite(s.nonZeroParams) ? Math.round(s.nonZeroParams) : null,
    "ms / 1000": Number.isFinite(s.inferenceMsPer1000) ? Number(s.inferenceMsPer1000.toFixed(2)) : null,
    "train s": Number.isFinite(s.trainSeconds) ? Number(s.trainSeconds.toFixed(1)) : null,
    epochs: s.epochs === null ? null : Number(s.epochs.toFixed(1)),
    "Pareto front": s.onParetoFront,
    row: s.source,
    details: s.details,
    key: s.method,
  }));
}

export interface Comparison {
  /** e.g. "distillBestT vs hardStudent" */
  claim: string;
  a: string;
  b: string;
  /** Mean accuracy of a minus b (paired: the mean of the per-seed differences), in [−1, 1]. */
  difference: number;
  /** Its standard error under the suite's rule (NaN when fewer than 3 seeds). */
  standardError: number;
  /** "paired", "unpaired", "one-sample" or "single values". */
  design: string;
  n: number;
  /** a better than b, significantly. */
  aBetter: boolean;
  bBetter: boolean;
  sentence: string;
}

const pts = (x: number) => `${(100 * x).toFixed(2)} points`;
const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

/** Compare two methods' accuracies with the suite's one significance rule; `what` names the question in words. */
export function compareMethods(summary: MethodSummary[], a: string, b: string, what: string): Comparison | undefined {
  const A = summary.find((s) => s.method === a);
  const B = summary.find((s) => s.method === b);
  if (!A || !B || !A.n || !B.n) return undefined;
  const t = compareSamples({ values: A.accuracies, seeds: A.seeds }, { values: B.accuracies, seeds: B.seeds });
  const d = t.difference;
  const aBetter = t.significant && d > 0;
  const bBetter = t.significant && d < 0;
  const nums = `${A.label} ${pct(A.accuracyMean)} vs ${B.label} ${pct(B.accuracyMean)} (difference ${d >= 0 ? "+" : "−"}${pts(Math.abs(d))}` + (Number.isFinite(t.standardError) ? `, standard error ${pts(t.standardError)}, ${t.design} over ${t.n} seeds)` : `; ${t.n} seed${t.n === 1 ? "" : "s"}: the rule needs ${MIN_SEEDS})`);
  let verdict: string;
  if (aBetter) verdict = `Supported: ${what}: ${nums}.`;
  else if (bBetter) verdict = `Contradicted here: ${what} does not hold; the opposite is significant: ${nums}.`;
  else verdict = `Not settled by these numbers: ${what}: ${nums}${Number.isFinite(t.standardError) ? "; the gap is within twice its standard error" : ""}.`;
  return { claim: `${a} vs ${b}`, a, b, difference: d, standardError: t.standardError, design: t.design, n: t.n, aBetter, bBetter, sentence: verdict };
}

/** The findings the notebook prints, each computed from the summary. */
export function comparisonFindings(summary: MethodSummary[]): { comparisons: Comparison[]; sentences: string[] } {
  // The pairs are the catalog's claims of notebook 90 (one list, also judged as verdicts there).
  const pairs = COMPARISON_PAIRS.map((p): [string, string, string] => [p.a, p.b, p.statement.charAt(0).toLowerCase() + p.statement.slice(1).replace(/\.$/, "")]);
  const comparisons = pairs.map(([a, b, w]) => compareMethods(summary, a, b, w)).filter((c): c is Comparison => !!c);
  const sentences = comparisons.map((c) => c.sentence);
  const front = summary.filter((s) => s.onParetoFront).sort((x, y) => x.nonZeroParams - y.nonZeroParams);
  if (front.length) {
    sentences.push(`On the Pareto front of accuracy against non-zero parameters: ${front.map((s) => `${s.label} (${Math.round(s.nonZeroParams).toLocaleString("en-US")} parameters, ${pct(s.accuracyMean)})`).join("; ")}. Every other method is beaten on both axes at once by one of these.`);
  }
  const teacher = summary.find((s) => s.method === "teacher");
  const obd = summary.find((s) => s.method === "obd");
  if (teacher && obd && teacher.n && obd.n) {
    const speed = obd.inferenceMsPer1000 / teacher.inferenceMsPer1000;
    sentences.push(`Pruning removed ${pct(1 - obd.nonZeroParams / teacher.nonZeroParams)} of the teacher's parameters, but the pruned network still runs as dense matrices: its inference time is ${speed.toFixed(2)}× the teacher's on this backend. Fewer non-zero parameters mean a smaller model to store, not a faster one, unless sparse kernels are used; the distilled students are small and dense, and they are the fast ones.`);
  }
  const gmdh = summary.find((s) => s.method === "gmdh");
  const hard = summary.find((s) => s.method === "hardStudent");
  if (gmdh && hard && gmdh.n && hard.n) {
    sentences.push(`GMDH (1965), on ${gmdh.details.match(/features: ([^;]+)/)?.[1] ?? "its pixel features"}, reaches ${pct(gmdh.accuracyMean)} with ${Math.round(gmdh.nonZeroParams).toLocaleString("en-US")} coefficients, against ${pct(hard.accuracyMean)} for the small MLP on hard labels with ${Math.round(hard.nonZeroParams).toLocaleString("en-US")} parameters; it is deterministic, so it was run once and has no error bar.`);
  }
  if (teacher && teacher.n) {
    const close = summary.filter((s) => s.n && s.accuracyMean >= teacher.accuracyMean - 0.01).sort((a, b) => a.nonZeroParams - b.nonZeroParams)[0];
    if (close && close.method !== "teacher") {
      sentences.push(`The smallest model within one point of the unpruned teacher's ${pct(teacher.accuracyMean)} is ${close.label}: ${pct(close.accuracyMean)} with ${Math.round(close.nonZeroParams).toLocaleString("en-US")} non-zero parameters, ${(teacher.nonZeroParams / close.nonZeroParams).toFixed(1)}× fewer than the teacher.`);
    } else sentences.push(`No model smaller than the unpruned teacher comes within one point of its ${pct(teacher.accuracyMean)}.`);
  }
  const pending = summary.filter((s) => !s.n);
  for (const p of pending) sentences.push(`No numbers for ${p.label}: ${p.source}.`);
  return { comparisons, sentences };
}
