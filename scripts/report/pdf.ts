/**
 * PDF reports (`npm run reproduce -- --pdf`): each HTML report printed by the same headless Chromium the
 * browser check uses (Debian's chromium through playwright-core). Before printing, every plotly figure
 * is swapped for a PNG of itself (Plotly.toImage) so the PDF shows exactly what the page drew, at print
 * width, without the mode bar or a relayout mid-print. The print stylesheet of the report template puts
 * each numbered section on a new page, so page one holds the title, the summary and the claims.
 *
 * Also here: the pure helpers the browser check uses to call a rendered PDF page blank.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { chromium, type Browser } from "playwright-core";
import { writeFileAtomic } from "../../lib/src/core/store";
import { withPdfLink } from "./site";

export const CHROMIUM = process.env.KDH_CHROMIUM || "/usr/bin/chromium";
export const CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** Page margins in mm; the footer (notebook name, page x of n) lives in the bottom one. */
export const PDF_MARGIN_MM = { top: 14, bottom: 16, left: 12, right: 12 } as const;

export interface PdfOutcome {
  name: string;
  file?: string;
  pages?: number;
  /** Figures printed as images. */
  figures?: number;
  error?: string;
}

/** Page count from poppler's `pdfinfo` (undefined when it is not installed or fails). */
export function pdfPageCount(file: string): number | undefined {
  const r = spawnSync("pdfinfo", [file], { encoding: "utf8" });
  if (r.status !== 0) return undefined;
  const m = /^Pages:\s+(\d+)/m.exec(r.stdout);
  return m ? Number(m[1]) : undefined;
}

async function printOne(browser: Browser, htmlFile: string, pdfFile: string): Promise<{ figures: number }> {
  // Width of the printable area of A4 at 96 CSS px per inch, so figures are drawn at the size they print.
  const printWidthPx = Math.round(((210 - PDF_MARGIN_MM.left - PDF_MARGIN_MM.right) / 25.4) * 96);
  const page = await browser.newPage({ viewport: { width: printWidthPx, height: 1100 } });
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  // Reports are offline documents: nothing but local files may load.
  await page.route("**/*", (route) => (/^(file|data|blob|about):/.test(route.request().url()) ? route.continue() : route.abort()));
  try {
    await page.goto("file://" + htmlFile, { waitUntil: "load", timeout: 60_000 });
    await page.waitForFunction(() => Array.from(document.querySelectorAll(".kdh-plot")).every((el) => el.getAttribute("data-kdh-rendered") === "1"), undefined, { timeout: 60_000 }).catch(() => undefined);
    const { figures, notDrawn } = await page.evaluate(async () => {
      const w = window as unknown as { Plotly?: { toImage(el: Element, o: object): Promise<string>; purge(el: Element): void } };
      let figures = 0;
      let notDrawn = 0;
      for (const el of Array.from(document.querySelectorAll<HTMLElement>(".kdh-plot"))) {
        if (el.getAttribute("data-kdh-rendered") !== "1" || !w.Plotly) {
          notDrawn++;
          continue;
        }
        // Drawn at least 900 px wide (or at the figure's own width), then scaled to the page: at the
        // printable width itself (~700 px) long titles and legends would crowd the plot out.
        const layout = (el as unknown as { layout?: { width?: number } }).layout;
        const width = typeof layout?.width === "number" ? layout.width : Math.max(el.clientWidth, 900);
        const height = el.clientHeight;
        const url = await w.Plotly.toImage(el, { format: "png", width, height, scale: 2 });
        const img = document.createElement("img");
        img.className = "kdh-print-figure";
        img.alt = el.querySelector(".gtitle")?.textContent || "figure";
        // A figure with its own width prints no wider than that; the others fill the page width.
        if (typeof layout?.width === "number") img.style.maxWidth = `${layout.width}px`;
        img.src = url;
        await img.decode();
        w.Plotly.purge(el);
        el.replaceWith(img);
        figures++;
      }
      return { figures, notDrawn };
    });
    if (notDrawn) throw new Error(`${notDrawn} figure(s) did not draw, so they cannot be printed${errors.length ? ` (page error: ${errors[0]})` : ""}`);
    const tmp = path.join(path.dirname(pdfFile), `.${path.basename(pdfFile)}.${process.pid}.tmp`);
    const mm = (v: number) => `${v}mm`;
    await page.pdf({
      path: tmp,
      format: "A4",
      printBackground: true,
      margin: { top: mm(PDF_MARGIN_MM.top), bottom: mm(PDF_MARGIN_MM.bottom), left: mm(PDF_MARGIN_MM.left), right: mm(PDF_MARGIN_MM.right) },
      displayHeaderFooter: true,
      headerTemplate: "<span></span>",
      footerTemplate: `<div style="font: 8px sans-serif; color: #666; width: 100%; text-align: center;"><span class="title"></span> · page <span class="pageNumber"></span> of <span class="totalPages"></span></div>`,
    });
    fs.renameSync(tmp, pdfFile);
    return { figures };
  } finally {
    await page.close();
  }
}

/** Print reports/html/NAME.html to `pdfDir`/NAME.pdf for each name; one outcome per name. */
export async function printReportPdfs(htmlDir: string, names: string[], pdfDir: string): Promise<PdfOutcome[]> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing; --pdf prints with Debian's chromium: run \`node scripts/setup.mjs --browser\` (or set KDH_CHROMIUM).`);
  fs.mkdirSync(pdfDir, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
  const outcomes: PdfOutcome[] = [];
  try {
    for (const name of names) {
      const html = path.join(htmlDir, `${name}.html`);
      const file = path.join(pdfDir, `${name}.pdf`);
      if (!fs.existsSync(html)) {
        outcomes.push({ name, error: `no HTML report ${html} to print` });
        continue;
      }
      try {
        const { figures } = await printOne(browser, html, file);
        outcomes.push({ name, file, figures, pages: pdfPageCount(file) });
        // The site page links its PDF from now on.
        const page = fs.readFileSync(html, "utf8");
        const linked = withPdfLink(page, name);
        if (linked !== page) writeFileAtomic(html, linked);
      } catch (e) {
        outcomes.push({ name, error: (e as Error).message.split("\n")[0] });
      }
    }
  } finally {
    await browser.close();
  }
  return outcomes;
}

/** The --pdf step of reproduce: print, log one line per report, return how many failed. */
export async function pdfStep(reportsDir: string, names: string[]): Promise<number> {
  let outcomes: PdfOutcome[];
  try {
    outcomes = await printReportPdfs(path.join(reportsDir, "html"), names, path.join(reportsDir, "pdf"));
  } catch (e) {
    console.error(`PDF: ${(e as Error).message}`);
    return names.length || 1;
  }
  for (const o of outcomes) {
    console.log(o.error ? `PDF ${o.name}: FAILED: ${o.error}` : `PDF ${path.relative(process.cwd(), o.file!)}: ${o.pages ?? "?"} pages, ${o.figures} figure(s) as images`);
  }
  return outcomes.filter((o) => o.error).length;
}

/** A binary PGM (P5, 8-bit) as width, height and pixels; throws on anything else. */
export function parsePgm(buf: Buffer): { width: number; height: number; pixels: Uint8Array } {
  // Header: "P5", width, height, maxval, separated by whitespace (comments start with #), then one whitespace byte.
  let pos = 0;
  const tokens: string[] = [];
  while (tokens.length < 4) {
    while (pos < buf.length && /\s/.test(String.fromCharCode(buf[pos]))) pos++;
    if (buf[pos] === 0x23) {
      while (pos < buf.length && buf[pos] !== 0x0a) pos++;
      continue;
    }
    let tok = "";
    while (pos < buf.length && !/\s/.test(String.fromCharCode(buf[pos]))) tok += String.fromCharCode(buf[pos++]);
    if (!tok) throw new Error("PGM header ends early");
    tokens.push(tok);
  }
  pos++;
  const [magic, w, h, max] = tokens;
  const width = Number(w);
  const height = Number(h);
  if (magic !== "P5" || Number(max) !== 255 || !(width > 0) || !(height > 0)) throw new Error(`expected an 8-bit binary PGM (P5 ... 255), got header ${tokens.join(" ")}`);
  if (buf.length - pos < width * height) throw new Error(`PGM has ${buf.length - pos} pixel bytes, expected ${width}x${height}`);
  return { width, height, pixels: buf.subarray(pos, pos + width * height) };
}

/**
 * Dark pixels (value below 160 of 255) on a rendered page, leaving out the top and bottom bands where
 * the margins and the footer are (the footer is on every page, so counting it would make no page blank).
 */
export function inkPixels(img: { width: number; height: number; pixels: Uint8Array }, skipTopRows: number, skipBottomRows: number): number {
  let ink = 0;
  for (let y = skipTopRows; y < img.height - skipBottomRows; y++) {
    const row = y * img.width;
    for (let x = 0; x < img.width; x++) if (img.pixels[row + x] < 160) ink++;
  }
  return ink;
}

/** A page with fewer dark pixels than this (at 30 dpi, about one short word) counts as blank. */
export const MIN_INK_PIXELS = 25;

/** `tsx scripts/report/pdf.ts [--only NAME[,NAME]]`: print the HTML reports already in reports/html/ (no notebook is run). */
if (require.main === module) {
  const reports = process.env.KDH_REPORTS_DIR || path.join(__dirname, "..", "..", "reports");
  const argv = process.argv.slice(2);
  const only: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--only" && argv[i + 1]) only.push(...argv[++i].split(","));
    else if (argv[i].startsWith("--only=")) only.push(...argv[i].slice(7).split(","));
    else {
      console.error(`unknown argument ${JSON.stringify(argv[i])}; usage: tsx scripts/report/pdf.ts [--only NAME[,NAME]]`);
      process.exit(2);
    }
  }
  const htmlDir = path.join(reports, "html");
  const names = (fs.existsSync(htmlDir) ? fs.readdirSync(htmlDir) : [])
    .filter((f) => /^\d\d_.+\.html$/.test(f))
    .map((f) => f.replace(/\.html$/, ""))
    .filter((n) => !only.length || only.some((o) => n.startsWith(o)))
    .sort();
  if (!names.length) {
    console.error(`no reports in ${htmlDir}${only.length ? ` matching ${only.join(",")}` : ""}; run \`npm run reproduce\` first.`);
    process.exit(2);
  }
  pdfStep(reports, names).then(
    (failed) => process.exit(failed ? 1 : 0),
    (e) => {
      console.error((e as Error).message);
      process.exit(1);
    },
  );
}
