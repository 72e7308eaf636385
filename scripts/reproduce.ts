/**
 * `npm run reproduce`: execute every notebooks/NN_*.ipynb headless, in order, with Debian's Jupyter and
 * the tslab kernel; write the executed copies to reports/notebooks/, one self-contained HTML report per
 * notebook to reports/html/ (plotly.js inlined by the figures themselves, no require.js/MathJax from
 * disk or network), and reports/index.html; print a summary table. A failing or timed-out cell is
 * reported with the notebook, the cell number and the head of its source; the other notebooks still
 * run, and the exit code is non-zero naming the failures.
 *
 * Flags: see scripts/report/args.ts (`--help`).
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { ensureOutputDir } from "../lib/src/core/paths";
import { writeFileAtomic, writeJsonAtomic } from "../lib/src/core/store";
import { notebookEnv, parseReproduceArgs, selectNotebooks, USAGE, type ReproduceArgs } from "./report/args";
import { describeCellFailure, describeFailure, type CellFailure, type DriverFailure, type NbCell } from "./report/failure";
import { notebookWithRenderedMath } from "./report/math";
import { formatHeadline, indexHtml, readHeadline, readStatus, type NotebookStatus } from "./report/index-page";
import { NotebookProgress, parseProgressLine, type ProgressInfo } from "./report/progress";
import { addClaimsBox } from "./report/claims-box";
import { existingThumbnails, writeThumbnails } from "./report/thumbnails";
import { finishReportPage } from "./report/site";
import { pdfStep } from "./report/pdf";

const ROOT = path.resolve(__dirname, "..");
// KDH_NOTEBOOKS_DIR: another folder of NN_*.ipynb notebooks (the runner's own tests use tiny ones).
const NOTEBOOKS = process.env.KDH_NOTEBOOKS_DIR || path.join(ROOT, "notebooks");
const REPORTS = process.env.KDH_REPORTS_DIR || path.join(ROOT, "reports");
const JUPYTER = "/usr/bin/jupyter";
const TEMPLATES = path.join(__dirname, "report", "templates");
export const KERNEL_SPECS = path.join(__dirname, "kernel", "jupyter");

export interface RunOutcome {
  name: string;
  ok: boolean;
  interrupted?: boolean;
  seconds: number;
  failure?: CellFailure;
  headline?: Record<string, unknown>;
}

/** Notebook names (without .ipynb) in notebooks/, sorted. */
export function listNotebooks(dir = NOTEBOOKS): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => /^[0-9]{2}_.+\.ipynb$/.test(f) && !f.includes(".nbconvert"))
    .map((f) => f.replace(/\.ipynb$/, ""))
    .sort();
}

/**
 * Ctrl-C (SIGINT) or SIGTERM: the running child is told to stop (the notebook driver kills its kernel
 * and exits at once), the run records the notebook as interrupted, removes its temporary files and
 * exits with 128 + the signal number. A second signal kills the child outright.
 */
let interrupted: NodeJS.Signals | undefined;
let current: ReturnType<typeof spawn> | undefined;

function onSignal(sig: NodeJS.Signals): void {
  if (interrupted) {
    current?.kill("SIGKILL");
    return;
  }
  interrupted = sig;
  current?.kill(sig);
}

function run(
  cmd: string,
  args: string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv; log: string; onProgress?: (p: ProgressInfo) => void },
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ["ignore", "pipe", "pipe"] });
    current = child;
    const out = fs.createWriteStream(opts.log);
    let stderr = "";
    let stdout = "";
    let partial = "";
    child.stdout!.on("data", (d: Buffer) => {
      const text = d.toString();
      stdout += text;
      out.write(d);
      if (!opts.onProgress) return;
      const lines = (partial + text).split("\n");
      partial = lines.pop() ?? "";
      for (const l of lines) {
        const p = parseProgressLine(l);
        if (p) opts.onProgress(p);
      }
    });
    child.stderr!.on("data", (d: Buffer) => {
      stderr += d.toString();
      out.write(d);
    });
    child.on("error", (e) => {
      stderr += `\n${e.message}`;
    });
    child.on("close", (code) => {
      if (current === child) current = undefined;
      out.end();
      resolve({ code: code ?? 1, stdout, stderr });
    });
  });
}

function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  // The kernel spec runs `tslab`, found on PATH.
  env.PATH = `${path.join(ROOT, "node_modules", ".bin")}${path.delimiter}${process.env.PATH ?? ""}`;
  // The suite's tslab kernel spec comes first (scripts/kernel/launch.cjs: tslab with ZeroMQ sends that
  // are never refused or held back during long cells), whatever kernel is registered machine-wide.
  env.JUPYTER_PATH = [KERNEL_SPECS, process.env.JUPYTER_PATH].filter(Boolean).join(path.delimiter);
  // Quiets debugpy's "frozen modules" warnings from Debian's Python in every log.
  env.PYDEVD_DISABLE_FILE_VALIDATION = "1";
  for (const k of ["KDH_PARAMS", "KDH_PARAMS_LENIENT", "KDH_PARAMS_SOURCE"]) if (!(k in extra)) delete env[k];
  return env;
}

const DRIVER = path.join(__dirname, "report", "execute_notebook.py");
const PYTHON = "/usr/bin/python3";

async function runNotebook(name: string, args: ReproduceArgs, count: number, progress: NotebookProgress): Promise<{ outcome: RunOutcome; status: NotebookStatus }> {
  const dirs = { nb: path.join(REPORTS, "notebooks"), html: path.join(REPORTS, "html"), logs: path.join(REPORTS, "logs") };
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
  const source = path.join(NOTEBOOKS, `${name}.ipynb`);
  const tmpBase = `.tmp-${name}-${process.pid}`;
  const tmpNb = path.join(dirs.nb, `${tmpBase}.ipynb`);
  const finalNb = path.join(dirs.nb, `${name}.ipynb`);
  const env = childEnv(notebookEnv(args, count));
  const t0 = Date.now();
  // nbclient (the engine of `jupyter nbconvert --execute`) through a small driver that also saves the
  // partially executed notebook when a cell fails, so the report shows the failure in context.
  const logFile = path.join(dirs.logs, `${name}.log`);
  const exec = await run(PYTHON, [DRIVER, source, tmpNb, String(args.timeoutSeconds), "tslab"], { cwd: NOTEBOOKS, env, log: logFile, onProgress: (p) => progress.update(p) });
  const seconds = (Date.now() - t0) / 1000;
  const status: NotebookStatus = { name, status: "failed", seconds, mode: args.mode, finishedAt: new Date().toISOString() };
  let failure: CellFailure | undefined;
  const line = /^KDH_RESULT (.*)$/m.exec(exec.stdout)?.[1];
  const report = line ? (JSON.parse(line) as { ok: boolean; failure: DriverFailure | null }) : undefined;
  if (interrupted && !(exec.code === 0 && report?.ok)) {
    // Nothing half-done stays behind: no partial executed notebook, no report.
    fs.rmSync(tmpNb, { force: true });
    const f = report?.failure;
    failure = { kind: "interrupted", cell: typeof f?.cellIndex === "number" ? f.cellIndex + 1 : undefined, sourceHead: "", message: `stopped by ${interrupted} after ${seconds.toFixed(1)} s` };
    status.status = "interrupted";
    status.error = describeFailure(failure);
    appendLog(logFile, status.error);
    return { outcome: { name, ok: false, interrupted: true, seconds, failure }, status };
  }
  if (fs.existsSync(tmpNb)) {
    fs.renameSync(tmpNb, finalNb);
    status.executed = `notebooks/${name}.ipynb`;
  }
  if (exec.code === 0 && report?.ok && status.executed) {
    status.status = "passed";
  } else if (report?.failure && status.executed) {
    const cells = (JSON.parse(fs.readFileSync(finalNb, "utf8")).cells ?? []) as NbCell[];
    failure = describeCellFailure(report.failure, cells);
  } else {
    const tail = (exec.stderr || exec.stdout).trim().split("\n").filter((l) => l.trim() && !/Debugger warning|frozen modules|PYDEVD|^0\.00s/.test(l));
    failure = { kind: "other", sourceHead: "", message: tail.slice(-3).join("\n") || `${PYTHON} ${path.basename(DRIVER)} exited with ${exec.code}` };
  }
  if (failure) status.error = describeFailure(failure);
  if (args.html && status.executed && !interrupted) {
    // The report is made from a copy whose markdown math is MathML (no MathJax offline); the executed
    // .ipynb keeps its TeX for Jupyter.
    // Same file name as the notebook (nbconvert titles the page with it), in a private folder.
    const forHtml = path.join(dirs.nb, `${tmpBase}.math`, `${name}.ipynb`);
    writeFileAtomic(forHtml, JSON.stringify(notebookWithRenderedMath(JSON.parse(fs.readFileSync(finalNb, "utf8")))));
    const html = await run(
      JUPYTER,
      ["nbconvert", "--to", "html", `--TemplateExporter.extra_template_basedirs=${TEMPLATES}`, "--template", "kdh", "--output-dir", dirs.html, "--output", tmpBase, forHtml],
      { cwd: NOTEBOOKS, env, log: path.join(dirs.logs, `${name}.html.log`) },
    );
    fs.rmSync(path.dirname(forHtml), { recursive: true, force: true });
    const tmpHtml = path.join(dirs.html, `${tmpBase}.html`);
    if (interrupted) {
      fs.rmSync(tmpHtml, { force: true });
      failure = { kind: "interrupted", sourceHead: "", message: `stopped by ${interrupted} while writing the HTML report` };
      status.status = "interrupted";
      status.error = describeFailure(failure);
    } else if (html.code === 0 && fs.existsSync(tmpHtml)) {
      // A site page (one shared plotly.js beside it) unless --self-contained.
      finishReportPage(tmpHtml, { selfContained: args.selfContained, name, apiDir: path.join(REPORTS, "api") });
      fs.renameSync(tmpHtml, path.join(dirs.html, `${name}.html`));
      status.html = `html/${name}.html`;
      addClaimsBox(path.join(dirs.html, `${name}.html`), name, readHeadline(path.join(REPORTS, "results"), name), t0, args.mode);
    } else {
      fs.rmSync(tmpHtml, { force: true });
      if (!failure) {
        failure = { kind: "other", sourceHead: "", message: `the HTML export failed: ${html.stderr.trim().split("\n").slice(-2).join(" ")}` };
        status.error = describeFailure(failure);
        status.status = "failed";
      }
    }
  }
  // The log ends with the same description as the summary (the driver's own line may say only "<Error>: ").
  if (status.error) appendLog(logFile, status.error);
  // A result record older than this run belongs to an earlier run: do not show it as this run's numbers.
  const rec = readHeadline(path.join(REPORTS, "results"), name);
  const fresh = rec && typeof rec.finishedAt === "number" && rec.finishedAt >= t0 ? rec : undefined;
  return { outcome: { name, ok: status.status === "passed", interrupted: status.status === "interrupted", seconds, failure, headline: fresh?.headline }, status };
}

function appendLog(file: string, text: string): void {
  try {
    fs.appendFileSync(file, `\n[reproduce] ${text}\n`);
  } catch {
    /* the log is a convenience; the status file and the summary hold the same text */
  }
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + " ".repeat(n - s.length);
}

export function summaryTable(outcomes: RunOutcome[]): string {
  const rows = outcomes.map((o) => [o.name, o.ok ? "passed" : o.interrupted ? "interrupted" : "FAILED", o.seconds.toFixed(1), o.ok ? formatHeadline(o.headline, 100) : (o.failure ? `${o.failure.cell ? `cell ${o.failure.cell}: ` : ""}${o.failure.message.split("\n")[0]}` : "").slice(0, 100)]);
  const header = ["notebook", "status", "seconds", "headline"];
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const line = (r: string[]) => r.map((c, j) => (j === 2 ? c.padStart(widths[j]) : pad(c, widths[j]))).join("  ").trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

async function main(): Promise<number> {
  let args: ReproduceArgs;
  try {
    args = parseReproduceArgs(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  if (!fs.existsSync(JUPYTER)) {
    console.error(`${JUPYTER} is missing; run \`node scripts/setup.mjs\` (it installs Debian's jupyter-nbconvert) and retry.`);
    return 2;
  }
  const all = listNotebooks();
  let names: string[];
  try {
    names = selectNotebooks(all, args.only);
  } catch (e) {
    console.error((e as Error).message);
    return 2;
  }
  if (!names.length) {
    console.error(`no notebooks found in ${NOTEBOOKS} (expected files like 00_tour.ipynb)`);
    return 2;
  }
  // Output folders first: a bad KDH_REPORTS_DIR / KDH_CACHE_DIR is one line, not a stack trace later.
  try {
    ensureOutputDir(REPORTS, "KDH_REPORTS_DIR", "reports");
    ensureOutputDir(process.env.KDH_CACHE_DIR || path.join(ROOT, ".cache"), "KDH_CACHE_DIR", "cache");
  } catch (e) {
    console.error((e as Error).message);
    return 2;
  }
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const t0 = Date.now();
  console.log(`reproduce: ${names.length} notebook(s), ${args.mode} mode, per-cell timeout ${args.timeoutSeconds > 0 ? `${args.timeoutSeconds} s` : "none"}${Object.keys(args.set).length ? `, overrides ${JSON.stringify(args.set)}` : ""}`);
  const statusFile = path.join(REPORTS, "status.json");
  const outcomes: RunOutcome[] = [];
  for (const [i, name] of names.entries()) {
    if (interrupted) break;
    const progress = new NotebookProgress(`[${i + 1}/${names.length}] ${name} … `, { tty: !!process.stdout.isTTY, write: (s) => process.stdout.write(s), columns: process.stdout.columns });
    const { outcome, status } = await runNotebook(name, args, names.length, progress);
    outcomes.push(outcome);
    progress.finish(`${outcome.ok ? "passed" : outcome.interrupted ? "interrupted" : "FAILED"} in ${outcome.seconds.toFixed(1)} s`);
    if (status.error && !outcome.interrupted) console.log(`    ${name}: ${status.error}\n    (log: ${path.relative(ROOT, path.join(REPORTS, "logs", `${name}.log`))})`);
    // Status and index are rewritten after every notebook, so an interrupted run still leaves a usable index.
    const statuses = { ...readStatus(statusFile), [name]: status };
    writeJsonAtomic(statusFile, statuses);
    const results = Object.fromEntries(all.map((n) => [n, readHeadline(path.join(REPORTS, "results"), n)]));
    if (args.html) await writeThumbnails(REPORTS, [name]);
    writeFileAtomic(path.join(REPORTS, "index.html"), indexHtml(all, statuses, results, new Date(), existingThumbnails(REPORTS, all), Object.fromEntries(all.map((n) => [n, readHeadline(path.join(__dirname, "..", "results", "reference"), n)]))));
    if (interrupted) {
      const notRun = names.slice(i + 1);
      const where = outcome.interrupted ? `${name}${outcome.failure?.cell ? ` in cell ${outcome.failure.cell}` : ""} after ${outcome.seconds.toFixed(1)} s` : `after ${name} finished`;
      console.error(`interrupted (${interrupted}) ${where}; ${notRun.length ? `not run: ${notRun.join(", ")}` : "no notebooks left to run"}; status: ${path.relative(process.cwd(), statusFile)}`);
      return interrupted === "SIGTERM" ? 143 : 130;
    }
  }
  if (interrupted) {
    console.error(`interrupted (${interrupted}) between notebooks; not run: ${names.slice(outcomes.length).join(", ")}`);
    return interrupted === "SIGTERM" ? 143 : 130;
  }
  // --pdf: print this run's HTML reports (scripts/report/pdf.ts).
  const pdfFailures = args.pdf ? await pdfStep(REPORTS, outcomes.map((o) => o.name).filter((n) => fs.existsSync(path.join(REPORTS, "html", `${n}.html`)))) : 0;
  console.log("\n" + summaryTable(outcomes));
  const failed = outcomes.filter((o) => !o.ok);
  console.log(`\n${outcomes.length - failed.length} passed, ${failed.length} failed in ${((Date.now() - t0) / 1000).toFixed(1)} s wall time; index: ${path.relative(process.cwd(), path.join(REPORTS, "index.html"))}`);
  if (failed.length) {
    console.error(`FAILED: ${failed.map((f) => `${f.name}${f.failure?.cell ? ` (cell ${f.failure.cell})` : ""}`).join(", ")}`);
    return 1;
  }
  if (pdfFailures) {
    console.error(`FAILED: ${pdfFailures} PDF report(s) (see above)`);
    return 1;
  }
  return 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
