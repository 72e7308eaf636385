/** Tests for the plot helper: the html must carry plotly once, a fallback, and script-safe figure JSON. */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { repoRoot } from "./paths";
import { figureHtml, HOUSE_TEMPLATE, imageGridFigure, PALETTE, plotlyBundle, scriptSafeJson, seriesStyle, staticSvg, SYMBOLS, withHouseStyle, withTextTitles, type PlotlyFigure } from "./plot";

const fig: PlotlyFigure = {
  data: [{ x: [1, 2, 3], y: [0.5, 0.25, 0.25], type: "scatter", name: "evil </script><b>x</b>" }],
  layout: { title: { text: "Softmax </script> & <T>" } },
};

/** Every <script ...>...</script> body of an html string, split the way an HTML parser would. */
function scripts(html: string): string[] {
  const out: string[] = [];
  const re = /<script[^>]*>([\s\S]*?)<\/script>/gi;
  for (let m = re.exec(html); m; m = re.exec(html)) out.push(m[1]);
  return out;
}

test("the plotly bundle is inlined only when asked, and then exactly once", () => {
  const bundle = plotlyBundle();
  assert.ok(bundle.length > 1_000_000, "plotly.min.js should be megabytes");
  const marker = "plotly.js v"; // the bundle's licence header
  const count = (s: string) => s.split(marker).length - 1;
  const withBundle = figureHtml(fig, { includePlotly: true, id: "p1" });
  const without = figureHtml(fig, { includePlotly: false, id: "p2" });
  assert.equal(count(withBundle), count(bundle));
  assert.equal(count(without), 0);
  assert.ok(!/https?:\/\/cdn/i.test(without), "no CDN reference");
  // define is hidden before the bundle and restored after it
  const s = scripts(withBundle);
  assert.match(s[0], /window\.define = undefined/);
  assert.ok(s[1].length > 1_000_000);
  assert.match(s[2], /window\.define = window\.__kdhDefine/);
});

test("figure JSON survives a </script> inside strings and parses back to the same figure", () => {
  const html = figureHtml(fig, { id: "p3" });
  const s = scripts(html);
  assert.equal(s.length, 1, "one script: an embedded </script> must not split it");
  const m = /var fig = (.*);\n/.exec(s[0]);
  assert.ok(m, "figure assignment present");
  assert.ok(!m[1].includes("<") && !m[1].includes(">"), "no raw < or > in the JSON");
  const parsed = JSON.parse(m[1]);
  assert.deepEqual(parsed.data, fig.data);
  const { template, ...layout } = parsed.layout;
  assert.deepEqual(layout, fig.layout);
  assert.deepEqual(template, JSON.parse(JSON.stringify(HOUSE_TEMPLATE)), "the house template sits under the figure's layout");
});

test("the palette is Okabe & Ito's and every series gets its own colour and symbol pair", () => {
  // Okabe & Ito (2008), "Color Universal Design": the eight colours, by hand.
  assert.deepEqual([...PALETTE].sort(), ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442"].sort());
  const pairs = Array.from({ length: 40 }, (_, i) => seriesStyle(i));
  assert.equal(new Set(pairs.map((p) => `${p.color} ${p.symbol}`)).size, 40, "40 series, 40 distinct looks");
  assert.deepEqual(seriesStyle(0), { color: PALETTE[0], symbol: "circle" });
  assert.deepEqual(seriesStyle(1), { color: PALETTE[1], symbol: SYMBOLS[1] }, "colour and symbol both change: two cues, not one");
  assert.deepEqual(seriesStyle(8), { color: PALETTE[0], symbol: SYMBOLS[9] }, "the second round of colours is offset by one symbol");
  assert.throws(() => seriesStyle(-1), /whole number >= 0, got -1/);
  assert.deepEqual(withHouseStyle({ template: "none" }), { template: "none" }, "a figure's own template wins");
});

test("scriptSafeJson escapes html-significant characters and converts typed arrays and NaN", () => {
  const cases: Array<[unknown, string]> = [
    ["</script>", '"\\u003c/script\\u003e"'],
    ["a&b", '"a\\u0026b"'],
    ["<!--", '"\\u003c!--"'],
    ["\u2028", '"\\u2028"'],
    [new Float32Array([0.5, 1]), "[0.5,1]"],
    [[1, NaN, Infinity], "[1,null,null]"],
  ];
  for (const [input, want] of cases) assert.equal(scriptSafeJson(input), want, JSON.stringify(input));
});

test("the fallback holds the escaped title, a trace table and a static sketch", () => {
  const html = figureHtml(fig, { id: "p4" });
  const fb = /<div class="kdh-fallback"[\s\S]*?<\/table><\/div>/.exec(html)?.[0];
  assert.ok(fb, "fallback block present");
  assert.ok(fb.includes("Softmax &lt;/script&gt; &amp; &lt;T&gt;"), "title escaped");
  assert.ok(fb.includes("evil &lt;/script&gt;&lt;b&gt;x&lt;/b&gt;"), "trace name escaped");
  assert.match(fb, /<td>3<\/td>/, "point count");
  assert.match(fb, /<td>1 … 3<\/td>/, "x range");
  assert.match(fb, /<td>0\.25 … 0\.5<\/td>/, "y range");
  assert.match(fb, /data:image\/svg\+xml;base64,/);
  assert.ok(html.includes('class="kdh-plot"'));
});

test("staticSvg places points by hand-computed coordinates and skips undrawable figures", () => {
  const img = staticSvg({ data: [{ x: [0, 10], y: [0, 1] }] }, 100, 50)!;
  const svg = Buffer.from(/base64,([^"]+)"/.exec(img)![1], "base64").toString();
  // pad l=48 r=10 t=10 b=24: x 0 -> 48, x 10 -> 90; y 0 -> 26, y 1 -> 10
  assert.match(svg, /points="48\.0,26\.0 90\.0,10\.0"/);
  assert.equal(staticSvg({ data: [{ type: "heatmap", z: [[1]] }] }), undefined);
  // a log x axis: 1, 10, 100 are evenly spaced (48, 69, 90)
  const logImg = staticSvg({ data: [{ x: [1, 10, 100], y: [0, 0.5, 1] }], layout: { xaxis: { type: "log" } } }, 100, 50)!;
  assert.match(Buffer.from(/base64,([^"]+)"/.exec(logImg)![1], "base64").toString(), /points="48\.0,26\.0 69\.0,18\.0 90\.0,10\.0"/);
});

test("bad figures and ids are rejected with a message naming the problem", () => {
  assert.throws(() => figureHtml({} as PlotlyFigure), /expects a plotly figure/);
  assert.throws(() => figureHtml({ data: [null as unknown as Record<string, unknown>] }), /figure\.data\[0\]/);
  assert.throws(() => figureHtml(fig, { id: "bad id\"" }), /plot id/);
});

test("imageGridFigure lays out one heatmap per image with its own axes", () => {
  const img = new Float32Array([0, 0.5, 1, 0.25]);
  const g = imageGridFigure([img, img, img], { columns: 2, rows: 2, cols: 2, titles: ["a", "b", "c"] });
  assert.equal(g.data.length, 3);
  assert.deepEqual(g.data[0].z, [[0, 0.5], [1, 0.25]]);
  assert.deepEqual(g.data.map((t) => t.xaxis), ["x", "x2", "x3"]);
  assert.ok(g.layout!.yaxis3, "third image has its own y axis");
  assert.throws(() => imageGridFigure([new Float32Array(3)], { columns: 1, rows: 2, cols: 2 }), /expected rows\*cols/);
});

test("string-valued axes become categorical unless the figure says otherwise (\"10-10\" is not a date)", async () => {
  const { withCategoryAxes } = await import("./plot");
  const layout = withCategoryAxes({ data: [{ type: "heatmap", x: ["1", "2.5"], y: ["10-10", "30-30"], z: [[1, 2], [3, 4]] }, { x: [1, 2], y: ["a", "b"], yaxis: "y2" }], layout: { xaxis: { type: "linear" } } });
  assert.deepEqual(layout.xaxis, { type: "linear" });
  assert.deepEqual(layout.yaxis, { type: "category" });
  assert.deepEqual(layout.yaxis2, { type: "category" });
});

test("string titles (dropped by plotly.js 3) become { text } in the layout, every axis, the legend and colour bars", () => {
  const layout = {
    title: "Fig. 1a",
    xaxis: { title: "parameters remaining", type: "log" },
    yaxis2: { title: { text: "already an object" } },
    scene: { zaxis: { title: "z" } },
    legend: { title: "runs" },
    height: 300,
  };
  const { layout: l, data } = withTextTitles(layout, [{ type: "heatmap", colorbar: { title: "weight" } }, { type: "scatter" }]);
  assert.deepEqual(l, {
    title: { text: "Fig. 1a" },
    xaxis: { title: { text: "parameters remaining" }, type: "log" },
    yaxis2: { title: { text: "already an object" } },
    scene: { zaxis: { title: { text: "z" } } },
    legend: { title: { text: "runs" } },
    height: 300,
  });
  assert.deepEqual(data, [{ type: "heatmap", colorbar: { title: { text: "weight" } } }, { type: "scatter" }]);
  assert.equal(layout.title, "Fig. 1a", "the caller's figure is not modified");
  // The html a notebook shows carries the object form.
  const html = figureHtml({ data: [{ x: [1, 2], y: [3, 4] }], layout: { title: "T", xaxis: { title: "x label" } } });
  const json = JSON.parse(/var fig = (.*);\n/.exec(html)![1]);
  assert.deepEqual([json.layout.title, json.layout.xaxis.title], [{ text: "T" }, { text: "x label" }]);
});

// plotly's own default colours (its "D3/tab10" cycle) are hard to tell apart under protan and deutan
// vision; a notebook that sets colours by hand takes them from PALETTE / seriesStyle instead.
test("no notebook hard-codes plotly's default colours instead of the house palette", () => {
  const plotlyDefaults = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#bcbd22", "#17becf"];
  const dir = path.join(repoRoot(), "notebooks");
  const offenders: string[] = [];
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith(".ipynb"))) {
    const text = fs.readFileSync(path.join(dir, f), "utf8").toLowerCase();
    for (const c of plotlyDefaults) if (text.includes(c)) offenders.push(`${f}: ${c}`);
  }
  assert.deepEqual(offenders, [], `use kdh.PALETTE or kdh.seriesStyle(i).color instead of: ${offenders.join(", ")}`);
});
