/**
 * The comparison's two figures: a timeline of the methods the suite reproduces, each linked to its
 * notebook's HTML report (the reports sit side by side in reports/html/, so a relative link works), and
 * the Pareto plot of accuracy against non-zero parameters.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { repoRoot } from "../core/paths";
import { seriesStyle, type PlotlyFigure } from "../core/plot";
import type { MethodSummary } from "./summary";
import { historyTimeline } from "../catalog/catalog";

export interface TimelineEntry {
  year: number;
  method: string;
  paper: string;
  /** NN_name of the suite's notebook, or undefined when none treats it yet. */
  notebook?: string;
}

/** The history the suite tells, oldest first: every timeline point the catalog declares, linked to its entry's notebook. */
export const HISTORY_TIMELINE: readonly TimelineEntry[] = historyTimeline();

/** Whether notebooks/<name>.ipynb exists in this checkout. */
export function notebookExists(name: string): boolean {
  return fs.existsSync(path.join(repoRoot(), "notebooks", `${name}.ipynb`));
}

/**
 * A timeline: one marker per method at its year, labels alternating above and below so that methods of
 * the same year do not overlap; each label links to `<notebook>.html` (or says "no notebook yet").
 */
export function timelineFigure(entries: readonly TimelineEntry[] = HISTORY_TIMELINE, exists: (nb: string) => boolean = notebookExists): PlotlyFigure {
  const sorted = [...entries].sort((a, b) => a.year - b.year);
  const levels = [1, -1, 2, -2, 3, -3];
  const y = sorted.map((_, i) => levels[i % levels.length]);
  const [first, last] = [sorted[0]?.year ?? 1960, sorted[sorted.length - 1]?.year ?? 2020];
  const annotations = sorted.map((e, i) => {
    const linked = e.notebook !== undefined && exists(e.notebook);
    const name = `${e.year}: ${wrapLabel(e.method, 34)}`;
    const text = linked ? `<a href="${e.notebook}.html">${name}</a><br><i>${e.paper}</i>` : `${name}<br><i>${e.paper}</i> (no notebook yet)`;
    // Labels at the ends of the axis grow inwards so they are not cut off.
    const xanchor = e.year - first < 8 ? "left" : last - e.year < 8 ? "right" : "center";
    return { x: e.year, y: y[i], text, showarrow: false, xanchor, yanchor: y[i] > 0 ? "bottom" : "top", font: { size: 11, color: linked ? "#1f5fa8" : "#777" }, align: xanchor };
  });
  return {
    data: [
      { x: [first - 5, last + 5], y: [0, 0], type: "scatter", mode: "lines", line: { color: "#999" }, hoverinfo: "skip", showlegend: false },
      { x: sorted.map((e) => e.year), y: y.map(() => 0), type: "scatter", mode: "markers", marker: { size: 10, color: sorted.map((e) => (e.notebook && exists(e.notebook) ? "#1f77b4" : "#bbbbbb")) }, text: sorted.map((e) => `${e.year}: ${e.method} (${e.paper})`), hoverinfo: "text", showlegend: false },
      // Thin stems from the axis to each label.
      ...sorted.map((e, i) => ({ x: [e.year, e.year], y: [0, y[i] * 0.97], type: "scatter", mode: "lines", line: { color: "#ddd", width: 1 }, hoverinfo: "skip", showlegend: false })),
    ],
    layout: {
      title: { text: "Sixty years of making networks smaller (click a method for its notebook)" },
      xaxis: { title: { text: "year" }, range: [first - 6, last + 6], dtick: 5 },
      yaxis: { visible: false, range: [-4.4, 4.4] },
      annotations,
      height: 600,
      margin: { l: 20, r: 20, t: 60, b: 50 },
    },
  };
}

/** Break text into lines of at most `width` characters at spaces (plotly labels do not wrap). */
export function wrapLabel(text: string, width: number): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join("<br>");
}

/**
 * Accuracy against non-zero parameters (log x), error bars over seeds, the Pareto front as a step line
 * through its members. Nothing is written on the plot area: the small models crowd together, and any
 * label there covers some other method's point. Each method is told apart by its own colour and
 * marker symbol (seriesStyle: colour-blind safe), named in the legend below the plot (★ marks the front,
 * whose points also carry a black ring), and in full in the hover text.
 */
export function paretoFigure(summary: MethodSummary[]): PlotlyFigure {
  const done = summary.filter((s) => s.n > 0 && Number.isFinite(s.nonZeroParams));
  const front = done.filter((s) => s.onParetoFront).sort((a, b) => a.nonZeroParams - b.nonZeroParams);
  return {
    data: [
      { x: front.map((s) => s.nonZeroParams), y: front.map((s) => 100 * s.accuracyMean), type: "scatter", mode: "lines", name: "Pareto front", line: { color: "#444", dash: "dot", shape: "hv", width: 1.5 }, hoverinfo: "skip" },
      ...done.map((s, i) => {
        const style = seriesStyle(i);
        return {
          x: [s.nonZeroParams],
          y: [100 * s.accuracyMean],
          error_y: { type: "data", array: [s.n > 1 ? 100 * s.accuracySd : 0], visible: true, color: style.color, thickness: 1.5, width: 4 },
          type: "scatter",
          mode: "markers",
          name: `${s.year} ${s.label}${s.onParetoFront ? " ★" : ""}`,
          marker: { size: s.onParetoFront ? 13 : 10, color: style.color, symbol: style.symbol, line: { width: s.onParetoFront ? 2 : 0.5, color: s.onParetoFront ? "#000" : "#fff" } },
          hovertemplate: `<b>${s.year} ${s.label}</b>${s.onParetoFront ? " (on the Pareto front)" : ""}<br>${s.paper}<br>%{x:,} non-zero parameters<br>accuracy %{y:.2f}%${s.n > 1 ? ` ± ${(100 * s.accuracySd).toFixed(2)} (sd over ${s.n} seeds)` : ""}<extra></extra>`,
        };
      }),
    ],
    layout: {
      title: { text: "Test accuracy against non-zero parameters (mean ± sd over seeds)" },
      xaxis: { title: { text: "non-zero parameters (count, log scale)" }, type: "log" },
      yaxis: { title: { text: "test accuracy (%)" } },
      // Below the plot area, clear of the x-axis title: never over a point, and the plot keeps the full
      // width (a legend of a dozen long names at the right leaves it a sliver on a printed page).
      legend: { orientation: "h", x: 0, xanchor: "left", y: -0.16, yanchor: "top", font: { size: 11 }, title: { text: "method (★ = on the Pareto front):", side: "top" } },
      margin: { t: 60, b: 40 },
      hovermode: "closest",
      height: 760,
    },
  };
}
