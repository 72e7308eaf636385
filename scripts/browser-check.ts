/**
 * The browser check: open every reports/html/*.html in headless Debian chromium (through npm
 * playwright-core, no downloaded browser), wait for the figures, and require that every plot drew SVG
 * content with a drawn title (and axis titles where it has axes), that no page logged a console error or threw, and that nothing was fetched from the network
 * (reports must be self-contained). Saves a full-page screenshot per report in reports/screenshots/.
 *
 * usage: tsx scripts/browser-check.ts [--only NAME[,NAME]]   (exit status 1 when any report fails)
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { chromium, type Browser } from "playwright-core";
import { folderBytes } from "./report/site";
import { inkPixels, MIN_INK_PIXELS, parsePgm, PDF_MARGIN_MM, pdfPageCount } from "./report/pdf";

const ROOT = path.resolve(__dirname, "..");
const REPORTS = process.env.KDH_REPORTS_DIR || path.join(ROOT, "reports");
const CHROMIUM = process.env.KDH_CHROMIUM || "/usr/bin/chromium";
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

export interface PageCheck {
  file: string;
  ok: boolean;
  plots: number;
  drawn: number;
  problems: string[];
  screenshot?: string;
}

/** What the browser found in one drawn figure. Titles are the texts plotly drew, not the figure's JSON. */
export interface PlotSeen {
  id: string;
  marks: number;
  rendered: boolean;
  /** Drawn figure title (.gtitle), "" when none. */
  title?: string;
  /** Tick labels drawn on x and y axes (0 when the figure has no visible axes, e.g. image grids). */
  xTicks?: number;
  yTicks?: number;
  /** Drawn axis titles (.xtitle, .x2title, …; .ytitle, …), non-empty ones only. */
  xTitles?: string[];
  yTitles?: string[];
}

/** What a report page must satisfy; split out so the rule is testable without a browser. */
export function judge(file: string, plots: PlotSeen[], consoleErrors: string[], external: string[]): PageCheck {
  const problems: string[] = [];
  for (const p of plots) {
    if (!p.rendered || p.marks === 0) {
      problems.push(`figure ${p.id} did not draw (${p.rendered ? "no SVG marks" : "Plotly.newPlot never finished"})`);
      continue;
    }
    const name = p.title ? `figure ${p.id} ("${p.title.slice(0, 60)}")` : `figure ${p.id}`;
    if (!p.title?.trim()) problems.push(`${name} has no drawn title (give layout.title; plotly.js 3 draws only { text: "..." })`);
    if ((p.xTicks ?? 0) > 0 && !p.xTitles?.length) problems.push(`${name} has an x axis without a drawn title (layout.xaxis.title)`);
    if ((p.yTicks ?? 0) > 0 && !p.yTitles?.length) problems.push(`${name} has a y axis without a drawn title (layout.yaxis.title)`);
  }
  for (const e of consoleErrors) problems.push(`console error: ${e.slice(0, 300)}`);
  for (const u of external) problems.push(`network request (reports must be self-contained): ${u.slice(0, 200)}`);
  const drawn = plots.filter((p) => p.rendered && p.marks > 0).length;
  return { file, ok: problems.length === 0, plots: plots.length, drawn, problems };
}

async function checkPage(browser: Browser, file: string, shotsDir: string): Promise<PageCheck> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const consoleErrors: string[] = [];
  const external: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") consoleErrors.push(m.text());
  });
  page.on("pageerror", (e) => consoleErrors.push(`uncaught: ${e.message}`));
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith("file:") || url.startsWith("data:") || url.startsWith("blob:") || url.startsWith("about:")) return route.continue();
    external.push(url);
    return route.abort();
  });
  try {
    await page.goto("file://" + file, { waitUntil: "load", timeout: 60_000 });
    const count = await page.locator(".kdh-plot").count();
    if (count > 0) {
      // Every figure marks itself data-kdh-rendered once Plotly.newPlot resolves.
      await page
        .waitForFunction(() => Array.from(document.querySelectorAll(".kdh-plot")).every((el) => el.getAttribute("data-kdh-rendered") === "1"), undefined, { timeout: 30_000 })
        .catch(() => undefined);
    }
    const plots = await page.$$eval(".kdh-plot", (els) =>
      els.map((el) => ({
        id: el.id,
        rendered: el.getAttribute("data-kdh-rendered") === "1",
        // drawn marks: line/bar/area paths and heatmap images inside plotly's SVG layers
        marks: el.querySelectorAll(".main-svg path.js-line, .main-svg .point path, .main-svg path.point, .main-svg .bars path, .main-svg image, .main-svg .trace path, .main-svg .scatterlayer path").length,
        title: (el.querySelector(".main-svg .gtitle")?.textContent ?? "").trim(),
        xTicks: el.querySelectorAll(".main-svg .xtick text").length,
        yTicks: el.querySelectorAll(".main-svg .ytick text").length,
        // plotly names axis titles xtitle, x2title, … and ytitle, y2title, …
        xTitles: Array.from(el.querySelectorAll(".main-svg text"))
          .filter((t) => /^x\d*title$/.test(t.getAttribute("class") ?? ""))
          .map((t) => (t.textContent ?? "").trim())
          .filter(Boolean),
        yTitles: Array.from(el.querySelectorAll(".main-svg text"))
          .filter((t) => /^y\d*title$/.test(t.getAttribute("class") ?? ""))
          .map((t) => (t.textContent ?? "").trim())
          .filter(Boolean),
      })),
    );
    const result = judge(file, plots, consoleErrors, external);
    const shot = path.join(shotsDir, path.basename(file).replace(/\.html$/, ".png"));
    await page.screenshot({ path: shot, fullPage: true });
    result.screenshot = shot;
    return result;
  } catch (e) {
    return { file, ok: false, plots: 0, drawn: 0, problems: [`could not load: ${(e as Error).message.split("\n")[0]}`] };
  } finally {
    await page.close();
  }
}

/**
 * Site rules for one page (no browser needed): every local file the page refers to (scripts,
 * stylesheets, links, images) exists, and a page that refers to no shared plotly.js carries at most
 * one inline copy. Remote references are caught by the network rule of checkPage.
 */
export function siteProblems(file: string, html = fs.readFileSync(file, "utf8")): string[] {
  const problems: string[] = [];
  const refs = new Set<string>();
  // Script bodies are code, not markup (plotly's bundle holds "<a href=" in strings): keep only the tags.
  const markup = html.replace(/(<script\b[^>]*>)[\s\S]*?<\/script>/gi, "$1</script>");
  for (const m of markup.matchAll(/<(?:script|img|link|a)\b[^>]*?\s(?:src|href)="([^"]+)"/gi)) refs.add(m[1]);
  for (const ref of refs) {
    if (/^(?:[a-z][a-z0-9+.-]*:|#|\/\/)/i.test(ref)) continue; // data:, https:, mailto:, in-page anchors
    const target = path.resolve(path.dirname(file), decodeURIComponent(ref.split("#")[0].split("?")[0]));
    if (!fs.existsSync(target)) problems.push(`refers to ${ref}, which does not exist (${path.relative(ROOT, target)})`);
  }
  const inlineBundles = html.split("window.define = undefined;</script>").length - 1 - (html.match(/src="[^"]*plotly[^"]*\.js"/g)?.length ?? 0);
  if (inlineBundles > 1) problems.push(`inlines plotly.js ${inlineBundles} times`);
  return problems;
}

/** Bytes of the published site: the index, the report pages and their shared files, the API reference, the PDFs. */
export function siteBytes(reports = REPORTS): { total: number; parts: Record<string, number> } {
  const parts: Record<string, number> = {
    "index.html": fs.existsSync(path.join(reports, "index.html")) ? fs.statSync(path.join(reports, "index.html")).size : 0,
    "html/": folderBytes(path.join(reports, "html")),
    "api/": folderBytes(path.join(reports, "api")),
    "pdf/": folderBytes(path.join(reports, "pdf")),
    "thumbs/": folderBytes(path.join(reports, "thumbs")),
  };
  return { total: Object.values(parts).reduce((a, b) => a + b, 0), parts };
}

export interface PdfCheck {
  file: string;
  ok: boolean;
  pages: number;
  problems: string[];
}

/**
 * Each reports/pdf/*.pdf (written by `reproduce --pdf`): rendered page by page to grey-scale images with
 * poppler's pdftoppm at 30 dpi; a page with almost no ink between the margins (the footer is left out,
 * it is on every page) is blank, and fails the check.
 */
export function checkPdfs(only: string[] = [], pdfDir = path.join(REPORTS, "pdf")): PdfCheck[] {
  const files = fs.existsSync(pdfDir) ? fs.readdirSync(pdfDir).filter((f) => f.endsWith(".pdf") && (!only.length || only.some((o) => f.startsWith(o)))).sort() : [];
  const results: PdfCheck[] = [];
  const dpi = 30;
  for (const f of files) {
    const file = path.join(pdfDir, f);
    const problems: string[] = [];
    const pages = pdfPageCount(file) ?? 0;
    if (!pages) problems.push("pdfinfo could not read a page count (is poppler-utils installed? node scripts/setup.mjs --browser)");
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "kdh-pdf-"));
    try {
      const r = spawnSync("pdftoppm", ["-r", String(dpi), "-gray", file, path.join(tmp, "p")], { encoding: "utf8" });
      if (r.status !== 0) problems.push(`pdftoppm failed: ${(r.stderr || r.error?.message || "").trim().split("\n")[0]}`);
      const images = fs.readdirSync(tmp).filter((n) => n.endsWith(".pgm")).sort((a, b) => Number(/(\d+)\.pgm$/.exec(a)![1]) - Number(/(\d+)\.pgm$/.exec(b)![1]));
      if (r.status === 0 && images.length !== pages) problems.push(`pdftoppm rendered ${images.length} page(s), pdfinfo counts ${pages}`);
      const rows = (mm: number) => Math.ceil((mm / 25.4) * dpi);
      images.forEach((img, i) => {
        const ink = inkPixels(parsePgm(fs.readFileSync(path.join(tmp, img))), rows(PDF_MARGIN_MM.top), rows(PDF_MARGIN_MM.bottom));
        if (ink < MIN_INK_PIXELS) problems.push(`page ${i + 1} is blank (${ink} dark pixels at ${dpi} dpi)`);
      });
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
    results.push({ file, ok: problems.length === 0, pages, problems });
  }
  return results;
}

export async function browserCheck(only: string[] = []): Promise<PageCheck[]> {
  const htmlDir = path.join(REPORTS, "html");
  const files = fs.existsSync(htmlDir)
    ? fs.readdirSync(htmlDir).filter((f) => f.endsWith(".html") && !f.startsWith(".") && (!only.length || only.some((o) => f.startsWith(o)))).sort().map((f) => path.join(htmlDir, f))
    : [];
  if (!files.length) throw new Error(`no reports in ${htmlDir}${only.length ? ` matching ${only.join(",")}` : ""}; run \`npm run reproduce\` first.`);
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing; install Debian's chromium (node scripts/setup.mjs --browser) or set KDH_CHROMIUM.`);
  const shotsDir = path.join(REPORTS, "screenshots");
  fs.mkdirSync(shotsDir, { recursive: true });
  // playwright gives every launch a fresh temporary profile (user-data-dir) and removes it on close.
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  const results: PageCheck[] = [];
  try {
    for (const f of files) {
      const r = await checkPage(browser, f, shotsDir);
      const site = siteProblems(f);
      if (site.length) Object.assign(r, { ok: false, problems: [...r.problems, ...site] });
      results.push(r);
      console.log(`${r.ok ? "PASS" : "FAIL"} ${path.basename(f)}: ${r.drawn}/${r.plots} figures drawn${r.screenshot ? `, screenshot ${path.relative(ROOT, r.screenshot)}` : ""}`);
      for (const p of r.problems) console.log(`    ${p}`);
    }
  } finally {
    await browser.close();
  }
  // The index page's links (reports, executed notebooks, API reference) must resolve too.
  const index = path.join(REPORTS, "index.html");
  if (fs.existsSync(index) && !only.length) {
    const problems = siteProblems(index);
    results.push({ file: index, ok: problems.length === 0, plots: 0, drawn: 0, problems });
    console.log(`${problems.length ? "FAIL" : "PASS"} index.html: every local link resolves`);
    for (const p of problems) console.log(`    ${p}`);
  }
  const size = siteBytes();
  const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;
  for (const p of checkPdfs(only)) {
    results.push({ file: p.file, ok: p.ok, plots: 0, drawn: 0, problems: p.problems });
    console.log(`${p.ok ? "PASS" : "FAIL"} ${path.relative(ROOT, p.file)}: ${p.pages} page(s)${p.ok ? ", none blank" : ""}`);
    for (const q of p.problems) console.log(`    ${q}`);
  }
  console.log(`site: ${mb(size.total)} (${Object.entries(size.parts).map(([k, v]) => `${k} ${mb(v)}`).join(", ")})`);
  return results;
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const only: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--only" && argv[i + 1]) only.push(...argv[++i].split(","));
    else if (a.startsWith("--only=")) only.push(...a.slice(7).split(","));
    else {
      console.error(`unknown argument ${JSON.stringify(a)}; usage: tsx scripts/browser-check.ts [--only NAME[,NAME]]`);
      return 2;
    }
  }
  const results = await browserCheck(only);
  const failed = results.filter((r) => !r.ok);
  console.log(`browser check: ${results.length - failed.length} passed, ${failed.length} failed`);
  return failed.length ? 1 : 0;
}

if (require.main === module) {
  main().then(
    (c) => process.exit(c),
    (e) => {
      console.error(`browser check failed: ${(e as Error).message}`);
      process.exit(1);
    },
  );
}
