#!/usr/bin/env node
/**
 * The suite's tslab kernel: tslab exactly as npm installed it, started after the zeromq it loads has
 * been patched so that sends are never refused or held back (serial-send.cjs says why: without it a
 * long cell that updates a progress display can fail with no message, printed lines vanish, and live
 * output stops).
 *
 * The kernel spec in scripts/kernel/jupyter/kernels/tslab runs this file (the runner puts that folder
 * on JUPYTER_PATH); `node scripts/setup.mjs` registers it as the "tslab" kernel for Jupyter itself.
 *
 * usage: node launch.cjs kernel --config-path CONNECTION_FILE [--js]
 *
 * tslab is taken from the notebook's folder upwards, as tslab itself does (a project's own tslab wins),
 * else from beside this file. The zeromq patched is the one that tslab loads.
 */
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const { createRequire } = require("node:module");
const { serialiseSends, sendsSerialised } = require("./serial-send.cjs");

/**
 * The versions whose code was read for this fix: tslab sends without awaiting (dist/jupyter.js,
 * ZmqMessage.signAndSend) and zeromq 6 throws EBUSY on a send while one is deferred. Another version
 * still gets the patched sends (they are correct for any zeromq 6), with a warning to re-check.
 */
const CHECKED = { tslab: "1.0.22", zeromqMajor: 6 };

const USAGE = "usage: node launch.cjs kernel --config-path CONNECTION_FILE [--js]";

/** Parse the kernel spec's argv; throws naming the bad argument. */
function parseArgs(argv) {
  let configPath;
  let jsKernel = false;
  if (argv[0] !== "kernel") throw new Error(`expected the command "kernel" first, got ${JSON.stringify(argv[0])}; ${USAGE}`);
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--config-path" && i + 1 < argv.length) configPath = argv[++i];
    else if (a.startsWith("--config-path=")) configPath = a.slice("--config-path=".length);
    else if (a === "--js") jsKernel = true;
    else throw new Error(`unknown argument ${JSON.stringify(a)}; ${USAGE}`);
  }
  if (!configPath) throw new Error(`--config-path CONNECTION_FILE is required; ${USAGE}`);
  return { configPath, jsKernel };
}

/** The directory of the tslab package that serves a notebook run in `cwd`, or undefined. */
function findTslab(cwd, fallbackDir) {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (path.basename(dir) !== "node_modules" && fs.existsSync(path.join(dir, "node_modules", "tslab", "dist", "main.js"))) {
      return path.join(dir, "node_modules", "tslab");
    }
    if (path.dirname(dir) === dir) break;
  }
  try {
    return path.dirname(require.resolve("tslab/package.json", { paths: [fallbackDir] }));
  } catch {
    return undefined;
  }
}

/**
 * Load tslab and its zeromq, patch the sockets' send, and return tslab's startKernel.
 * @returns {{ startKernel: Function, tslabDir: string, versions: { tslab: string, zeromq: string }, warnings: string[] }}
 */
function prepareKernel(cwd = process.cwd()) {
  const tslabDir = findTslab(cwd, __dirname);
  if (!tslabDir) throw new Error(`tslab is not installed for ${cwd} nor for ${__dirname}; run \`npm install\` in the project and retry`);
  const fromTslab = createRequire(path.join(tslabDir, "dist", "jupyter.js"));
  const zmq = fromTslab("zeromq");
  serialiseSends(zmq);
  if (!sendsSerialised(zmq)) throw new Error("the zeromq sockets' send could not be patched");
  const versions = {
    tslab: JSON.parse(fs.readFileSync(path.join(tslabDir, "package.json"), "utf8")).version,
    zeromq: JSON.parse(fs.readFileSync(path.join(path.dirname(fromTslab.resolve("zeromq/package.json")), "package.json"), "utf8")).version,
  };
  const warnings = [];
  if (versions.tslab !== CHECKED.tslab) warnings.push(`tslab ${versions.tslab} (checked: ${CHECKED.tslab}): re-check that its sends still need the patch`);
  if (Number(versions.zeromq.split(".")[0]) !== CHECKED.zeromqMajor) warnings.push(`zeromq ${versions.zeromq} (checked: ${CHECKED.zeromqMajor}.x): re-check scripts/kernel/serial-send.cjs against its send()`);
  const { startKernel } = require(path.join(tslabDir, "dist", "main.js"));
  return { startKernel, tslabDir, versions, warnings };
}

function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(e.message);
    process.exit(2);
  }
  const { startKernel, versions, warnings } = prepareKernel();
  for (const w of warnings) console.error(`[kdh kernel] warning: ${w}`);
  // enableFindLocal: false: the tslab found above is the one to run (it is the one whose zeromq is patched).
  startKernel({ configPath: args.configPath, jsKernel: args.jsKernel, enableFindLocal: false, globalVersion: versions.tslab });
}

if (require.main === module) main();

module.exports = { parseArgs, findTslab, prepareKernel, CHECKED };
