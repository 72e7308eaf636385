/**
 * The runner under Ctrl-C and SIGKILL, for real: a child runner (its own process group, as in a
 * terminal) executes a throwaway notebook whose second cell sleeps; the test signals the whole group
 * and then looks at what is left: exit code, the one-line message, status.json, the index, temporary
 * files, and every process that carries this test's marker in its environment (runner, driver,
 * watchdog, and the tslab kernel in its own session).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..");
const HAVE_JUPYTER = fs.existsSync("/usr/bin/jupyter") && fs.existsSync(path.join(ROOT, "node_modules", ".bin", "tslab"));

function notebook(cells: string[]): string {
  return JSON.stringify({
    cells: [{ cell_type: "markdown", metadata: {}, source: ["# fixture"] }, ...cells.map((src) => ({ cell_type: "code", execution_count: null, metadata: {}, outputs: [], source: [src] }))],
    metadata: { kernelspec: { display_name: "TypeScript", language: "typescript", name: "tslab" } },
    nbformat: 4,
    nbformat_minor: 5,
  });
}

interface Fixture {
  dir: string;
  reports: string;
  runtime: string;
  marker: string;
  started: string;
}

function makeFixture(): Fixture {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kdh-interrupt-"));
  const started = path.join(dir, "cell-started");
  fs.mkdirSync(path.join(dir, "notebooks"));
  fs.writeFileSync(
    path.join(dir, "notebooks", "01_sleep.ipynb"),
    notebook(['console.log("warming up");', `require("fs").writeFileSync(${JSON.stringify(started)}, "1");\nawait new Promise((r) => setTimeout(r, 120000));`]),
  );
  fs.writeFileSync(path.join(dir, "notebooks", "02_after.ipynb"), notebook(['console.log("never");']));
  return { dir, reports: path.join(dir, "reports"), runtime: path.join(dir, "runtime"), marker: crypto.randomBytes(8).toString("hex"), started };
}

function startRunner(f: Fixture): { child: ChildProcess; done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts", "reproduce.ts"), "--no-html"], {
    cwd: ROOT,
    detached: true, // a process group of its own, like a job in a terminal
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, KDH_NOTEBOOKS_DIR: path.join(f.dir, "notebooks"), KDH_REPORTS_DIR: f.reports, KDH_CACHE_DIR: path.join(f.dir, "cache"), JUPYTER_RUNTIME_DIR: f.runtime, KDH_TEST_MARKER: f.marker },
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d) => (stdout += d));
  child.stderr!.on("data", (d) => (stderr += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) => child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

/** Pids of live processes whose environment holds the marker. */
function marked(marker: string): number[] {
  const out: number[] = [];
  for (const e of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(e)) continue;
    try {
      if (!fs.readFileSync(`/proc/${e}/environ`, "latin1").includes(`KDH_TEST_MARKER=${marker}`)) continue;
      const state = fs.readFileSync(`/proc/${e}/stat`, "latin1").split(") ")[1]?.[0];
      if (state !== "Z") out.push(Number(e));
    } catch {
      /* exited meanwhile */
    }
  }
  return out;
}

async function waitFor(what: string, ok: () => boolean, ms: number): Promise<void> {
  const t0 = Date.now();
  while (!ok()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The connection files of the marked tslab kernels (the kernel's --config-path argument). */
function kernelConnectionFiles(marker: string): string[] {
  return marked(marker)
    .map((pid) => {
      try {
        const argv = fs.readFileSync(`/proc/${pid}/cmdline`, "latin1").split("\0");
        return argv.includes("kernel") ? argv[argv.indexOf("--config-path") + 1] : undefined;
      } catch {
        return undefined;
      }
    })
    .filter((f): f is string => !!f);
}

function filesBelow(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true }).map(String);
}

function processDescription(pid: number): string {
  try {
    return `${pid} ${fs.readFileSync(`/proc/${pid}/cmdline`, "latin1").replace(/\0/g, " ").slice(0, 120)}`;
  } catch {
    return String(pid);
  }
}

async function noSurvivors(f: Fixture): Promise<void> {
  await waitFor("every process of the run (kernel included) to exit", () => marked(f.marker).length === 0, 10_000).catch((e) => {
    const left = marked(f.marker);
    for (const pid of left) process.kill(pid, "SIGKILL");
    throw new Error(`${(e as Error).message}; still running: ${left.map(processDescription).join("; ")}`);
  });
}

test("Ctrl-C (SIGINT to the runner's process group) during a cell: one line, status interrupted, no temp files, no kernel, exit 130", { skip: !HAVE_JUPYTER && "needs Debian's jupyter and the tslab kernel (node scripts/setup.mjs)" }, async () => {
  const f = makeFixture();
  try {
    const { child, done } = startRunner(f);
    await waitFor("the sleeping cell to start", () => fs.existsSync(f.started), 60_000);
    const connection = kernelConnectionFiles(f.marker);
    assert.equal(connection.length, 1, "one kernel runs");
    process.kill(-child.pid!, "SIGINT");
    const r = await done;
    assert.equal(r.code, 130, `exit code; stderr: ${r.stderr}`);
    const lines = r.stderr.trim().split("\n");
    assert.equal(lines.length, 1, `one line on stderr, got: ${r.stderr}`);
    assert.match(lines[0], /^interrupted \(SIGINT\) 01_sleep in cell 3 after \d+\.\d s; not run: 02_after; status: /);
    const status = JSON.parse(fs.readFileSync(path.join(f.reports, "status.json"), "utf8"));
    assert.equal(status["01_sleep"].status, "interrupted");
    assert.match(status["01_sleep"].error, /^interrupted in cell 3: stopped by SIGINT after/);
    assert.equal(status["02_after"], undefined, "the notebook after it did not run");
    assert.match(fs.readFileSync(path.join(f.reports, "index.html"), "utf8"), /<section class="card interrupted">\s*<div class="top"><span class="nb">01<\/span><span class="year"><\/span><span class="st">interrupted[\s\S]*?<h2>01_sleep<\/h2>/);
    assert.deepEqual(filesBelow(f.reports).filter((p) => /\.tmp/.test(p)), [], "no temporary files left");
    assert.match(fs.readFileSync(path.join(f.reports, "logs", "01_sleep.log"), "utf8"), /\[reproduce\] interrupted in cell 3/);
    await noSurvivors(f);
    assert.deepEqual(connection.filter((c) => fs.existsSync(c)), [], "no kernel connection file left");
  } finally {
    fs.rmSync(f.dir, { recursive: true, force: true });
  }
});

test("an early Ctrl-C, while the kernel starts, is recorded as interrupted too (not as a failure)", { skip: !HAVE_JUPYTER && "needs Debian's jupyter and the tslab kernel (node scripts/setup.mjs)" }, async () => {
  const f = makeFixture();
  try {
    const { child, done } = startRunner(f);
    let out = "";
    child.stdout!.on("data", (d) => (out += d));
    // The runner prints its plan once its signal handlers are in place; the kernel starts right after.
    await waitFor("the runner to start the first notebook", () => out.includes("[1/2] 01_sleep"), 60_000);
    await waitFor("the kernel to be launched", () => marked(f.marker).length >= 3, 30_000);
    process.kill(-child.pid!, "SIGINT");
    const r = await done;
    assert.equal(r.code, 130, `exit code; stderr: ${r.stderr}`);
    assert.match(r.stderr.trim(), /^interrupted \(SIGINT\) 01_sleep( in cell \d+)? after \d+\.\d s; not run: 02_after; status: [^\n]*$/);
    const status = JSON.parse(fs.readFileSync(path.join(f.reports, "status.json"), "utf8"));
    assert.equal(status["01_sleep"].status, "interrupted");
    assert.deepEqual(filesBelow(f.reports).filter((p) => /\.tmp/.test(p)), [], "no temporary files left");
    await noSurvivors(f);
  } finally {
    fs.rmSync(f.dir, { recursive: true, force: true });
  }
});

test("SIGKILL of the runner's process group: the kernel (in its own session) does not survive", { skip: !HAVE_JUPYTER && "needs Debian's jupyter and the tslab kernel (node scripts/setup.mjs)" }, async () => {
  const f = makeFixture();
  try {
    const { child, done } = startRunner(f);
    await waitFor("the sleeping cell to start", () => fs.existsSync(f.started), 60_000);
    assert.ok(marked(f.marker).length >= 3, "runner, driver and kernel are running");
    const connection = kernelConnectionFiles(f.marker);
    assert.equal(connection.length, 1, "one kernel runs");
    process.kill(-child.pid!, "SIGKILL");
    const r = await done;
    assert.equal(r.signal, "SIGKILL");
    await noSurvivors(f);
    assert.deepEqual(connection.filter((c) => fs.existsSync(c)), [], "no kernel connection file left");
  } finally {
    fs.rmSync(f.dir, { recursive: true, force: true });
  }
});
