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
import { writeFileAtomic, writeJsonAtomic } from "../lib/src/core/store";
import { notebookEnv, parseReproduceArgs, selectNotebooks, USAGE, type ReproduceArgs } from "./report/args";
import { describeCellFailure, describeFailure, type CellFailure, type DriverFailure, type NbCell } from "./report/failure";
import { notebookWithRenderedMath } from "./report/math";
import { formatHeadline, indexHtml, readHeadline, readStatus, type NotebookStatus } from "./report/index-page";

const ROOT = path.resolve(__dirname, "..");
const NOTEBOOKS = path.join(ROOT, "notebooks");
const REPORTS = process.env.KDH_REPORTS_DIR || path.join(ROOT, "reports");
const JUPYTER = "/usr/bin/jupyter";
const TEMPLATES = path.join(__dirname, "report", "templates");

export interface RunOutcome {
  name: string;
  ok: boolean;
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

let interrupted = false;

function run(cmd: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; log: string }): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ["ignore", "pipe", "pipe"] });
    const out = fs.createWriteStream(opts.log);
    let stderr = "";
    let stdout = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
      out.write(d);
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
      out.write(d);
    });
    // Ctrl-C: let the child (and through it, the kernel) stop cleanly, then end the run.
    const stop = () => {
      interrupted = true;
      child.kill("SIGINT");
    };
    process.once("SIGINT", stop);
    child.on("error", (e) => {
      stderr += `\n${e.message}`;
    });
    child.on("close", (code) => {
      process.removeListener("SIGINT", stop);
      out.end();
      resolve({ code: code ?? 1, stdout, stderr });
    });
  });
}

function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  // The kernel spec runs `tslab`, found on PATH.
  env.PATH = `${path.join(ROOT, "node_modules", ".bin")}${path.delimiter}${process.env.PATH ?? ""}`;
  // Quiets debugpy's "frozen modules" warnings from Debian's Python in every log.
  env.PYDEVD_DISABLE_FILE_VALIDATION = "1";
  for (const k of ["KDH_PARAMS", "KDH_PARAMS_LENIENT", "KDH_PARAMS_SOURCE"]) if (!(k in extra)) delete env[k];
  return env;
}

const DRIVER = path.join(__dirname, "report", "execute_notebook.py");
const PYTHON = "/usr/bin/python3";

async function runNotebook(name: string, args: ReproduceArgs, count: number): Promise<{ outcome: RunOutcome; status: NotebookStatus }> {
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
  const exec = await run(PYTHON, [DRIVER, source, tmpNb, String(args.timeoutSeconds), "tslab"], { cwd: NOTEBOOKS, env, log: path.join(dirs.logs, `${name}.log`) });
  const seconds = (Date.now() - t0) / 1000;
  const status: NotebookStatus = { name, status: "failed", seconds, mode: args.mode, finishedAt: new Date().toISOString() };
  let failure: CellFailure | undefined;
  const line = /^KDH_RESULT (.*)$/m.exec(exec.stdout)?.[1];
  const report = line ? (JSON.parse(line) as { ok: boolean; failure: DriverFailure | null }) : undefined;
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
  if (args.html && status.executed) {
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
    if (html.code === 0 && fs.existsSync(tmpHtml)) {
      fs.renameSync(tmpHtml, path.join(dirs.html, `${name}.html`));
      status.html = `html/${name}.html`;
    } else {
      fs.rmSync(tmpHtml, { force: true });
      if (!failure) {
        failure = { kind: "other", sourceHead: "", message: `the HTML export failed: ${html.stderr.trim().split("\n").slice(-2).join(" ")}` };
        status.error = describeFailure(failure);
        status.status = "failed";
      }
    }
  }
  // A result record older than this run belongs to an earlier run: do not show it as this run's numbers.
  const rec = readHeadline(path.join(REPORTS, "results"), name);
  const fresh = rec && typeof rec.finishedAt === "number" && rec.finishedAt >= t0 ? rec : undefined;
  return { outcome: { name, ok: status.status === "passed", seconds, failure, headline: fresh?.headline }, status };
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + " ".repeat(n - s.length);
}

export function summaryTable(outcomes: RunOutcome[]): string {
  const rows = outcomes.map((o) => [o.name, o.ok ? "passed" : "FAILED", o.seconds.toFixed(1), o.ok ? formatHeadline(o.headline, 100) : (o.failure ? `${o.failure.cell ? `cell ${o.failure.cell}: ` : ""}${o.failure.message.split("\n")[0]}` : "").slice(0, 100)]);
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
  const t0 = Date.now();
  console.log(`reproduce: ${names.length} notebook(s), ${args.mode} mode, per-cell timeout ${args.timeoutSeconds > 0 ? `${args.timeoutSeconds} s` : "none"}${Object.keys(args.set).length ? `, overrides ${JSON.stringify(args.set)}` : ""}`);
  const statusFile = path.join(REPORTS, "status.json");
  const outcomes: RunOutcome[] = [];
  for (const [i, name] of names.entries()) {
    process.stdout.write(`[${i + 1}/${names.length}] ${name} … `);
    const { outcome, status } = await runNotebook(name, args, names.length);
    outcomes.push(outcome);
    console.log(`${outcome.ok ? "passed" : "FAILED"} in ${outcome.seconds.toFixed(1)} s`);
    if (status.error) console.log(`    ${name}: ${status.error}\n    (log: ${path.relative(ROOT, path.join(REPORTS, "logs", `${name}.log`))})`);
    // Status and index are rewritten after every notebook, so an interrupted run still leaves a usable index.
    const statuses = { ...readStatus(statusFile), [name]: status };
    writeJsonAtomic(statusFile, statuses);
    const results = Object.fromEntries(all.map((n) => [n, readHeadline(path.join(REPORTS, "results"), n)]));
    writeFileAtomic(path.join(REPORTS, "index.html"), indexHtml(all, statuses, results));
    if (interrupted) {
      console.error(`interrupted during ${name}; ${names.length - i - 1} notebook(s) not run`);
      return 130;
    }
  }
  console.log("\n" + summaryTable(outcomes));
  const failed = outcomes.filter((o) => !o.ok);
  console.log(`\n${outcomes.length - failed.length} passed, ${failed.length} failed in ${((Date.now() - t0) / 1000).toFixed(1)} s wall time; index: ${path.relative(process.cwd(), path.join(REPORTS, "index.html"))}`);
  if (failed.length) {
    console.error(`FAILED: ${failed.map((f) => `${f.name}${f.failure?.cell ? ` (cell ${f.failure.cell})` : ""}`).join(", ")}`);
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
