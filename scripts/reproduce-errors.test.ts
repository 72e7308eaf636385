/**
 * What a newcomer sees from the runner for bad input: a bad `--set` fails in the parameters cell with
 * the option as typed, and the summary row, status.json, the index and the log show the message (never
 * the file and line the library threw from); a bad output folder is one line before anything runs.
 * The notebook is a throwaway fixture whose parameters cell uses the library's notebookParams.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..");
const CONFIG_JS = path.join(ROOT, "lib", "dist", "core", "config.js");
const HAVE_KERNEL = fs.existsSync("/usr/bin/jupyter") && fs.existsSync(path.join(ROOT, "node_modules", ".bin", "tslab")) && fs.existsSync(CONFIG_JS);

function fixture(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kdh-errors-"));
  fs.mkdirSync(path.join(dir, "notebooks"));
  const params = `const { notebookParams } = require(${JSON.stringify(CONFIG_JS)});
const params = notebookParams({
  quick: { epochs: 2, trainSize: 100, seeds: [0, 1] },
  rules: { epochs: { min: 1, max: 1000, integer: true }, trainSize: { min: 1, integer: true, what: "training images per run" }, seeds: { minLength: 1, integer: true, min: 0 } },
});`;
  const nb = {
    cells: [params, 'console.log("data would load here");'].map((src) => ({ cell_type: "code", execution_count: null, metadata: {}, outputs: [], source: [src] })),
    metadata: { kernelspec: { display_name: "TypeScript", language: "typescript", name: "tslab" } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  fs.writeFileSync(path.join(dir, "notebooks", "01_params.ipynb"), JSON.stringify(nb));
  return dir;
}

function reproduce(dir: string, args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts", "reproduce.ts"), "--no-html", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 120_000,
    env: { ...process.env, KDH_NOTEBOOKS_DIR: path.join(dir, "notebooks"), KDH_REPORTS_DIR: path.join(dir, "reports"), KDH_CACHE_DIR: path.join(dir, "cache"), ...env },
  });
}

test("each bad --set fails in the parameters cell, quoted as typed, everywhere the failure is shown", { skip: !HAVE_KERNEL && "needs Debian's jupyter, the tslab kernel and a built lib (node scripts/setup.mjs)" }, () => {
  const dir = fixture();
  try {
    const cases: [string, string][] = [
      ["epoch=3", 'Error: unknown parameter "epoch" given with --set epoch=3; valid parameters: epochs, trainSize, seeds.'],
      ["trainSize=0", "Error: --set trainSize=0 (training images per run): 0 is not a whole number, at least 1; change the value or leave it at its default."],
      ["seeds=[]", "Error: --set seeds=[]: the list [] has 0 element(s), expected at least 1; change the value or leave it at its default."],
      ["epochs=1e9", "Error: --set epochs=1e9: 1000000000 is not a whole number, between 1 and 1000; change the value or leave it at its default."],
    ];
    for (const [set, message] of cases) {
      const r = reproduce(dir, ["--set", set]);
      assert.equal(r.status, 1, r.stderr);
      const row = r.stdout.split("\n").find((l) => l.startsWith("01_params "));
      assert.ok(row, r.stdout);
      assert.match(row, /FAILED/);
      assert.ok(row.endsWith(`cell 1: ${message}`.slice(0, 100)), `summary row: ${row}`);
      const status = JSON.parse(fs.readFileSync(path.join(dir, "reports", "status.json"), "utf8"))["01_params"];
      assert.ok(status.error.startsWith(`error in cell 1: ${message}`), status.error);
      const log = fs.readFileSync(path.join(dir, "reports", "logs", "01_params.log"), "utf8");
      assert.ok(log.includes(`[reproduce] error in cell 1: ${message}`), "the log ends with the message");
      const index = fs.readFileSync(path.join(dir, "reports", "index.html"), "utf8");
      assert.ok(index.includes(message.replace(/"/g, "&quot;")), "the index shows the message");
      for (const where of [row, status.error, index, r.stdout]) assert.doesNotMatch(where, /\.js:\d+/, "no throw location (file:line)");
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("bad output folders: one line naming the variable, the path, what is wrong and what to do", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kdh-folders-"));
  try {
    const file = path.join(dir, "a-file");
    fs.writeFileSync(file, "x");
    fs.mkdirSync(path.join(dir, "notebooks"));
    fs.writeFileSync(path.join(dir, "notebooks", "01_x.ipynb"), "{}");
    const cases: [Record<string, string>, string][] = [
      [{ KDH_REPORTS_DIR: file }, `KDH_REPORTS_DIR=${file}: it is a file, not a folder; point KDH_REPORTS_DIR at a writable folder (it is created if missing) or unset it.`],
      [{ KDH_CACHE_DIR: path.join(file, "cache") }, `KDH_CACHE_DIR=${file}/cache: its parent ${file} is a file, not a folder; point KDH_CACHE_DIR at a writable folder (it is created if missing) or unset it.`],
    ];
    for (const [env, line] of cases) {
      const r = reproduce(dir, [], env);
      assert.equal(r.status, 2);
      assert.equal(r.stderr.trim(), line);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
