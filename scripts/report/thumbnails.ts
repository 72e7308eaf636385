/**
 * Thumbnails for the front page: each report's key figure (the catalog entry's `keyFigure`-th figure),
 * rendered by headless Chromium from the HTML report itself and saved as reports/thumbs/<notebook>.png.
 * A thumbnail is redrawn only when its report is newer; a report without figures simply has none.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { chromium } from "playwright-core";
import { CATALOG } from "../../lib/src/catalog/catalog";

const CHROMIUM = process.env.KDH_CHROMIUM || "/usr/bin/chromium";
const FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** Relative paths (from reports/) of the thumbnails that exist, by notebook. */
export function existingThumbnails(reportsDir: string, notebooks: string[]): Record<string, string> {
  return Object.fromEntries(notebooks.filter((n) => fs.existsSync(path.join(reportsDir, "thumbs", `${n}.png`))).map((n) => [n, `thumbs/${n}.png`]));
}

/** Draw missing or outdated thumbnails; failures are reported in one line each and do not stop the run. */
export async function writeThumbnails(reportsDir: string, notebooks: string[], log: (line: string) => void = console.log): Promise<void> {
  const todo = notebooks.filter((n) => {
    const html = path.join(reportsDir, "html", `${n}.html`);
    const png = path.join(reportsDir, "thumbs", `${n}.png`);
    return fs.existsSync(html) && (!fs.existsSync(png) || fs.statSync(png).mtimeMs < fs.statSync(html).mtimeMs);
  });
  if (!todo.length || !fs.existsSync(CHROMIUM)) return;
  fs.mkdirSync(path.join(reportsDir, "thumbs"), { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  try {
    const page = await browser.newPage({ viewport: { width: 900, height: 700 } });
    for (const n of todo) {
      try {
        await page.goto("file://" + path.join(reportsDir, "html", `${n}.html`), { waitUntil: "load" });
        const figures = page.locator(".kdh-plot");
        const count = await figures.count();
        if (!count) continue;
        const k = Math.min(CATALOG.find((e) => e.notebook === n)?.keyFigure ?? 0, count - 1);
        const fig = figures.nth(k);
        await fig.waitFor({ state: "visible", timeout: 15000 });
        await page.waitForTimeout(300);
        await fig.screenshot({ path: path.join(reportsDir, "thumbs", `${n}.png`) });
      } catch (e) {
        log(`thumbnail of ${n} not drawn: ${(e as Error).message.split("\n")[0]}`);
      }
    }
  } finally {
    await browser.close();
  }
}
