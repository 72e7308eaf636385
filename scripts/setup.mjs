#!/usr/bin/env node
/**
 * One-shot, idempotent setup for a fresh clone: Debian packages (Jupyter, Fashion-MNIST, OpenBLAS;
 * with --browser: chromium, poppler-utils for the PDF check and the classic jupyter-notebook server for the
 * interactive test; PyTorch with --peer), npm packages, the tslab kernel, and a build of lib/.
 * Each step checks first and does nothing when already done, so `npm run reproduce` stays fast on
 * the second run. Plain Node ESM with no dependencies: it runs before node_modules exists.
 *
 * Usage: node scripts/setup.mjs [--browser] [--peer]
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const JUPYTER = "/usr/bin/jupyter";

const BASE_PACKAGES = [
  "jupyter-nbconvert",
  "python3-nbclient",
  "jupyter-client",
  "jupyter-core",
  "python3-ipykernel",
  "dataset-fashion-mnist",
  "libopenblas-dev",
  "libopenblas0-pthread",
  // oneDNN: the blas backend's convolutions (the addon builds without it, slower, when it is absent).
  "libdnnl-dev",
  // The blas backend's addon (native/) is compiled at install time against OpenBLAS (and oneDNN).
  "gcc",
  // Sweeps (npm run sweep) start their own private redis-server; the package's service is not used.
  "redis-server",
];

const argv = process.argv.slice(2);
const KNOWN = new Set(["--browser", "--peer"]);
for (const a of argv) {
  if (!KNOWN.has(a)) fail(`unknown argument ${JSON.stringify(a)}; expected any of ${[...KNOWN].join(", ")}`);
}
const packages = [...BASE_PACKAGES];
if (argv.includes("--browser")) packages.push("chromium", "poppler-utils", "jupyter-notebook");
if (argv.includes("--peer")) packages.push("python3-torch");

function step(msg) {
  console.log(`[setup] ${msg}`);
}

function fail(msg) {
  console.error(`[setup] FAILED: ${msg}`);
  process.exit(1);
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: opts.capture ? ["ignore", "pipe", "pipe"] : "inherit", encoding: "utf8", cwd: ROOT, ...opts });
  if (r.error) return { status: 127, stdout: "", stderr: String(r.error.message) };
  return { status: r.status ?? 1, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

function isDebian() {
  return fs.existsSync("/etc/debian_version") && fs.existsSync("/usr/bin/dpkg-query");
}

/** A package counts as present only when dpkg says "install ok installed". */
function missingPackages(names) {
  if (!isDebian()) return names;
  return names.filter((name) => {
    const r = run("dpkg-query", ["-W", "-f=${Status}", name], { capture: true });
    return !(r.status === 0 && r.stdout.trim() === "install ok installed");
  });
}

// 1. Debian packages.
function systemPackages() {
  const missing = missingPackages(packages);
  if (missing.length === 0) {
    step(`system packages present (${packages.length})`);
    return;
  }
  const cmd = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(" ")}`;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (isDebian() && isRoot) {
    step(`installing ${missing.join(" ")}`);
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    if (run("apt-get", ["update"], { env }).status !== 0) fail("apt-get update failed (see above); is the Debian mirror reachable?");
    const r = run("apt-get", ["install", "-y", "--no-install-recommends", ...missing], { env });
    if (r.status !== 0) fail(`apt-get install ${missing.join(" ")} failed (see above)`);
    const still = missingPackages(missing);
    if (still.length) fail(`still missing after apt-get install: ${still.join(" ")}`);
    return;
  }
  // Not root or not Debian: tell the user what to run, and go on only if the tools we need exist.
  step(`missing system packages: ${missing.join(" ")}`);
  step(`run as root:  ${isDebian() ? "sudo " : ""}sh -c '${cmd}'${isDebian() ? "" : "  (or your system's equivalents)"}`);
  const needJupyter = !fs.existsSync(JUPYTER);
  const needChromium = argv.includes("--browser") && !fs.existsSync("/usr/bin/chromium");
  if (needJupyter || needChromium) {
    fail(`${needJupyter ? JUPYTER : "/usr/bin/chromium"} is required and absent; install the packages above, then rerun.`);
  }
  step("continuing: Jupyter is present");
}

// 2. npm packages.
function npmPackages() {
  const nm = path.join(ROOT, "node_modules");
  const lock = path.join(ROOT, "package-lock.json");
  const stamp = path.join(nm, ".package-lock.json");
  const hasLock = fs.existsSync(lock);
  const stale = !fs.existsSync(nm) || !fs.existsSync(stamp) || (hasLock && fs.statSync(lock).mtimeMs > fs.statSync(stamp).mtimeMs);
  if (!stale) {
    step("node_modules up to date");
    return;
  }
  const verb = hasLock ? "ci" : "install";
  // @tensorflow/tfjs-node is optional: offline its install script fails and npm carries on.
  step(`npm ${verb} (the optional @tensorflow/tfjs-node may fail to build offline; that is expected)`);
  const r = run("npm", [verb, "--no-audit", "--no-fund"]);
  if (r.status !== 0) fail(`npm ${verb} failed (see above)`);
}

// 3. The tslab kernel: the suite's launcher (scripts/kernel/launch.cjs runs tslab as npm installed it,
// with ZeroMQ sends that are never refused or held back in long cells), registered as "tslab" so Jupyter
// opened on the notebooks runs the same kernel as `npm run reproduce`. A stock registration (argv
// "tslab") is replaced; one from another checkout of the suite is kept (its launcher finds tslab from
// the notebook's folder).
function kernel() {
  const env = { ...process.env, PYDEVD_DISABLE_FILE_VALIDATION: "1" };
  const r = run(JUPYTER, ["kernelspec", "list", "--json"], { capture: true, env });
  if (r.status !== 0) fail(`${JUPYTER} kernelspec list failed: ${r.stderr.trim().split("\n").pop()}`);
  let spec;
  try {
    spec = JSON.parse(r.stdout).kernelspecs?.tslab?.spec;
  } catch {
    fail(`${JUPYTER} kernelspec list --json printed no JSON: ${r.stdout.slice(0, 200)}`);
  }
  const launcher = (spec?.argv ?? []).find((a) => /scripts[\\/]kernel[\\/]launch\.cjs$/.test(a));
  if (launcher && fs.existsSync(launcher)) {
    step(`tslab kernel registered (${launcher})`);
    return;
  }
  const mine = path.join(ROOT, "scripts", "kernel", "launch.cjs");
  step(`${spec ? "replacing the registered tslab kernel with" : "registering"} the suite's tslab kernel (${mine})`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "kdh-kernelspec-"));
  try {
    const dir = path.join(tmp, "tslab");
    fs.mkdirSync(dir);
    const json = { argv: ["node", mine, "kernel", "--config-path", "{connection_file}"], display_name: "TypeScript", language: "typescript" };
    fs.writeFileSync(path.join(dir, "kernel.json"), JSON.stringify(json, null, 1));
    const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
    const inst = run(JUPYTER, ["kernelspec", "install", "--replace", "--name", "tslab", ...(isRoot ? [] : ["--user"]), dir], { env });
    if (inst.status !== 0) fail("jupyter kernelspec install failed (see above)");
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

// 4. Build datasets/ and lib/ (tsc -b is incremental: a no-op when nothing changed).
// 4a. The OpenBLAS addon behind the blas backend. npm's postinstall builds it too; building here as
// well covers installs that skipped scripts. It never fails setup: without it the library falls back
// to the wasm backend and says why.
function nativeAddon() {
  const r = run(process.execPath, [path.join(ROOT, "native", "build.mjs")]);
  if (r.status !== 0) step("the OpenBLAS addon did not build; notebooks will use the wasm backend (see above)");
}

function build() {
  const tsc = path.join(ROOT, "node_modules", ".bin", "tsc");
  const r = run(tsc, ["-b"]);
  if (r.status !== 0) fail("npx tsc -b failed (see the type errors above)");
  step("built datasets/ and lib/ (tsc -b)");
}

const t0 = Date.now();
systemPackages();
npmPackages();
nativeAddon();
kernel();
build();
step(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
