/**
 * launch.cjs: its arguments (as the kernel spec passes them), which tslab it runs, and that the zeromq
 * that tslab loads is the one made to send serially. The kernel spec the runner uses points at it.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createRequire } from "node:module";

const ROOT = path.resolve(__dirname, "..", "..");
const launch = require("./launch.cjs") as {
  parseArgs(a: string[]): { configPath: string; jsKernel: boolean };
  findTslab(cwd: string, fallback: string): string | undefined;
  prepareKernel(cwd?: string): { startKernel: unknown; tslabDir: string; versions: { tslab: string; zeromq: string }; warnings: string[] };
  CHECKED: { tslab: string; zeromqMajor: number };
};
const { sendsSerialised } = require("./serial-send.cjs") as { sendsSerialised(z: unknown): boolean };

test("arguments: what the kernel spec passes, and clear errors otherwise", () => {
  const ok: [string[], { configPath: string; jsKernel: boolean }][] = [
    [["kernel", "--config-path", "/tmp/k.json"], { configPath: "/tmp/k.json", jsKernel: false }],
    [["kernel", "--config-path=/tmp/k.json", "--js"], { configPath: "/tmp/k.json", jsKernel: true }],
  ];
  for (const [argv, want] of ok) assert.deepEqual(launch.parseArgs(argv), want);
  const bad: [string[], RegExp][] = [
    [[], /expected the command "kernel" first, got undefined; usage: node launch.cjs kernel --config-path/],
    [["install"], /expected the command "kernel" first, got "install"/],
    [["kernel"], /--config-path CONNECTION_FILE is required/],
    [["kernel", "--config-path"], /unknown argument "--config-path"/],
    [["kernel", "--config-path", "/k", "--verbose"], /unknown argument "--verbose"/],
  ];
  for (const [argv, want] of bad) assert.throws(() => launch.parseArgs(argv), want, argv.join(" "));
});

test("tslab is the project's: from a notebook folder, and from a folder outside any project", () => {
  const mine = path.join(ROOT, "node_modules", "tslab");
  assert.equal(launch.findTslab(path.join(ROOT, "notebooks"), __dirname), mine);
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), "kdh-launch-"));
  try {
    assert.equal(launch.findTslab(outside, __dirname), mine);
    assert.equal(launch.findTslab(outside, outside), undefined);
  } finally {
    fs.rmSync(outside, { recursive: true, force: true });
  }
});

test("prepareKernel patches the zeromq that tslab loads and returns tslab's startKernel", () => {
  const k = launch.prepareKernel(path.join(ROOT, "notebooks"));
  assert.equal(typeof k.startKernel, "function");
  assert.equal(k.tslabDir, path.join(ROOT, "node_modules", "tslab"));
  const zmq = createRequire(path.join(k.tslabDir, "dist", "jupyter.js"))("zeromq");
  assert.equal(sendsSerialised(zmq), true);
  assert.equal(k.versions.tslab, launch.CHECKED.tslab);
  assert.deepEqual(k.warnings, []);
});

test("the runner's kernel spec runs launch.cjs from its own folder", () => {
  const spec = JSON.parse(fs.readFileSync(path.join(__dirname, "jupyter", "kernels", "tslab", "kernel.json"), "utf8"));
  assert.equal(spec.language, "typescript");
  const script = spec.argv[1].replace("{resource_dir}", path.join(__dirname, "jupyter", "kernels", "tslab"));
  assert.equal(path.resolve(script), path.join(__dirname, "launch.cjs"));
  assert.deepEqual(spec.argv.slice(2), ["kernel", "--config-path", "{connection_file}"]);
});
