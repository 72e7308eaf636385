/**
 * `npm run test:platforms`: the unit tests and the quick notebooks under every backend that loads and
 * under OpenBLAS's kernel choices, then one table of what passed where.
 *
 * Why: OpenBLAS picks its kernels per CPU (Haswell, SkylakeX, Cooperlake, Zen, ...), and each kernel
 * rounds float32 sums differently. A test that passes on the machine it was written on can fail on the
 * next one; CI runs on one CPU only, so the matrix has to be run on purpose. Each configuration runs in
 * its own child process with its own reports and cache folders, so no result of one configuration is
 * reused by another.
 *
 * usage: tsx scripts/test-platforms.ts [--unit-only] [--configs NAME[,NAME]] [--only NOTEBOOK[,NOTEBOOK]]
 * Configuration names: default (OpenBLAS chooses), Haswell, SkylakeX, Cooperlake, Zen, Prescott
 * (blas backend with OPENBLAS_CORETYPE), wasm, cpu (unit tests only: notebooks would take hours).
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stageCounts } from "./test";

const ROOT = path.resolve(__dirname, "..");

export interface PlatformConfig {
  name: string;
  env: Record<string, string | undefined>;
  /** CPU flags (from /proc/cpuinfo) the kernels need; without them OpenBLAS would die of an illegal instruction. */
  needsFlags: string[];
  notebooks: boolean;
}

export const PLATFORM_CONFIGS: PlatformConfig[] = [
  { name: "default", env: { KDH_BACKEND: "blas", OPENBLAS_CORETYPE: undefined }, needsFlags: [], notebooks: true },
  { name: "Haswell", env: { KDH_BACKEND: "blas", OPENBLAS_CORETYPE: "Haswell" }, needsFlags: ["avx2"], notebooks: true },
  { name: "SkylakeX", env: { KDH_BACKEND: "blas", OPENBLAS_CORETYPE: "SkylakeX" }, needsFlags: ["avx512f"], notebooks: true },
  { name: "Cooperlake", env: { KDH_BACKEND: "blas", OPENBLAS_CORETYPE: "Cooperlake" }, needsFlags: ["avx512f", "avx512_bf16"], notebooks: true },
  { name: "Zen", env: { KDH_BACKEND: "blas", OPENBLAS_CORETYPE: "Zen" }, needsFlags: ["avx2"], notebooks: true },
  { name: "Prescott", env: { KDH_BACKEND: "blas", OPENBLAS_CORETYPE: "Prescott" }, needsFlags: ["pni"], notebooks: true }, // Linux lists SSE3 as "pni"
  { name: "wasm", env: { KDH_BACKEND: "wasm" }, needsFlags: [], notebooks: true },
  { name: "cpu", env: { KDH_BACKEND: "cpu" }, needsFlags: [], notebooks: false },
];

/** The flags of the first processor in /proc/cpuinfo (empty where there is none, e.g. not Linux). */
export function cpuFlags(cpuinfo = fs.existsSync("/proc/cpuinfo") ? fs.readFileSync("/proc/cpuinfo", "utf8") : ""): Set<string> {
  const line = /^flags\s*:\s*(.*)$/m.exec(cpuinfo);
  return new Set(line ? line[1].trim().split(/\s+/) : []);
}

export interface PlatformArgs {
  unitOnly: boolean;
  configs: PlatformConfig[];
  only: string[];
}

export function parsePlatformArgs(argv: string[]): PlatformArgs {
  const out: PlatformArgs = { unitOnly: false, configs: PLATFORM_CONFIGS, only: [] };
  const names = PLATFORM_CONFIGS.map((c) => c.name);
  const list = (v: string | undefined, flag: string) => {
    if (!v) throw new Error(`${flag} needs a value, e.g. ${flag} wasm,SkylakeX`);
    return v.split(",").map((s) => s.trim()).filter(Boolean);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, undefined];
    if (flag === "--unit-only") out.unitOnly = true;
    else if (flag === "--configs") {
      const want = list(inline ?? argv[++i], "--configs");
      const unknown = want.filter((w) => !names.includes(w));
      if (unknown.length) throw new Error(`unknown configuration ${unknown.map((u) => JSON.stringify(u)).join(", ")}; valid: ${names.join(", ")}`);
      out.configs = PLATFORM_CONFIGS.filter((c) => want.includes(c.name));
    } else if (flag === "--only") out.only.push(...list(inline ?? argv[++i], "--only"));
    else throw new Error(`unknown argument ${JSON.stringify(a)}; usage: tsx scripts/test-platforms.ts [--unit-only] [--configs ${names.join(",")}] [--only NOTEBOOK[,NOTEBOOK]]`);
  }
  return out;
}

interface Cell {
  status: "passed" | "FAILED" | "skipped" | "-";
  detail: string;
}

function runStage(args: string[], env: NodeJS.ProcessEnv, log: string): Promise<{ code: number; output: string; seconds: number }> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    const out = fs.createWriteStream(log);
    let output = "";
    const take = (d: Buffer) => {
      output += d.toString();
      out.write(d);
    };
    child.stdout.on("data", take);
    child.stderr.on("data", take);
    child.on("error", (e) => (output += e.message));
    child.on("close", (code) => {
      out.end();
      resolve({ code: code ?? 1, output, seconds: (Date.now() - t0) / 1000 });
    });
  });
}

function cellOf(r: { code: number; output: string; seconds: number }): Cell {
  const counts = stageCounts(r.output);
  const ok = r.code === 0 && counts !== undefined && counts.failed === 0;
  const tally = counts ? `${counts.passed} passed, ${counts.failed} failed` : `exit ${r.code}`;
  return { status: ok ? "passed" : "FAILED", detail: `${tally}, ${r.seconds.toFixed(0)} s` };
}

async function main(): Promise<number> {
  let args: PlatformArgs;
  try {
    args = parsePlatformArgs(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    return 2;
  }
  const flags = cpuFlags();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "kdh-platforms-"));
  console.log(`test:platforms: ${args.configs.map((c) => c.name).join(", ")}; logs in ${work}`);
  const rows: { config: string; unit: Cell; notebooks: Cell }[] = [];
  for (const cfg of args.configs) {
    const missing = cfg.needsFlags.filter((f) => flags.size > 0 && !flags.has(f));
    if (missing.length) {
      const why: Cell = { status: "skipped", detail: `this CPU lacks ${missing.join(", ")}` };
      rows.push({ config: cfg.name, unit: why, notebooks: why });
      console.log(`== ${cfg.name}: skipped (${why.detail})`);
      continue;
    }
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const [k, v] of Object.entries(cfg.env)) v === undefined ? delete env[k] : (env[k] = v);
    const dir = path.join(work, cfg.name);
    fs.mkdirSync(dir, { recursive: true });
    env.KDH_REPORTS_DIR = path.join(dir, "reports");
    env.KDH_CACHE_DIR = path.join(dir, "cache");
    console.log(`== ${cfg.name}: unit tests`);
    const unit = cellOf(await runStage(["scripts/test.ts", "--unit-only"], env, path.join(dir, "unit.log")));
    console.log(`   ${unit.status} (${unit.detail})`);
    let notebooks: Cell = { status: "-", detail: args.unitOnly ? "not asked for (--unit-only)" : "unit tests only on this backend (the notebooks would take hours)" };
    if (cfg.notebooks && !args.unitOnly) {
      console.log(`== ${cfg.name}: notebooks (quick mode)`);
      const only = args.only.length ? ["--only", args.only.join(",")] : [];
      notebooks = cellOf(await runStage(["scripts/reproduce.ts", "--quick", ...only], env, path.join(dir, "notebooks.log")));
      console.log(`   ${notebooks.status} (${notebooks.detail})`);
    }
    rows.push({ config: cfg.name, unit, notebooks });
  }
  const describe = (c: PlatformConfig) => (c.env.KDH_BACKEND === "blas" ? `blas, OPENBLAS_CORETYPE=${c.env.OPENBLAS_CORETYPE ?? "(unset: OpenBLAS chooses)"}` : c.env.KDH_BACKEND!);
  console.log(`\n| configuration | backend | unit tests | quick notebooks |\n|---|---|---|---|`);
  for (const r of rows) {
    const cfg = PLATFORM_CONFIGS.find((c) => c.name === r.config)!;
    console.log(`| ${r.config} | ${describe(cfg)} | ${r.unit.status} (${r.unit.detail}) | ${r.notebooks.status} (${r.notebooks.detail}) |`);
  }
  const cells = rows.flatMap((r) => [r.unit, r.notebooks]);
  const passed = cells.filter((c) => c.status === "passed").length;
  const failed = cells.filter((c) => c.status === "FAILED").length;
  console.log(`\nCPU: ${os.cpus()[0]?.model ?? "unknown"}; logs in ${work}`);
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
