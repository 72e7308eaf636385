/**
 * The report site. A notebook's first figure carries the whole plotly.js bundle (about 4.8 MB) so that
 * the executed notebook draws its figures in any Jupyter front end. Fourteen reports carrying it each
 * are too heavy to publish, so by default every report page refers to ONE copy of the bundle beside
 * the pages (reports/html/plotly.min.js, copied from npm plotly.js-dist-min) and gets a small
 * navigation bar (all reports, API reference). `--self-contained` keeps the bundle inline: one file
 * that works on its own, for sending a single report.
 *
 * The same goes for the stylesheets nbconvert's lab template inlines in every page (about 550 KB, mostly
 * JupyterLab's theme): they move to one `report-<hash>.css` beside the pages, named by its content so
 * that pages made by different template versions never share the wrong one.
 *
 * The inline bundle is replaced only when it is byte-for-byte the bundle being shared; a page made by
 * another plotly.js version keeps its own copy (correct, only heavier). The `define` hiding around the
 * bundle stays in place: a classic `<script src>` runs in document order like the inline one, so
 * plotly still sees no AMD loader while it evaluates (see lib/src/core/plot.ts).
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { writeFileAtomic } from "../../lib/src/core/store";
import { buildApiReference } from "./api-docs";

/** File name of the shared bundle, beside the report pages. */
export const SHARED_PLOTLY = "plotly.min.js";

/** The bundle file of npm plotly.js-dist-min (the same file the kernel inlines). */
export function plotlyBundlePath(): string {
  let file: string;
  try {
    file = require.resolve("plotly.js-dist-min");
  } catch {
    throw new Error("npm package plotly.js-dist-min is not installed; run `npm run setup` (or `npm install`) in the repository root.");
  }
  return path.extname(file) === ".js" ? file : path.join(path.dirname(file), "plotly.min.js");
}

// What lib/src/core/plot.ts writes around the bundle: hide define, the bundle, restore define.
const HIDE = '<script type="text/javascript">window.__kdhDefine = window.define; window.define = undefined;</script>';
const OPEN = '<script type="text/javascript">';
const CLOSE = "\n</script>";
const RESTORE = '<script type="text/javascript">window.define = window.__kdhDefine;';

export interface ShareResult {
  html: string;
  /** Inline bundles replaced by a reference to the shared file. */
  replaced: number;
  /** Inline bundles left alone because they differ from the shared one. */
  kept: number;
}

/**
 * Replace every inline copy of `bundle` in `html` by `<script src="${src}">`. `bundle` is the shared
 * file's text; plot.ts escapes `</script` inside it, and so does this comparison.
 */
export function sharePlotly(html: string, bundle: string, src = SHARED_PLOTLY): ShareResult {
  const inline = bundle.replace(/<\/script/gi, "<\\/script");
  let out = "";
  let from = 0;
  let replaced = 0;
  let kept = 0;
  for (;;) {
    const hide = html.indexOf(HIDE, from);
    if (hide < 0) break;
    const open = hide + HIDE.length;
    // Only whitespace (nbconvert keeps the output verbatim, but be lenient about newlines) between the parts.
    const openAt = html.indexOf(OPEN, open);
    const close = openAt < 0 ? -1 : html.indexOf(CLOSE, openAt + OPEN.length);
    const restore = close < 0 ? -1 : html.indexOf(RESTORE, close);
    if (openAt < 0 || close < 0 || restore < 0 || html.slice(open, openAt).trim() || html.slice(close + CLOSE.length, restore).trim()) {
      out += html.slice(from, open);
      from = open;
      continue;
    }
    const body = html.slice(openAt + OPEN.length, close);
    out += html.slice(from, openAt);
    if (body === inline) {
      out += `<script type="text/javascript" src="${src}"></script>`;
      replaced++;
    } else {
      out += html.slice(openAt, close + CLOSE.length);
      kept++;
    }
    from = close + CLOSE.length;
  }
  out += html.slice(from);
  return { html: out, replaced, kept };
}

/** CSS file name for a stylesheet text: report-<first 12 hex digits of its SHA-256>.css. */
export function cssFileName(css: string): string {
  return `report-${crypto.createHash("sha256").update(css).digest("hex").slice(0, 12)}.css`;
}

/**
 * Move every `<style>` element of the page's <head> into one stylesheet (in their order, so the cascade
 * is unchanged) linked where the first one was. Returns the page and the stylesheet (undefined when the
 * head has no style element).
 */
export function shareStyles(html: string): { html: string; css?: { name: string; text: string } } {
  const headEnd = html.search(/<\/head>/i);
  if (headEnd < 0) return { html };
  const head = html.slice(0, headEnd);
  const blocks: string[] = [];
  let first = -1;
  const newHead = head.replace(/<style(?:\s+type="text\/css")?\s*>([\s\S]*?)<\/style>/gi, (m, body: string, offset: number) => {
    if (first < 0) first = offset;
    blocks.push(body);
    return blocks.length === 1 ? "\u0000KDH_CSS\u0000" : "";
  });
  if (!blocks.length) return { html };
  const text = blocks.join("\n");
  const name = cssFileName(text);
  return { html: newHead.replace("\u0000KDH_CSS\u0000", `<link rel="stylesheet" href="${name}">`) + html.slice(headEnd), css: { name, text } };
}

/** The navigation bar of a site page (links are relative to reports/html/). */
export function siteNav(name: string): string {
  return (
    `<nav class="kdh-site-nav" aria-label="site">` +
    `<a href="../index.html">← all reports</a> · <a href="../api/index.html">library API reference</a> · ` +
    `<span class="kdh-site-page">${name.replace(/[&<>"']/g, "")}</span>` +
    `</nav>`
  );
}

/** Add a link to the page's PDF (reports/pdf/NAME.pdf) to its navigation bar, once; pages without the bar are left alone. */
export function withPdfLink(html: string, name: string): string {
  const nav = /<nav class="kdh-site-nav"[^>]*>[\s\S]*?<\/nav>/.exec(html);
  if (!nav || nav[0].includes('class="kdh-site-pdf"')) return html;
  const link = ` · <a class="kdh-site-pdf" href="../pdf/${encodeURIComponent(name)}.pdf">PDF</a>`;
  const updated = nav[0].replace(/<\/nav>$/, `${link}</nav>`);
  return html.slice(0, nav.index) + updated + html.slice(nav.index + nav[0].length);
}

/** Insert the navigation bar right after <body …>. */
export function withNav(html: string, name: string): string {
  const m = /<body[^>]*>/i.exec(html);
  if (!m) return html;
  const at = m.index + m[0].length;
  return html.slice(0, at) + "\n" + siteNav(name) + html.slice(at);
}

function sha256(file: string): string {
  return crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

/** Copy the bundle to `dir`/plotly.min.js unless an identical copy is there already. */
export function ensureSharedPlotly(dir: string, bundleFile = plotlyBundlePath()): string {
  const target = path.join(dir, SHARED_PLOTLY);
  if (fs.existsSync(target) && fs.statSync(target).size === fs.statSync(bundleFile).size && sha256(target) === sha256(bundleFile)) return target;
  writeFileAtomic(target, fs.readFileSync(bundleFile));
  return target;
}

export interface FinishOptions {
  /** Keep plotly.js inline (one file that works alone). */
  selfContained: boolean;
  /** Notebook name (shown in the navigation bar). */
  name: string;
  /** Where the API reference the navigation bar links lives (reports/api); built when missing or stale. */
  apiDir?: string;
}

const apiChecked = new Set<string>();

/** Build the API reference once per process (when stale); a failure is reported, not fatal to the report. */
function ensureApiReference(dir: string): void {
  if (apiChecked.has(dir)) return;
  apiChecked.add(dir);
  try {
    const r = buildApiReference(dir);
    if (r.built) process.stdout.write(`(API reference rebuilt in ${dir}${r.warnings.length ? `, ${r.warnings.length} warning(s): ${r.warnings.join("; ")}` : ""}) `);
  } catch (e) {
    console.error(`\nthe API reference could not be built, so the reports' link to it is dead: ${(e as Error).message}`);
  }
}

/**
 * Turn nbconvert's page `file` (in reports/html/) into a site page in place: plotly.js shared, nav bar
 * added. Returns what was done, for the caller's log.
 */
export function finishReportPage(file: string, opts: FinishOptions, bundleFile = plotlyBundlePath()): ShareResult {
  const html = fs.readFileSync(file, "utf8");
  // The index links the API reference whichever kind of page this is.
  if (opts.apiDir) ensureApiReference(opts.apiDir);
  if (opts.selfContained) return { html, replaced: 0, kept: 0 };
  const shared = sharePlotly(html, fs.readFileSync(bundleFile, "utf8"));
  if (shared.replaced) ensureSharedPlotly(path.dirname(file), bundleFile);
  const styled = shareStyles(shared.html);
  if (styled.css) {
    const cssFile = path.join(path.dirname(file), styled.css.name);
    if (!fs.existsSync(cssFile) || fs.readFileSync(cssFile, "utf8") !== styled.css.text) writeFileAtomic(cssFile, styled.css.text);
  }
  const page = withNav(styled.html, opts.name);
  writeFileAtomic(file, page);
  pruneStylesheets(path.dirname(file));
  return { ...shared, html: page };
}

/** Delete the report-*.css files in `dir` that no page there links any more (left by an older template). */
export function pruneStylesheets(dir: string): string[] {
  const files = fs.readdirSync(dir);
  const used = new Set<string>();
  for (const f of files.filter((n) => n.endsWith(".html"))) {
    for (const m of fs.readFileSync(path.join(dir, f), "utf8").matchAll(/href="(report-[0-9a-f]{12}\.css)"/g)) used.add(m[1]);
  }
  const removed = files.filter((n) => /^report-[0-9a-f]{12}\.css$/.test(n) && !used.has(n));
  for (const n of removed) fs.rmSync(path.join(dir, n), { force: true });
  return removed;
}

/** Total bytes of the files under `dir` (recursively), 0 when absent. */
export function folderBytes(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  let total = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) total += folderBytes(p);
    else if (e.isFile()) total += fs.statSync(p).size;
  }
  return total;
}
