/**
 * `npm test`: (1) every unit test (datasets/src, lib/src, scripts: files named *.test.ts) with node's
 * built-in runner on TypeScript through tsx, (2) every notebook in quick mode (`reproduce`), (3) the
 * browser check of the reports, (4) notebook 00 run in a Jupyter Notebook server through headless Chromium. Prints one last line `N passed, N failed` summing the stages
 * (tests, notebooks, reports, Jupyter) and exits non-zero on any failure.
 *
 * usage: tsx scripts/test.ts [--unit-only] [--only NAME[,NAME]]
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..");
const TEST_ROOTS = ["datasets/src", "lib/src", "scripts", "examples"];

/** Every *.test.ts below the given folders (relative to root), sorted; node 20's --test has no globs. */
export function findTestFiles(root = ROOT, dirs = TEST_ROOTS): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.name === "node_modules" || e.name === "dist" || e.name.startsWith(".")) continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && e.name.endsWith(".test.ts")) out.push(path.relative(root, p));
    }
  };
  for (const d of dirs) walk(path.join(root, d));
  return out.sort();
}

/** Counts from the end of a TAP stream (`# pass N`, `# fail N`, cancelled counts as failed). */
export function tapCounts(tap: string): { passed: number; failed: number } | undefined {
  const num = (k: string) => {
    const m = new RegExp(`^# ${k} (\\d+)$`, "m").exec(tap);
    return m ? Number(m[1]) : undefined;
  };
  const pass = num("pass");
  const fail = num("fail");
  if (pass === undefined || fail === undefined) return undefined;
  return { passed: pass, failed: fail + (num("cancelled") ?? 0) };
}

/** The last "N passed, N failed" in a stage's output. */
export function stageCounts(output: string): { passed: number; failed: number } | undefined {
  const all = [...output.matchAll(/(\d+) passed, (\d+) failed/g)];
  const m = all[all.length - 1];
  return m ? { passed: Number(m[1]), failed: Number(m[2]) } : undefined;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env });
    let output = "";
    child.stdout.on("data", (d: Buffer) => {
      output += d.toString();
      process.stdout.write(d);
    });
    child.stderr.on("data", (d: Buffer) => {
      output += d.toString();
      process.stderr.write(d);
    });
    child.on("error", (e) => (output += e.message));
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

interface Stage {
  name: string;
  passed: number;
  failed: number;
}

async function unitStage(): Promise<Stage> {
  const files = findTestFiles();
  console.log(`== unit tests: ${files.length} files`);
  if (!files.length) return { name: "unit tests", passed: 0, failed: 0 };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kdh-test-"));
  const tapFile = path.join(dir, "unit.tap");
  // The tests' own temporary folders (caches, checkpoints, stores) go below this run's folder, removed
  // with it: a test that forgets its folder must not leave it in /tmp after every run.
  const tmp = path.join(dir, "tmp");
  fs.mkdirSync(tmp);
  const r = await run(process.execPath, ["--import", "tsx", "--test", "--test-reporter=spec", "--test-reporter-destination=stdout", "--test-reporter=tap", `--test-reporter-destination=${tapFile}`, ...files], { ...process.env, TMPDIR: tmp });
  const counts = fs.existsSync(tapFile) ? tapCounts(fs.readFileSync(tapFile, "utf8")) : undefined;
  fs.rmSync(dir, { recursive: true, force: true });
  if (!counts) return { name: "unit tests", passed: 0, failed: 1 };
  // A crash outside any test (exit code set, no failing test counted) must still fail the stage.
  return { name: "unit tests", passed: counts.passed, failed: counts.failed || (r.code !== 0 ? 1 : 0) };
}

async function scriptStage(name: string, script: string, args: string[]): Promise<Stage> {
  console.log(`\n== ${name}`);
  const r = await run(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts", script), ...args]);
  const counts = stageCounts(r.output);
  if (!counts) return { name, passed: 0, failed: 1 };
  return { name, passed: counts.passed, failed: counts.failed || (r.code !== 0 ? 1 : 0) };
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  let unitOnly = false;
  const only: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--unit-only") unitOnly = true;
    else if (a === "--only" && argv[i + 1]) only.push(argv[++i]);
    else if (a.startsWith("--only=")) only.push(a.slice(7));
    else {
      console.error(`unknown argument ${JSON.stringify(a)}; usage: tsx scripts/test.ts [--unit-only] [--only NAME[,NAME]]`);
      return 2;
    }
  }
  const t0 = Date.now();
  const stages: Stage[] = [await unitStage()];
  if (!unitOnly) {
    const onlyArgs = only.length ? ["--only", only.join(",")] : [];
    const nb = await scriptStage("notebooks (quick mode)", "reproduce.ts", ["--quick", ...onlyArgs]);
    stages.push(nb);
    stages.push(await scriptStage("browser check", "browser-check.ts", onlyArgs));
    // The README's interactive instructions, done in a real Jupyter in a real browser (notebook 00).
    if (!only.length || only.some((o) => o.split(",").some((p) => "00_tour".startsWith(p)))) stages.push(await scriptStage("interactive Jupyter", "jupyter-check.ts", []));
  }
  console.log("\n" + stages.map((s) => `${s.name}: ${s.passed} passed, ${s.failed} failed`).join("\n"));
  console.log(`total ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const passed = stages.reduce((a, s) => a + s.passed, 0);
  const failed = stages.reduce((a, s) => a + s.failed, 0);
  console.log(`${passed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

if (require.main === module) {
  main().then(
    (c) => process.exit(c),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
