/** Tests for the report site: the shared plotly.js and stylesheet, the navigation bar, a page made for real by plot.ts. */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { figureHtml, resetPlotlyEmbedding } from "../../lib/src/core/plot";
import { cssFileName, finishReportPage, folderBytes, pruneStylesheets, shareStyles, sharePlotly, SHARED_PLOTLY, withNav, withPdfLink } from "./site";

const figure = { data: [{ type: "scatter", x: [1, 2], y: [3, 4] }], layout: { title: { text: "t" } } };

function page(body: string): string {
  return `<!DOCTYPE html><html><head><style type="text/css">a{}</style><script>x()</script><style type="text/css">b{}</style></head><body class="jp-Notebook">\n${body}</body></html>`;
}

test("sharePlotly replaces the bundle plot.ts inlines, and only when it is the same bundle", () => {
  resetPlotlyEmbedding();
  const withBundle = figureHtml(figure, { includePlotly: true, id: "p1" });
  const without = figureHtml(figure, { id: "p2" });
  const bundle = fs.readFileSync(require.resolve("plotly.js-dist-min"), "utf8");
  const html = page(withBundle + without);
  const cases: Array<[string, string, number, number]> = [
    ["the same bundle", bundle, 1, 0],
    ["another version", bundle + "//v2", 0, 1],
  ];
  for (const [label, shared, replaced, kept] of cases) {
    const r = sharePlotly(html, shared);
    assert.equal(r.replaced, replaced, label);
    assert.equal(r.kept, kept, label);
    if (replaced) {
      assert.ok(r.html.length < html.length - bundle.length + 1000, `${label}: the page lost the bundle`);
      assert.ok(r.html.includes(`<script type="text/javascript" src="${SHARED_PLOTLY}"></script>`), label);
      // define is still hidden before and restored after the shared bundle runs
      const at = r.html.indexOf(`src="${SHARED_PLOTLY}"`);
      assert.ok(r.html.lastIndexOf("window.define = undefined", at) >= 0 && r.html.indexOf("window.define = window.__kdhDefine", at) > at, label);
    } else {
      assert.equal(r.html, html, label);
    }
  }
  assert.deepEqual(sharePlotly(page(without), bundle), { html: page(without), replaced: 0, kept: 0 }, "a page with no bundle is unchanged");
});

test("shareStyles moves the head's styles, in order, into one stylesheet named by its content", () => {
  const r = shareStyles(page("<style>in body stays</style>"));
  assert.equal(r.css?.text, "a{}\nb{}");
  assert.equal(r.css?.name, cssFileName("a{}\nb{}"));
  assert.match(r.css!.name, /^report-[0-9a-f]{12}\.css$/);
  assert.ok(r.html.includes(`<head><link rel="stylesheet" href="${r.css!.name}"><script>x()</script></head>`), r.html);
  assert.ok(r.html.includes("<style>in body stays</style>"));
  assert.notEqual(cssFileName("a{}"), cssFileName("b{}"));
  assert.deepEqual(shareStyles("<html><head></head><body></body></html>"), { html: "<html><head></head><body></body></html>" });
});

test("withNav puts the navigation bar first in the body and links the index and the API reference", () => {
  const html = withNav(page("<p>x</p>"), "00_tour");
  assert.match(html, /<body class="jp-Notebook">\n<nav class="kdh-site-nav"[^>]*><a href="\.\.\/index\.html">[^<]*<\/a> · <a href="\.\.\/api\/index\.html">/);
  assert.ok(html.includes(">00_tour</span>"));
});

test("finishReportPage writes a small page plus the shared files, or leaves a self-contained page alone", () => {
  resetPlotlyEmbedding();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kdh-site-"));
  try {
    const html = page(figureHtml(figure, { includePlotly: true, id: "p1" }));
    const file = path.join(dir, "00_x.html");
    fs.writeFileSync(file, html);
    const self = finishReportPage(file, { selfContained: true, name: "00_x" });
    assert.equal(self.replaced, 0);
    assert.equal(fs.readFileSync(file, "utf8"), html);
    assert.ok(!fs.existsSync(path.join(dir, SHARED_PLOTLY)));

    const r = finishReportPage(file, { selfContained: false, name: "00_x" });
    assert.equal(r.replaced, 1);
    const written = fs.readFileSync(file, "utf8");
    assert.ok(written.length < 20_000, `site page is ${written.length} bytes`);
    const bundleFile = require.resolve("plotly.js-dist-min");
    assert.deepEqual(fs.readFileSync(path.join(dir, SHARED_PLOTLY)), fs.readFileSync(bundleFile));
    const css = fs.readdirSync(dir).filter((f) => f.endsWith(".css"));
    assert.equal(css.length, 1);
    assert.equal(folderBytes(dir), Buffer.byteLength(written) + fs.statSync(bundleFile).size + fs.statSync(path.join(dir, css[0])).size);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("pruneStylesheets removes only the stylesheets no page links", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kdh-site-"));
  try {
    const [used, stale] = [cssFileName("a"), cssFileName("b")];
    fs.writeFileSync(path.join(dir, "00.html"), `<link rel="stylesheet" href="${used}">`);
    for (const f of [used, stale, "other.css"]) fs.writeFileSync(path.join(dir, f), "x");
    assert.deepEqual(pruneStylesheets(dir), [stale]);
    assert.deepEqual(fs.readdirSync(dir).sort(), ["00.html", "other.css", used].sort());
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("withPdfLink adds the PDF to the navigation bar once, and leaves pages without one alone", () => {
  const page = withNav("<html><body><p>x</p></body></html>", "03_t");
  const once = withPdfLink(page, "03_t");
  assert.match(once, /<a href="\.\.\/api\/index\.html">[^<]*<\/a> · <span class="kdh-site-page">03_t<\/span> · <a class="kdh-site-pdf" href="\.\.\/pdf\/03_t\.pdf">PDF<\/a><\/nav>/);
  assert.equal(withPdfLink(once, "03_t"), once);
  assert.equal(withPdfLink("<html><body></body></html>", "03_t"), "<html><body></body></html>");
});
