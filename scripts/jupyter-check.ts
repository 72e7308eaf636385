/**
 * The interactive check: what the README's "Working with a notebook interactively" tells a reader to do,
 * done by a headless browser. It starts Debian's classic Jupyter Notebook server on loopback (a free
 * port, a random token) with node_modules/.bin on the PATH so the tslab kernel starts, opens notebook 00
 * in headless Chromium (playwright-core), runs every cell through the page's own menu (Cell → Run All),
 * and then requires that
 *   1. every code cell ran without an error output;
 *   2. the temperature figure is interactive: hovering a bar shows plotly's tooltip;
 *   3. the temperature slider changes the plot: clicking its last step shows another trace and other bars.
 * It saves a screenshot, then shuts the kernel and the server down (also on failure or Ctrl-C).
 *
 * The notebook is copied to a scratch folder inside the repository first (so `@kdh/lib` still resolves
 * from node_modules, and the committed notebook never gets outputs or a checkpoint); its results record
 * goes to a scratch reports folder.
 *
 * usage: tsx scripts/jupyter-check.ts [--notebook 00_tour] [--screenshot FILE] [--timeout SECONDS]
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { CHROMIUM, CHROMIUM_FLAGS } from "./report/pdf";

const ROOT = path.resolve(__dirname, "..");
const JUPYTER = "/usr/bin/jupyter";

export interface JupyterCheckOptions {
  notebook: string;
  screenshot: string;
  /** Seconds allowed for Run All to finish. */
  timeoutSeconds: number;
}

/** A TCP port on 127.0.0.1 that nothing listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === "object" ? resolve(addr.port) : reject(new Error("no port assigned"))));
    });
  });
}

/** The command line of the server, as the README gives it (plus what a test needs: port, token, no browser). */
export function serverArgs(notebookDir: string, port: number, token: string, asRoot: boolean): string[] {
  return [
    "notebook",
    "--no-browser",
    "--ip=127.0.0.1",
    `--port=${port}`,
    "--port-retries=0",
    `--NotebookApp.token=${token}`,
    `--notebook-dir=${notebookDir}`,
    ...(asRoot ? ["--allow-root"] : []),
  ];
}

function log(msg: string): void {
  console.log(`[jupyter-check] ${msg}`);
}

async function waitForServer(base: string, token: string, server: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (server.exitCode !== null) throw new Error(`the notebook server exited with ${server.exitCode} before answering:\n${output().trim().split("\n").slice(-8).join("\n")}`);
    try {
      const r = await fetch(`${base}/api/status?token=${token}`);
      if (r.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`the notebook server did not answer on ${base} within ${timeoutMs / 1000} s:\n${output().trim().split("\n").slice(-8).join("\n")}`);
}

/** Shut every kernel and then the server down through its API; kill what is left. */
async function stopServer(base: string, token: string, server: ChildProcess): Promise<void> {
  const api = (p: string, method: string) => fetch(`${base}${p}?token=${token}`, { method, signal: AbortSignal.timeout(15_000) });
  try {
    const kernels = (await (await api("/api/kernels", "GET")).json()) as Array<{ id: string }>;
    for (const k of kernels) await api(`/api/kernels/${k.id}`, "DELETE");
    await api("/api/shutdown", "POST");
  } catch {
    /* the server may be gone already; fall through to signals */
  }
  const exited = () => server.exitCode !== null || server.signalCode !== null;
  for (const [signal, waitMs] of [[null, 10_000], ["SIGTERM", 5_000], ["SIGKILL", 2_000]] as const) {
    if (exited()) return;
    if (signal && server.pid) {
      try {
        process.kill(-server.pid, signal); // the server's own process group (spawned detached)
      } catch {
        /* already gone */
      }
    }
    const until = Date.now() + waitMs;
    while (!exited() && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  }
}

/** Cells Run All did not reach (after a failure) and the error or stderr text of the last cell that ran. */
async function failures(page: Page): Promise<{ notRun: number; total: number; errors: string[] }> {
  // (No named helper functions inside evaluate: the bundler's name-keeping wrapper does not exist in the page.)
  return page.evaluate(() => {
    const cells = Array.from(document.querySelectorAll(".code_cell"));
    const ran = cells.map((c) => /^In\[\d+\]:$/.test((c.querySelector(".input_prompt")?.textContent || "").replace(/\s+/g, "")));
    const notRun = ran.filter((r) => !r).length;
    const errors = Array.from(document.querySelectorAll(".output_area .output_error")).map((e) => (e.textContent || "").trim().slice(0, 400));
    const lastRan = cells.filter((_c, i) => ran[i]).pop();
    if (notRun && lastRan) errors.push(...Array.from(lastRan.querySelectorAll(".output_stderr")).map((e) => (e.textContent || "").trim().slice(0, 400)));
    return { notRun, total: cells.length, errors };
  });
}

async function runAllThroughTheMenu(page: Page, timeoutMs: number): Promise<number> {
  // The kernel must be up before Run All, or the first cells queue against a kernel still starting.
  await page.waitForSelector("#kernel_indicator_icon.kernel_idle_icon", { timeout: 60_000 });
  await page.click("#celllink");
  await page.click("#run_all_cells > a");
  // Done when the kernel is idle with no cell queued ("In [*]") and at least one cell run. A failing cell
  // stops Run All: the cells after it keep "In [ ]" (tslab reports the error on stderr, so the count of
  // cells run, checked next, is the reliable sign of a failure).
  await page.waitForFunction(
    () => {
      const prompts = Array.from(document.querySelectorAll(".code_cell .input_prompt")).map((e) => (e.textContent || "").replace(/\s+/g, ""));
      const idle = document.querySelector("#kernel_indicator_icon")?.classList.contains("kernel_idle_icon");
      return idle && !prompts.some((p) => p.includes("*")) && prompts.some((p) => /^In\[\d+\]:$/.test(p));
    },
    undefined,
    { timeout: timeoutMs, polling: 500 },
  ).catch(async (e: Error) => {
    // Say where it stood: which prompts, the kernel state, any error text.
    const state = await page
      .evaluate(() => ({
        prompts: Array.from(document.querySelectorAll(".code_cell .input_prompt")).map((el) => (el.textContent || "").replace(/\s+/g, "")).join(" "),
        kernel: document.querySelector("#kernel_indicator_icon")?.getAttribute("title") ?? "?",
        errors: Array.from(document.querySelectorAll(".output_area .output_error")).map((el) => (el.textContent || "").trim().slice(0, 200)),
      }))
      .catch(() => undefined);
    throw new Error(`${e.message.split("\n")[0]}${state ? `; prompts ${state.prompts}; kernel "${state.kernel}"${state.errors.length ? `; errors: ${state.errors.join(" | ")}` : ""}` : ""}`);
  });
  return page.locator(".code_cell").count();
}

/** The figure with a slider (the temperature figure of notebook 00). */
const SLIDER_PLOT = ".kdh-plot:has(.slider-container)";

async function checkHover(page: Page): Promise<string> {
  const plot = page.locator(SLIDER_PLOT).first();
  await plot.waitFor({ state: "visible", timeout: 30_000 });
  await plot.scrollIntoViewIfNeeded();
  // The tallest bar of the trace on show: hover its middle.
  const bar = await plot.evaluate((el) => {
    const paths = Array.from(el.querySelectorAll(".barlayer .point path")) as SVGGraphicsElement[];
    const boxes = paths.map((p) => p.getBoundingClientRect()).filter((b) => b.height > 0);
    boxes.sort((a, b) => b.height - a.height);
    const b = boxes[0];
    return b ? { x: b.left + b.width / 2, y: b.top + b.height / 2 } : undefined;
  });
  if (!bar) throw new Error("the temperature figure has no drawn bars to hover");
  await page.mouse.move(bar.x - 30, bar.y);
  await page.mouse.move(bar.x, bar.y, { steps: 5 });
  const tip = plot.locator(".hoverlayer .hovertext");
  await tip.first().waitFor({ state: "attached", timeout: 10_000 }).catch(() => undefined);
  const text = (await tip.allTextContents()).join(" ").trim();
  if (!text) throw new Error("hovering the tallest bar of the temperature figure showed no tooltip (the figure is not interactive)");
  return text;
}

async function checkSlider(page: Page): Promise<{ before: string; after: string }> {
  const plot = page.locator(SLIDER_PLOT).first();
  const state = () =>
    plot.evaluate((el) => {
      const data = (el as unknown as { data?: Array<{ visible?: unknown }> }).data ?? [];
      const shown = data.map((t, i) => (t.visible === true || t.visible === undefined ? i : -1)).filter((i) => i >= 0);
      const bars = Array.from(el.querySelectorAll(".barlayer .point path")).map((p) => p.getAttribute("d")).join("|");
      const label = el.querySelector(".slider-group > text.slider-label")?.textContent ?? "";
      return { shown: shown.join(","), bars, label };
    });
  const before = await state();
  // Click the last step of the slider's rail (plotly moves the grip to the nearest step on mousedown).
  const rail = await plot.evaluate((el) => {
    const r = el.querySelector(".slider-container .slider-rail-touch-rect")?.getBoundingClientRect();
    return r ? { x: r.right - 4, y: r.top + r.height / 2 } : undefined;
  });
  if (!rail) throw new Error("the temperature figure has no slider rail to click");
  await page.mouse.click(rail.x, rail.y);
  await page.waitForFunction((b) => {
    const el = document.querySelector(".kdh-plot .slider-container")?.closest(".kdh-plot");
    return !!el && (el.querySelector(".slider-group > text.slider-label")?.textContent ?? "") !== b;
  }, before.label, { timeout: 10_000 }).catch(() => undefined);
  await page.waitForTimeout(500); // let plotly finish redrawing the bars
  const after = await state();
  const problems: string[] = [];
  if (after.label === before.label) problems.push(`the slider label stayed ${JSON.stringify(before.label)}`);
  if (after.shown === before.shown) problems.push(`the trace on show stayed ${before.shown}`);
  if (after.bars === before.bars) problems.push("the bars were redrawn identically");
  if (problems.length) throw new Error(`moving the temperature slider did not change the plot: ${problems.join("; ")}`);
  return { before: `${before.label} (trace ${before.shown})`, after: `${after.label} (trace ${after.shown})` };
}

export async function jupyterCheck(opts: JupyterCheckOptions): Promise<{ passed: string[]; failed: string[] }> {
  const source = path.join(ROOT, "notebooks", `${opts.notebook}.ipynb`);
  if (!fs.existsSync(source)) throw new Error(`no notebook ${source}; --notebook takes a name such as 00_tour`);
  if (!fs.existsSync(JUPYTER)) throw new Error(`${JUPYTER} is missing; run \`node scripts/setup.mjs --browser\` (it installs Debian's jupyter-notebook).`);
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing; run \`node scripts/setup.mjs --browser\` (or set KDH_CHROMIUM).`);
  fs.mkdirSync(path.join(ROOT, ".cache"), { recursive: true }); // absent on a fresh clone
  const scratch = fs.mkdtempSync(path.join(ROOT, ".cache", "jupyter-check-"));
  const nbDir = path.join(scratch, "notebooks");
  fs.mkdirSync(nbDir, { recursive: true });
  fs.copyFileSync(source, path.join(nbDir, path.basename(source)));
  const port = await freePort();
  const token = crypto.randomBytes(16).toString("hex");
  const base = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${path.join(ROOT, "node_modules", ".bin")}${path.delimiter}${process.env.PATH ?? ""}`,
    KDH_REPORTS_DIR: path.join(scratch, "reports"),
    JUPYTER_RUNTIME_DIR: path.join(scratch, "runtime"),
    PYDEVD_DISABLE_FILE_VALIDATION: "1",
  };
  let output = "";
  const server = spawn(JUPYTER, serverArgs(nbDir, port, token, process.getuid?.() === 0), { cwd: ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  server.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  server.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  let browser: Browser | undefined;
  const cleanup = async () => {
    await browser?.close().catch(() => undefined);
    await stopServer(base, token, server);
    fs.rmSync(scratch, { recursive: true, force: true });
  };
  const onSignal = () => {
    void cleanup().then(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const passed: string[] = [];
  const failed: string[] = [];
  const step = async <T>(name: string, f: () => Promise<T>, describe: (v: T) => string): Promise<T | undefined> => {
    try {
      const v = await f();
      passed.push(name);
      log(`PASS ${name}: ${describe(v)}`);
      return v;
    } catch (e) {
      failed.push(name);
      log(`FAIL ${name}: ${(e as Error).message.split("\n").slice(0, 6).join("\n    ")}`);
      return undefined;
    }
  };
  try {
    const started = await step("server starts", () => waitForServer(base, token, server, () => output, 60_000), () => `jupyter notebook on ${base}`);
    if (!started && !passed.includes("server starts")) return { passed, failed };
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const pageErrors: string[] = [];
    page.on("pageerror", (e) => pageErrors.push(e.message));
    // Only the local server may be reached (Debian's notebook serves its own MathJax and scripts).
    await page.route("**/*", (route) => (route.request().url().startsWith(base) || /^(data|blob|about):/.test(route.request().url()) ? route.continue() : route.abort()));
    await page.goto(`${base}/notebooks/${opts.notebook}.ipynb?token=${token}`, { waitUntil: "load", timeout: 60_000 });
    const ran = await step("Cell → Run All", () => runAllThroughTheMenu(page, opts.timeoutSeconds * 1000), (n) => `finished (${n} code cells in the notebook)`);
    if (ran !== undefined) {
      const ok = await step("every cell ran without an error", async () => {
        const f = await failures(page);
        if (f.notRun || f.errors.length) throw new Error(`${f.total - f.notRun} of ${f.total} code cells ran${f.errors.length ? `; the last one reported:\n${f.errors.join("\n")}` : ""}`);
        return page.locator(".kdh-plot[data-kdh-rendered='1']").count();
      }, (n) => `${n} figure(s) drawn`);
      if (ok !== undefined) {
        await step("hover shows a tooltip", () => checkHover(page), (t) => JSON.stringify(t.slice(0, 80)));
        await step("the temperature slider changes the plot", () => checkSlider(page), (s) => `${s.before} → ${s.after}`);
      } else {
        failed.push("figure checks (not attempted: the notebook did not run to the end)");
      }
    }
    fs.mkdirSync(path.dirname(opts.screenshot), { recursive: true });
    await page.locator(SLIDER_PLOT).first().scrollIntoViewIfNeeded().catch(() => undefined);
    await page.screenshot({ path: opts.screenshot });
    log(`screenshot ${opts.screenshot}`);
    if (pageErrors.length) log(`page errors (not failures by themselves): ${pageErrors.slice(0, 3).join(" | ")}`);
  } finally {
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
    await cleanup();
    log(server.exitCode !== null || server.signalCode !== null ? "server and kernel shut down" : "WARNING: the notebook server did not exit");
  }
  return { passed, failed };
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const opts: JupyterCheckOptions = { notebook: "00_tour", screenshot: path.join(process.env.KDH_REPORTS_DIR || path.join(ROOT, "reports"), "screenshots", "jupyter-00_tour.png"), timeoutSeconds: 300 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].includes("=") ? argv[i].split(/=(.*)/s, 2) : [argv[i], undefined];
    const value = () => inline ?? argv[++i];
    if (flag === "--notebook") opts.notebook = String(value()).replace(/\.ipynb$/, "");
    else if (flag === "--screenshot") opts.screenshot = path.resolve(String(value()));
    else if (flag === "--timeout") {
      const t = Number(value());
      if (!(t > 0)) {
        console.error(`--timeout expects a positive number of seconds, got ${JSON.stringify(argv[i])}`);
        return 2;
      }
      opts.timeoutSeconds = t;
    } else {
      console.error(`unknown argument ${JSON.stringify(argv[i])}; usage: tsx scripts/jupyter-check.ts [--notebook 00_tour] [--screenshot FILE] [--timeout SECONDS]`);
      return 2;
    }
  }
  const r = await jupyterCheck(opts);
  console.log(`jupyter check: ${r.passed.length} passed, ${r.failed.length} failed`);
  return r.failed.length ? 1 : 0;
}

if (require.main === module) {
  main().then(
    (c) => process.exit(c),
    (e) => {
      console.error(`jupyter check failed: ${(e as Error).message}`);
      process.exit(1);
    },
  );
}
