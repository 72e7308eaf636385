#!/usr/bin/env node
/**
 * Builds native/build/kdh_blas.node, the native half of the `blas` TensorFlow.js backend: OpenBLAS for
 * matrix products, and oneDNN for convolutions when its headers and library are installed (Debian:
 * libdnnl-dev); without them the addon is built with im2col + OpenBLAS convolutions instead.
 *
 * Why not node-gyp: it wants to download Node's headers, which an offline machine cannot; Node's own
 * headers ship next to the binary (<prefix>/include/node), so one compiler call is enough. Needs a C
 * compiler and OpenBLAS (Debian: `apt-get install gcc libopenblas-dev libopenblas0-pthread`).
 *
 * Never fails the install: `npm install` runs this as postinstall, and a machine without a compiler or
 * OpenBLAS still gets the wasm backend. It prints one line saying what happened, and exits 0 unless
 * `--strict` is given. The output is written to a temporary name and renamed, so parallel processes
 * that build at the same time never load a half-written file.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const source = path.join(here, "kdh_blas.c");
const dnnlSource = path.join(here, "kdh_dnnl.c");
const poolSource = path.join(here, "kdh_pool.c");
const optimSource = path.join(here, "kdh_optim.c");
const distillSource = path.join(here, "kdh_distill.c");
const dropoutSource = path.join(here, "kdh_dropout.c");
const sources = [source, dnnlSource, poolSource, optimSource, distillSource, dropoutSource, path.join(here, "kdh_conv.h"), path.join(here, "kdh_optim.h"), path.join(here, "kdh_distill.h"), path.join(here, "kdh_dropout.h")];
const outDir = path.join(here, "build");
const target = path.join(outDir, "kdh_blas.node");
const strict = process.argv.includes("--strict");
const quiet = process.argv.includes("--quiet");

function nodeIncludeDirs() {
  const prefix = path.resolve(path.dirname(process.execPath), "..");
  const candidates = [
    path.join(prefix, "include", "node"),
    "/usr/include/node",
    "/usr/local/include/node",
    path.join(process.env.HOME ?? "", ".cache", "node-gyp", process.versions.node, "include", "node"),
  ];
  return candidates.filter((d) => fs.existsSync(path.join(d, "node_api.h")));
}

function done(ok, line) {
  if (!quiet || !ok) console.log(`[kdh_blas] ${line}`);
  process.exit(ok || !strict ? 0 : 1);
}

// Up to date: nothing to do (setup runs this on every `npm run reproduce`).
const newer = (a, b) => fs.existsSync(a) && fs.statSync(a).mtimeMs >= fs.statSync(b).mtimeMs;
if (!process.argv.includes("--force") && sources.every((s) => newer(target, s)) && newer(target, fileURLToPath(import.meta.url))) {
  done(true, `up to date (${path.relative(process.cwd(), target) || target})`);
}

const includes = nodeIncludeDirs();
if (includes.length === 0) {
  done(false, `not built: node_api.h not found next to ${process.execPath} nor in /usr/include/node; ` +
    `install Node's headers (Debian: libnode-dev) to get the fast blas backend; using wasm meanwhile.`);
}
fs.mkdirSync(outDir, { recursive: true });
const tmp = `${target}.${process.pid}.tmp`;
const compilers = [process.env.CC, "cc", "gcc", "clang"].filter(Boolean);
// -lopenblas needs the -dev symlink; -l:libopenblas.so.0 works with only the runtime package installed.
// oneDNN first (it needs its headers, so only libdnnl-dev will do; Debian builds it with OpenMP, hence
// -lgomp for omp_set_num_threads); KDH_BUILD_NO_DNNL=1 builds the im2col-only addon on purpose.
const withDnnl = process.env.KDH_BUILD_NO_DNNL === "1" ? [] : [["-DKDH_WITH_DNNL", dnnlSource, "-ldnnl", "-lgomp"]];
const libs = [];
for (const extra of [...withDnnl, []]) for (const blas of [["-lopenblas"], ["-l:libopenblas.so.0"]]) libs.push([...extra, ...blas]);
let lastErr = "";
const missingCompilers = [];
// -fno-math-errno: no kernel reads errno, and without it sqrtf keeps an errno path that stops Adam's
// update loop from vectorising (kdh_optim.c).
for (const compiler of compilers) {
  for (const lib of libs) {
    const args = ["-O3", "-fno-math-errno", "-std=c11", "-shared", "-fPIC", "-DNODE_GYP_MODULE_NAME=kdh_blas", "-DNAPI_VERSION=8",
      `-I${includes[0]}`, source, poolSource, optimSource, distillSource, dropoutSource, "-o", tmp, ...lib, "-lpthread", "-lm"];
    const r = spawnSync(compiler, args, { encoding: "utf8" });
    if (r.error) { missingCompilers.push(compiler); break; }
    if (r.status === 0) {
      fs.renameSync(tmp, target);
      const conv = lib.includes("-ldnnl") ? "convolutions through oneDNN" :
        `convolutions through im2col + OpenBLAS${withDnnl.length ? " (oneDNN not found: apt-get install libdnnl-dev for faster ones)" : " (oneDNN left out: KDH_BUILD_NO_DNNL=1)"}`;
      done(true, `built ${path.relative(process.cwd(), target) || target} with ${compiler} ${lib.filter((a) => a.startsWith("-")).join(" ")}; ${conv}`);
    }
    lastErr = `${compiler} ${lib.join(" ")}: ${(r.stderr || "").trim().split("\n").slice(-2).join(" | ")}`;
  }
}
try { fs.rmSync(tmp, { force: true }); } catch { /* nothing to clean */ }
if (missingCompilers.length === compilers.length) lastErr = `no C compiler found (tried ${compilers.join(", ")})`;
done(false, `not built (${lastErr.slice(0, 300)}); install a C compiler and OpenBLAS ` +
  `(Debian: apt-get install gcc libopenblas-dev libopenblas0-pthread), then run 'node native/build.mjs'; using wasm meanwhile.`);
