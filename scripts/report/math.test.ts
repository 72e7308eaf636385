import { test } from "node:test";
import assert from "node:assert/strict";
import { notebookWithRenderedMath, renderMarkdownMath } from "./math";

test("inline and display TeX become MathML without the TeX annotation", () => {
  const out = renderMarkdownMath("The gradient is $\\frac{1}{T}(q_i - p_i)$ per logit:\n$$\\sum_k z_k = 0$$");
  assert.match(out, /<math xmlns="http:\/\/www.w3.org\/1998\/Math\/MathML">/);
  assert.match(out, /<mfrac><mn>1<\/mn><mi>T<\/mi><\/mfrac>/);
  assert.match(out, /<math xmlns="http:\/\/www.w3.org\/1998\/Math\/MathML" display="block">/);
  assert.ok(!out.includes("$"), out);
  assert.ok(!out.includes("annotation"), "the TeX annotation was kept");
});

test("code spans, fenced code, escaped and money-like dollars are left alone", () => {
  const md = "Use `const s = $x$` here, costs \\$5 and $ 3, and\n```\nlet a = $b$;\n```\n";
  assert.equal(renderMarkdownMath(md), md);
});

test("only markdown cells change; code cells keep their source", () => {
  const nb = { cells: [{ cell_type: "markdown", source: ["$x^2$"] }, { cell_type: "code", source: "const y = `$x$`;" }] };
  const out = notebookWithRenderedMath(nb);
  assert.match(String(out.cells[0].source), /<msup>/);
  assert.equal(out.cells[1].source, "const y = `$x$`;");
});
