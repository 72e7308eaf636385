/**
 * A cell that updates a display 600 times and prints 300 lines in one synchronous burst, a cell that
 * updates a display 1500 times without ever yielding, then a cell that throws after a burst: through
 * the runner, the first passes with all its output, the second's updates arrive while it runs, and the
 * third fails with its own message (and its stack in the executed notebook). The same notebook on the
 * stock tslab kernel shows why: its first cell fails with no message at all and most of its output is
 * lost (zeromq 6 refuses a send while one is deferred; see serial-send.cjs).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");
const TSLAB_BIN = path.join(ROOT, "node_modules", "tslab", "bin", "tslab");
const HAVE_KERNEL = fs.existsSync("/usr/bin/jupyter") && fs.existsSync(TSLAB_BIN);
const SKIP = !HAVE_KERNEL && "needs Debian's jupyter and the tslab package (node scripts/setup.mjs)";

const BURST = `const d = require("tslab").newDisplay();
for (let i = 0; i < 600; i++) d.text("step " + i);
for (let i = 0; i < 300; i++) console.log("line " + i);`;
// A cell that never yields to the event loop (like a training loop with synchronous tensor reads) and
// updates its display 1500 times over a few seconds: the updates must reach the frontend while it runs.
const LIVE = `const live = require("tslab").newDisplay();
for (let i = 0; i < 1500; i++) { const t = Date.now(); while (Date.now() - t < 3) {} live.text("live " + i); }`;
const THROW = `const d2 = require("tslab").newDisplay();
for (let i = 0; i < 600; i++) d2.text("again " + i);
throw new Error("the real error after a burst");`;

interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
}

function fixture(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kdh-sends-"));
  fs.mkdirSync(path.join(dir, "notebooks"));
  const nb = {
    cells: [BURST, LIVE, THROW].map((src, i) => ({ id: `c${i}`, cell_type: "code", execution_count: null, metadata: {}, outputs: [], source: [src] })),
    metadata: { kernelspec: { display_name: "TypeScript", language: "typescript", name: "tslab" } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  fs.writeFileSync(path.join(dir, "notebooks", "01_sends.ipynb"), JSON.stringify(nb));
  return dir;
}

const text = (t: string | string[] | undefined) => (Array.isArray(t) ? t.join("") : (t ?? ""));
const streamText = (outs: Output[], name: string) => outs.filter((o) => o.output_type === "stream" && o.name === name).map((o) => text(o.text)).join("");
const displays = (outs: Output[]) => outs.filter((o) => o.output_type === "display_data").map((o) => text(o.data?.["text/plain"] as string | string[]));

test("through the runner: no message is lost in a burst, and the real error reaches the summary with its stack", { skip: SKIP }, () => {
  const dir = fixture();
  try {
    const r = spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts", "reproduce.ts"), "--no-html"], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 120_000,
      env: { ...process.env, KDH_NOTEBOOKS_DIR: path.join(dir, "notebooks"), KDH_REPORTS_DIR: path.join(dir, "reports"), KDH_CACHE_DIR: path.join(dir, "cache") },
    });
    assert.equal(r.status, 1, r.stdout + r.stderr);
    const row = r.stdout.split("\n").find((l) => l.startsWith("01_sends "));
    assert.ok(row?.endsWith("cell 3: Error: the real error after a burst"), `summary row: ${row}`);
    const cells = JSON.parse(fs.readFileSync(path.join(dir, "reports", "notebooks", "01_sends.ipynb"), "utf8")).cells as { outputs: Output[] }[];
    // 900 messages in all: past the 512 sends after which the stock kernel fails, and within ZeroMQ's
    // high-water mark of 1,000 queued messages per subscriber, beyond which any Jupyter kernel drops output
    // when the receiving side falls behind (a 2,000-line burst lost 112 lines on one run here).
    assert.equal(streamText(cells[0].outputs, "stdout"), Array.from({ length: 300 }, (_, i) => `line ${i}\n`).join(""));
    assert.deepEqual(displays(cells[0].outputs), ["step 599"]);
    assert.equal(streamText(cells[0].outputs, "stderr"), "");
    // The runner's progress lines come from the messages as they arrive: they go past the 512th update
    // of the live cell while it is still running (zeromq 6's deferral would hold them until it ends).
    const log = fs.readFileSync(path.join(dir, "reports", "logs", "01_sends.log"), "utf8");
    const live = [...log.matchAll(/^KDH_PROGRESS (.*)$/gm)].map((m) => JSON.parse(m[1]) as { cell: number; text: string }).filter((p) => p.cell === 2 && /^live \d+$/.test(p.text));
    const seen = Math.max(-1, ...live.map((p) => Number(p.text.slice(5))));
    assert.ok(seen > 600, `live updates seen while the cell ran: up to ${seen} (${live.map((p) => p.text).join(", ")})`);
    // Cells 2 and 3 send 2,100 updates back to back. When the test runner loads the machine, the reading
    // side can fall more than ZeroMQ's high-water mark (1,000 messages) behind and a few of the last
    // updates are dropped, as with any Jupyter kernel (one run here ended cell 3 at "again 590"). What
    // must hold: each display got far past the 512th send, where the stock kernel breaks.
    const last = (outs: Output[], prefix: string) => {
      const d = displays(outs);
      assert.equal(d.length, 1, `one display: ${d.join(", ")}`);
      assert.ok(d[0].startsWith(prefix), d[0]);
      return Number(d[0].slice(prefix.length));
    };
    assert.ok(last(cells[1].outputs, "live ") >= 1400, "cell 2's display reached its last updates");
    assert.ok(last(cells[2].outputs, "again ") >= 520, "cell 3's display went past the 512th send");
    const err = streamText(cells[2].outputs, "stderr");
    assert.match(err, /Error: the real error after a burst\n\s+at /, "message and stack in the executed notebook");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("the stock tslab kernel (the premise): the burst cell fails with no message and loses its output", { skip: SKIP }, () => {
  const dir = fixture();
  try {
    // A private kernel spec that starts tslab as npm installed it.
    const spec = path.join(dir, "jupyter", "kernels", "tslab");
    fs.mkdirSync(spec, { recursive: true });
    fs.writeFileSync(path.join(spec, "kernel.json"), JSON.stringify({ argv: [process.execPath, TSLAB_BIN, "kernel", "--config-path", "{connection_file}"], display_name: "TypeScript", language: "typescript" }));
    const out = path.join(dir, "out.ipynb");
    const r = spawnSync("/usr/bin/python3", [path.join(ROOT, "scripts", "report", "execute_notebook.py"), path.join(dir, "notebooks", "01_sends.ipynb"), out, "60", "tslab"], {
      cwd: path.join(dir, "notebooks"),
      encoding: "utf8",
      timeout: 120_000,
      env: { ...process.env, JUPYTER_PATH: path.join(dir, "jupyter"), PYDEVD_DISABLE_FILE_VALIDATION: "1" },
    });
    const result = JSON.parse(/^KDH_RESULT (.*)$/m.exec(r.stdout)?.[1] ?? "null");
    assert.ok(result, r.stdout + r.stderr);
    // If this starts passing, tslab or zeromq changed: re-check whether serial-send.cjs is still needed.
    assert.equal(result.ok, false);
    assert.equal(result.failure.cellIndex, 0, "the burst cell, which does nothing wrong, fails");
    const outs = JSON.parse(fs.readFileSync(out, "utf8")).cells[0].outputs as Output[];
    assert.equal(streamText(outs, "stderr"), "", "and says nothing about why");
    assert.ok(!outs.some((o) => o.output_type === "error"), "no error output either");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
