import { test } from "node:test";
import assert from "node:assert/strict";
import { HISTORY_TIMELINE, notebookExists, paretoFigure, timelineFigure, wrapLabel } from "./figures";
import type { MethodSummary } from "./summary";

test("timeline: a method with a notebook links to its HTML report, one without says so", () => {
  const entries = [
    { year: 1965, method: "GMDH", paper: "Ivakhnenko & Lapa 1965", notebook: "20_gmdh_ivakhnenko" },
    { year: 1989, method: "biased weight decay", paper: "Hanson & Pratt 1989" },
    { year: 2015, method: "distillation", paper: "Hinton et al. 2015", notebook: "02_hinton_distillation" },
  ];
  const fig = timelineFigure(entries, (nb) => nb === "20_gmdh_ivakhnenko");
  const texts = (fig.layout!.annotations as Array<{ text: string }>).map((a) => a.text);
  assert.match(texts[0], /<a href="20_gmdh_ivakhnenko.html">1965: GMDH<\/a>/);
  assert.match(texts[1], /no notebook yet/);
  assert.doesNotMatch(texts[1], /href/);
  // A notebook that is named but not in this checkout is not linked either.
  assert.match(texts[2], /no notebook yet/);
  // Every method on the suite's own timeline has a notebook in this checkout.
  for (const e of HISTORY_TIMELINE) assert.ok(e.notebook && notebookExists(e.notebook), `${e.method} (${e.year}) has no notebook`);
});

test("Pareto figure: the front line holds exactly the front, in cost order; no text on the plot; legend outside; pending rows are left out", () => {
  const s = (method: string, cost: number, acc: number, front: boolean, n = 2): MethodSummary => ({
    method, label: method, year: 2000, paper: "", notebook: "", source: "computed", seeds: [], accuracies: [], n,
    accuracyMean: acc, accuracySd: 0.01, nonZeroParams: cost, inferenceMsPer1000: 1, trainSeconds: 1, epochs: 1, details: "", onParetoFront: front,
  });
  const fig = paretoFigure([s("big", 1000, 0.95, true), s("small", 10, 0.8, true), s("mid", 500, 0.9, false), s("pending", NaN, NaN, false, 0)]);
  assert.deepEqual(fig.data[0].x, [10, 1000]);
  assert.equal(fig.data.length, 4, "front line + one trace per finished method");
  assert.deepEqual(fig.data.slice(1).map((t) => t.name), ["2000 big ★", "2000 small ★", "2000 mid"]);
  // Nothing drawn as text over the data: names live in the legend and the hover text.
  for (const t of fig.data) {
    assert.ok(!String(t.mode).includes("text") && t.text === undefined, `${t.name}: no on-plot text`);
  }
  assert.ok(fig.data.slice(1).every((t) => String(t.hovertemplate).includes(String(t.name).replace(" ★", ""))));
  // Legend outside the plot area: below it (y < 0 in paper coordinates, hanging down from there).
  const legend = fig.layout!.legend as { y: number; yanchor: string };
  assert.ok(legend.y < 0 && legend.yanchor === "top");
  // Each method its own colour and symbol.
  const looks = fig.data.slice(1).map((t) => JSON.stringify([(t.marker as { color: string }).color, (t.marker as { symbol: string }).symbol]));
  assert.equal(new Set(looks).size, looks.length);
  assert.equal((fig.layout!.xaxis as { type: string }).type, "log");
  for (const axis of ["xaxis", "yaxis"]) assert.match((fig.layout![axis] as { title: { text: string } }).title.text, /\(.+\)/, `${axis} title names its unit`);
});

test("wrapLabel breaks at spaces within the width", () => {
  assert.equal(wrapLabel("one two three four", 9), "one two<br>three<br>four");
  assert.equal(wrapLabel("short", 9), "short");
});
