/** The browser check's rule for one page, on what a browser would have found (no browser needed). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { judge, type PlotSeen } from "./browser-check";

const good: PlotSeen = { id: "p", marks: 4, rendered: true, title: "Fig. 1a", xTicks: 5, yTicks: 4, xTitles: ["parameters remaining"], yTitles: ["training objective"] };

test("a drawn figure with title and axis titles passes; an image grid needs no axis titles", () => {
  assert.deepEqual(judge("f.html", [good, { id: "g", marks: 3, rendered: true, title: "digits", xTicks: 0, yTicks: 0 }], [], []).problems, []);
});

test("a figure without a drawn title or axis titles fails, naming which", () => {
  const cases: [Partial<PlotSeen>, RegExp][] = [
    [{ title: "" }, /figure p has no drawn title/],
    [{ xTitles: [] }, /figure p \("Fig. 1a"\) has an x axis without a drawn title/],
    [{ yTitles: [] }, /has a y axis without a drawn title/],
    [{ rendered: false }, /figure p did not draw \(Plotly.newPlot never finished\)/],
    [{ marks: 0 }, /did not draw \(no SVG marks\)/],
  ];
  for (const [change, message] of cases) {
    const r = judge("f.html", [{ ...good, ...change }], [], []);
    assert.equal(r.ok, false);
    assert.equal(r.problems.length, 1, r.problems.join("; "));
    assert.match(r.problems[0], message);
  }
});
