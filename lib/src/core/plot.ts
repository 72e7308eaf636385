/**
 * Plotly figures as notebook output that works in three places at once:
 *  1. JupyterLab / VS Code: a text/html output holding a <div> and a <script> that calls Plotly.newPlot,
 *     so the figure is interactive (zoom, hover, sliders);
 *  2. `jupyter nbconvert --to html` with no network: nbconvert copies text/html outputs verbatim, so the
 *     report carries plotly.js itself. The bundle (npm plotly.js-dist-min, ~4.8 MB) is inlined ONCE per
 *     kernel process, in the first figure; later figures reuse window.Plotly. Nothing is fetched from a CDN;
 *  3. where scripts do not run (an untrusted notebook, GitHub's viewer): a static fallback with the title,
 *     a small SVG drawing of line/bar traces and a table summarising every trace. The script hides it
 *     once the interactive figure is drawn.
 *
 * Why hide `define`: plotly's bundle registers itself as an anonymous AMD module when a global `define`
 * exists (nbconvert's templates load require.js), which would leave window.Plotly undefined.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** A plotly figure: the JSON accepted by Plotly.newPlot (typed loosely: plotly's schema is huge). */
export interface PlotlyFigure {
  data: Array<Record<string, unknown>>;
  layout?: Record<string, unknown>;
  config?: Record<string, unknown>;
  frames?: Array<Record<string, unknown>>;
}

export interface FigureHtmlOptions {
  /** Inline the plotly.js bundle in this output (the first figure of a process does). Default false. */
  includePlotly?: boolean;
  /** Element id; default a fresh unique id. */
  id?: string;
  /** CSS height of the plot area when the layout gives none, in px. Default 420. */
  height?: number;
}

let plotlyEmbedded = false;
let idCounter = 0;
let bundleCache: string | undefined;

/** The plotly.js-dist-min bundle as text (read once). */
export function plotlyBundle(): string {
  if (bundleCache !== undefined) return bundleCache;
  let file: string;
  try {
    file = require.resolve("plotly.js-dist-min");
  } catch {
    throw new Error("npm package plotly.js-dist-min is not installed; run `npm run setup` (or `npm install`) in the repository root.");
  }
  if (path.extname(file) !== ".js") file = path.join(path.dirname(file), "plotly.min.js");
  bundleCache = fs.readFileSync(file, "utf8");
  return bundleCache;
}

/**
 * JSON that is safe inside an HTML <script>: `<`, `>` and `&` become \u escapes (so a string holding
 * "</script>" or "<!--" cannot end or confuse the script element), as do U+2028/U+2029. Typed arrays
 * become plain arrays; non-finite numbers become null (plotly draws them as gaps).
 */
export function scriptSafeJson(value: unknown): string {
  const json = JSON.stringify(value, (_key, v) => {
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
    if (typeof v === "number" && !Number.isFinite(v)) return null;
    return v;
  });
  if (json === undefined) throw new Error(`cannot serialise ${typeof value} as a plotly figure`);
  return json
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

export function escapeHtml(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string);
}

function checkFigure(figure: PlotlyFigure): void {
  if (!figure || typeof figure !== "object" || !Array.isArray(figure.data)) {
    throw new Error(`showPlot expects a plotly figure {data: [...traces], layout?: {...}}, got ${figure === null ? "null" : typeof figure}${figure && typeof figure === "object" ? ` with keys ${Object.keys(figure).join(", ")}` : ""}`);
  }
  figure.data.forEach((t, i) => {
    if (!t || typeof t !== "object") throw new Error(`figure.data[${i}] must be a trace object such as {x: [...], y: [...], type: "scatter"}, got ${JSON.stringify(t)}`);
  });
}

/** The title text of a layout (plotly accepts a string or {text}). */
export function figureTitle(figure: PlotlyFigure): string {
  const t = figure.layout?.title as unknown;
  if (typeof t === "string") return t;
  if (t && typeof t === "object" && typeof (t as { text?: unknown }).text === "string") return (t as { text: string }).text;
  return "";
}

function numbers(a: unknown): number[] | undefined {
  if (!a || typeof a !== "object" || !("length" in (a as object))) return undefined;
  const arr = Array.from(a as ArrayLike<unknown>);
  if (arr.length === 0 || !arr.every((v) => typeof v === "number" || v === null)) return undefined;
  return arr.map((v) => (typeof v === "number" ? v : NaN));
}

function fmt(x: number): string {
  if (!Number.isFinite(x)) return "–";
  const a = Math.abs(x);
  return a !== 0 && (a >= 1e5 || a < 1e-3) ? x.toExponential(2) : String(Number(x.toPrecision(4)));
}

function range(xs: number[]): string {
  const f = xs.filter(Number.isFinite);
  if (!f.length) return "–";
  return `${fmt(Math.min(...f))} … ${fmt(Math.max(...f))}`;
}

/** One row per trace: name, type, points, x range, y (or z) range. */
function traceSummary(figure: PlotlyFigure): string {
  const rows = figure.data.map((t, i) => {
    const type = String(t.type ?? "scatter");
    const name = t.name !== undefined ? String(t.name) : `trace ${i}`;
    const visible = t.visible === false || t.visible === "legendonly" ? " (hidden)" : "";
    let n = 0;
    let xr = "–";
    let yr = "–";
    if (Array.isArray(t.z)) {
      const z = (t.z as unknown[]).flatMap((row) => numbers(row) ?? []);
      n = z.length;
      yr = `z: ${range(z)}`;
    } else {
      const y = numbers(t.y);
      const x = numbers(t.x);
      n = y?.length ?? (Array.isArray(t.x) ? (t.x as unknown[]).length : 0);
      if (x) xr = range(x);
      else if (Array.isArray(t.x)) xr = `${(t.x as unknown[]).length} categories`;
      if (y) yr = range(y);
    }
    return `<tr><td>${escapeHtml(name + visible)}</td><td>${escapeHtml(type)}</td><td>${n}</td><td>${escapeHtml(xr)}</td><td>${escapeHtml(yr)}</td></tr>`;
  });
  return `<table class="kdh-fallback-table" style="border-collapse:collapse;font-size:12px"><thead><tr><th>trace</th><th>type</th><th>points</th><th>x range</th><th>y range</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

/**
 * The suite's colours: Okabe & Ito's palette (2008), told apart under the common colour-vision
 * deficiencies (protan, deutan, tritan) and in grey print. Yellow (#F0E442) is last: it is faint on white.
 */
export const PALETTE: readonly string[] = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442"];

/** Marker symbols paired with the palette, so that series beyond its 8 colours (and greyscale copies) stay distinct. */
export const SYMBOLS: readonly string[] = ["circle", "square", "diamond", "triangle-up", "cross", "triangle-down", "x", "pentagon", "hexagon", "star-square"];

/**
 * Colour and marker symbol of the i-th series. Both change from one series to the next (two cues, so a
 * reader who cannot tell two colours apart still tells the markers apart); the symbols are offset by one
 * per round of colours, so the first 80 series all differ.
 */
export function seriesStyle(i: number): { color: string; symbol: string } {
  if (!Number.isInteger(i) || i < 0) throw new Error(`seriesStyle: the series index must be a whole number >= 0, got ${i}`);
  return { color: PALETTE[i % PALETTE.length], symbol: SYMBOLS[(i + Math.floor(i / PALETTE.length)) % SYMBOLS.length] };
}

/**
 * One look for every figure of the suite, given to plotly as a layout template (a figure's own layout
 * still wins): the palette, one font, light grids, axis titles kept clear of tick labels (automargin),
 * the legend outside the plot area to the right, and full trace names in hover labels.
 */
export const HOUSE_TEMPLATE = {
  layout: {
    colorway: [...PALETTE],
    font: { family: "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif", size: 13, color: "#222" },
    paper_bgcolor: "#fff",
    plot_bgcolor: "#fff",
    xaxis: { automargin: true, showline: true, linecolor: "#888", gridcolor: "#e6e6e6", zerolinecolor: "#bbb", ticks: "outside", tickcolor: "#888" },
    yaxis: { automargin: true, showline: true, linecolor: "#888", gridcolor: "#e6e6e6", zerolinecolor: "#bbb", ticks: "outside", tickcolor: "#888" },
    legend: { x: 1.02, xanchor: "left", y: 1, yanchor: "top", bgcolor: "rgba(255,255,255,0)" },
    hoverlabel: { namelength: -1 },
  },
} as const;

/** The figure's layout with the house template underneath (unless the figure brings its own template). */
export function withHouseStyle(layout: Record<string, unknown>): Record<string, unknown> {
  return layout.template === undefined ? { ...layout, template: HOUSE_TEMPLATE } : layout;
}

/**
 * A static SVG sketch of the visible scatter/line/bar traces with numeric y (one shared pair of axes),
 * as an <img> data URI (nbconvert strips inline <svg> elements but keeps images). Undefined when
 * there is nothing drawable (heatmaps, images, categorical y).
 */
export function staticSvg(figure: PlotlyFigure, width = 480, height = 240): string | undefined {
  const pad = { l: 48, r: 10, t: 10, b: 24 };
  // Log axes are drawn in log10 space (labels still show the real values).
  const axisType = (name: string) => ((figure.layout?.[name] as { type?: string } | undefined)?.type === "log" ? "log" : "linear");
  const tx = axisType("xaxis") === "log" ? Math.log10 : (v: number) => v;
  const ty = axisType("yaxis") === "log" ? Math.log10 : (v: number) => v;
  const series: Array<{ xs: number[]; ys: number[]; bar: boolean }> = [];
  for (const t of figure.data) {
    const type = String(t.type ?? "scatter");
    if (!["scatter", "scattergl", "bar"].includes(type) || t.visible === false || t.visible === "legendonly") continue;
    const ys = numbers(t.y);
    if (!ys) continue;
    const xs = numbers(t.x)?.map(tx) ?? ys.map((_, i) => i);
    series.push({ xs, ys: ys.map(ty), bar: type === "bar" });
  }
  if (!series.length) return undefined;
  const allX = series.flatMap((s) => s.xs).filter(Number.isFinite);
  const allY = series.flatMap((s) => s.ys).filter(Number.isFinite);
  if (!allX.length || !allY.length) return undefined;
  let [x0, x1, y0, y1] = [Math.min(...allX), Math.max(...allX), Math.min(...allY, series.some((s) => s.bar) ? 0 : Infinity), Math.max(...allY)];
  if (x0 === x1) [x0, x1] = [x0 - 1, x1 + 1];
  if (y0 === y1) [y0, y1] = [y0 - 1, y1 + 1];
  const sx = (x: number) => pad.l + ((x - x0) / (x1 - x0)) * (width - pad.l - pad.r);
  const sy = (y: number) => height - pad.b - ((y - y0) / (y1 - y0)) * (height - pad.t - pad.b);
  const parts: string[] = [];
  parts.push(`<rect x="${pad.l}" y="${pad.t}" width="${width - pad.l - pad.r}" height="${height - pad.t - pad.b}" fill="none" stroke="#ccc"/>`);
  series.forEach((s, k) => {
    const color = PALETTE[k % PALETTE.length];
    if (s.bar) {
      const w = Math.max(1, ((width - pad.l - pad.r) / Math.max(1, s.xs.length)) * 0.7);
      s.xs.forEach((x, i) => {
        if (!Number.isFinite(s.ys[i])) return;
        const top = Math.min(sy(s.ys[i]), sy(Math.max(0, y0)));
        parts.push(`<rect x="${(sx(x) - w / 2).toFixed(1)}" y="${top.toFixed(1)}" width="${w.toFixed(1)}" height="${Math.abs(sy(s.ys[i]) - sy(Math.max(0, y0))).toFixed(1)}" fill="${color}"/>`);
      });
    } else {
      const pts = s.xs.map((x, i) => (Number.isFinite(x) && Number.isFinite(s.ys[i]) ? `${sx(x).toFixed(1)},${sy(s.ys[i]).toFixed(1)}` : "")).filter(Boolean);
      parts.push(`<polyline fill="none" stroke="${color}" stroke-width="1.5" points="${pts.join(" ")}"/>`);
    }
  });
  const label = (x: number, y: number, text: string, anchor = "middle") => `<text x="${x}" y="${y}" font-size="10" font-family="sans-serif" text-anchor="${anchor}" fill="#444">${escapeHtml(text)}</text>`;
  const ux = (v: number) => (tx === Math.log10 ? 10 ** v : v);
  const uy = (v: number) => (ty === Math.log10 ? 10 ** v : v);
  parts.push(label(pad.l - 4, pad.t + 8, fmt(uy(y1)), "end"), label(pad.l - 4, height - pad.b, fmt(uy(y0)), "end"));
  parts.push(label(pad.l, height - 8, fmt(ux(x0)), "start"), label(width - pad.r, height - 8, fmt(ux(x1)), "end"));
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${parts.join("")}</svg>`;
  return `<img alt="static sketch of the figure" src="data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}"/>`;
}

/**
 * The html for one figure: fallback + plot div + script. With `includePlotly`, the plotly bundle is
 * inlined first, with `define` hidden while it evaluates.
 */
/**
 * Labels such as "10-10" or "2015-1" would be auto-typed by plotly as dates (and a heatmap over them
 * drawn with NaN sizes), so an axis whose data are all strings is made categorical unless the figure
 * sets its type.
 */
export function withCategoryAxes(figure: PlotlyFigure): Record<string, unknown> {
  const layout: Record<string, unknown> = { ...((figure.layout ?? {}) as Record<string, unknown>) };
  for (const trace of figure.data as Record<string, unknown>[]) {
    for (const dim of ["x", "y"] as const) {
      const values = trace[dim];
      if (!Array.isArray(values) || values.length === 0 || !values.every((v) => typeof v === "string")) continue;
      const ref = typeof trace[`${dim}axis`] === "string" ? (trace[`${dim}axis`] as string) : dim;
      const key = `${dim}axis${ref.slice(1)}`;
      const axis = { ...((layout[key] ?? {}) as Record<string, unknown>) };
      if (axis.type === undefined) layout[key] = { ...axis, type: "category" };
    }
  }
  return layout;
}

/**
 * plotly.js 3 draws a title only in the form `{ text: "..." }`; a plain string (`title: "..."`, the
 * form of plotly 1 and most examples) is silently dropped, leaving figures without title or axis
 * labels. Every title slot a figure of this suite can use is rewritten into the object form: the
 * layout's, each 2-D and 3-D axis's, the legend's and each colour bar's.
 */
export function withTextTitles(layout: Record<string, unknown>, data: Array<Record<string, unknown>> = []): { layout: Record<string, unknown>; data: Array<Record<string, unknown>> } {
  const fix = (holder: Record<string, unknown>): Record<string, unknown> => {
    const t = holder.title;
    return typeof t === "string" || typeof t === "number" ? { ...holder, title: { text: String(t) } } : holder;
  };
  const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);
  const out = fix(layout);
  for (const [key, value] of Object.entries(out)) {
    if (!isObj(value)) continue;
    if (/^([xyz]axis\d*|legend|coloraxis\d*)$/.test(key)) {
      out[key] = fix(value);
      if (isObj((out[key] as Record<string, unknown>).colorbar)) out[key] = { ...(out[key] as Record<string, unknown>), colorbar: fix((out[key] as Record<string, unknown>).colorbar as Record<string, unknown>) };
    } else if (/^(scene|polar|ternary)\d*$/.test(key)) {
      const sub: Record<string, unknown> = { ...value };
      for (const [k, v] of Object.entries(sub)) if (/axis$/.test(k) && isObj(v)) sub[k] = fix(v);
      out[key] = sub;
    }
  }
  const traces = data.map((t) => (isObj(t.colorbar) ? { ...t, colorbar: fix(t.colorbar) } : t));
  return { layout: out, data: traces };
}

export function figureHtml(figure: PlotlyFigure, opts: FigureHtmlOptions = {}): string {
  checkFigure(figure);
  const id = opts.id ?? `kdh-plot-${process.pid}-${Date.now().toString(36)}-${idCounter++}`;
  if (!/^[A-Za-z][\w-]*$/.test(id)) throw new Error(`plot id ${JSON.stringify(id)} must be letters, digits, '-' or '_' and start with a letter`);
  const layoutHeight = typeof figure.layout?.height === "number" ? (figure.layout.height as number) : (opts.height ?? 420);
  const title = figureTitle(figure);
  const sketch = staticSvg(figure) ?? "";
  const fallback =
    `<div class="kdh-fallback" id="${id}-fallback" style="font-family:sans-serif;font-size:13px">` +
    `<div><b>${escapeHtml(title || "Figure")}</b> <i style="color:#888">(static summary: the interactive figure needs JavaScript)</i></div>` +
    sketch +
    traceSummary(figure) +
    `</div>`;
  const parts: string[] = [];
  if (opts.includePlotly) {
    const bundle = plotlyBundle().replace(/<\/script/gi, "<\\/script");
    parts.push(
      `<script type="text/javascript">window.__kdhDefine = window.define; window.define = undefined;</script>`,
      `<script type="text/javascript">${bundle}\n</script>`,
      `<script type="text/javascript">window.define = window.__kdhDefine; try { delete window.__kdhDefine; } catch (e) {}</script>`,
    );
  }
  const config = { responsive: true, displaylogo: false, ...(figure.config ?? {}) };
  const { layout, data } = withTextTitles(withCategoryAxes(figure), figure.data);
  const fig = { data, layout: withHouseStyle(layout), frames: figure.frames ?? [], config };
  // Later figures may be rendered before the bundle's output when a front end re-renders outputs,
  // so wait for window.Plotly for a while instead of failing at once.
  parts.push(
    fallback,
    `<div id="${id}" class="kdh-plot" style="width:100%;height:${layoutHeight}px;display:none"></div>`,
    `<script type="text/javascript">(function () {
  var fig = ${scriptSafeJson(fig)};
  var tries = 0;
  function draw() {
    var el = document.getElementById(${scriptSafeJson(id)});
    if (!el) return;
    if (!window.Plotly) { if (tries++ < 200) { setTimeout(draw, 50); } else { console.warn("plotly.js not loaded; showing the static summary"); } return; }
    el.style.display = "block";
    window.Plotly.newPlot(el, fig).then(function () {
      var fb = document.getElementById(${scriptSafeJson(id + "-fallback")});
      if (fb) fb.style.display = "none";
      el.setAttribute("data-kdh-rendered", "1");
    });
  }
  draw();
})();</script>`,
  );
  return `<div class="kdh-figure">${parts.join("\n")}</div>`;
}

/** Whether the next figure of this process inlines plotly.js. */
export function plotlyWillBeEmbedded(): boolean {
  return !plotlyEmbedded;
}

/** Forget that the bundle was sent (for tests, or after the front end lost the first output). */
export function resetPlotlyEmbedding(): void {
  plotlyEmbedded = false;
}

/**
 * Show a plotly figure as notebook output. Outside a kernel (scripts, tests) it prints a one-line
 * summary instead. Returns nothing, so that a cell ending in showPlot(...) does not also print the
 * html as the cell's value (use figureHtml for the string).
 */
export function showPlot(figure: PlotlyFigure, opts: Omit<FigureHtmlOptions, "includePlotly"> = {}): void {
  const { displayHtml, inKernel } = require("./display") as typeof import("./display");
  const kernel = inKernel();
  const html = figureHtml(figure, { ...opts, includePlotly: kernel && !plotlyEmbedded });
  if (kernel) {
    displayHtml(html);
    plotlyEmbedded = true;
  } else {
    console.log(`[figure] ${figureTitle(figure) || "untitled"}: ${figure.data.length} trace(s)`);
  }
}

export interface ImageGridOptions {
  /** Images per row. */
  columns: number;
  rows: number;
  cols: number;
  titles?: string[];
  title?: string;
  /** Pixel size of one cell in the output, default 72. */
  cellPx?: number;
}

/**
 * A figure of grey-scale images as a grid of heatmap subplots (ink dark on white, row 0 at the top).
 * images: one Float32Array (or number[]) of rows*cols values in [0,1] per image.
 */
export function imageGridFigure(images: ArrayLike<number>[], opts: ImageGridOptions): PlotlyFigure {
  const { columns, rows, cols } = opts;
  if (!Number.isInteger(columns) || columns < 1) throw new Error(`imageGridFigure: columns must be a positive integer, got ${columns}`);
  if (!images.length) throw new Error("imageGridFigure: no images to show");
  images.forEach((im, k) => {
    if (im.length !== rows * cols) throw new Error(`imageGridFigure: image ${k} has ${im.length} values, expected rows*cols = ${rows}*${cols} = ${rows * cols}`);
  });
  const gridRows = Math.ceil(images.length / columns);
  const cell = opts.cellPx ?? 72;
  const gap = 0.02;
  const data: Array<Record<string, unknown>> = [];
  const layout: Record<string, unknown> = {
    title: opts.title ? { text: opts.title } : undefined,
    height: gridRows * (cell + 18) + (opts.title ? 60 : 20),
    width: columns * cell + 40,
    margin: { l: 10, r: 10, t: opts.title ? 50 : 10, b: 10 },
    annotations: [] as unknown[],
    showlegend: false,
  };
  images.forEach((im, k) => {
    const r = Math.floor(k / columns);
    const c = k % columns;
    const z: number[][] = [];
    for (let i = 0; i < rows; i++) z.push(Array.from({ length: cols }, (_, j) => Number(im[i * cols + j].toFixed(3))));
    const ax = k === 0 ? "" : String(k + 1);
    data.push({ type: "heatmap", z, xaxis: `x${ax}`, yaxis: `y${ax}`, colorscale: "Greys", reversescale: true, zmin: 0, zmax: 1, showscale: false, name: opts.titles?.[k] ?? `image ${k}`, hovertemplate: "row %{y}, col %{x}: %{z}<extra></extra>" });
    const x0 = c / columns + gap / 2;
    const x1 = (c + 1) / columns - gap / 2;
    const y1 = 1 - r / gridRows - (opts.titles ? 0.18 / gridRows : gap / 2);
    const y0 = 1 - (r + 1) / gridRows + gap / 2;
    layout[`xaxis${ax}`] = { domain: [x0, x1], visible: false, anchor: `y${ax}` };
    layout[`yaxis${ax}`] = { domain: [y0, y1], visible: false, autorange: "reversed", anchor: `x${ax}`, scaleanchor: `x${ax}` };
    if (opts.titles?.[k] !== undefined) {
      (layout.annotations as unknown[]).push({ text: opts.titles[k], x: (x0 + x1) / 2, y: y1, xref: "paper", yref: "paper", xanchor: "center", yanchor: "bottom", showarrow: false, font: { size: 10 } });
    }
  });
  return { data, layout, config: { displayModeBar: false } };
}
