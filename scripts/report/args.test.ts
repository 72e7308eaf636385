/** Tests for reproduce's command line: flags, values, prefixes, and clear errors. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { DEFAULT_TIMEOUT, notebookEnv, parseReproduceArgs, selectNotebooks } from "./args";

test("flags parse to the expected settings", () => {
  const cases: Array<[string[], Partial<ReturnType<typeof parseReproduceArgs>>]> = [
    [[], { mode: "quick", only: [], set: {}, timeoutSeconds: DEFAULT_TIMEOUT.quick, html: true, selfContained: false, pdf: false }],
    [["--full"], { mode: "full", timeoutSeconds: DEFAULT_TIMEOUT.full }],
    [["--only", "00,03_obd"], { only: ["00", "03_obd"] }],
    [["--only=01_x.ipynb"], { only: ["01_x"] }],
    [["--set", "epochs=3", "--set=temperatures=1,2"], { set: { epochs: "3", temperatures: "1,2" } }],
    [["--timeout=90", "--full"], { mode: "full", timeoutSeconds: 90 }],
    [["--timeout", "0"], { timeoutSeconds: 0 }],
    [["--no-html"], { html: false }],
    [["--self-contained"], { selfContained: true, html: true }],
    [["--pdf", "--only", "00"], { pdf: true, html: true, only: ["00"] }],
  ];
  for (const [argv, want] of cases) {
    const got = parseReproduceArgs(argv);
    for (const [k, v] of Object.entries(want)) assert.deepEqual(got[k as keyof typeof got], v, `${argv.join(" ")}: ${k}`);
  }
});

test("bad arguments fail with a message naming them", () => {
  const cases: Array<[string[], RegExp]> = [
    [["--fulll"], /unknown argument "--fulll"; valid flags: .*--full/],
    [["00_tour"], /unknown argument "00_tour"/],
    [["--only"], /--only needs a value/],
    [["--set", "epochs"], /--set expects key=value.*"epochs"/],
    [["--timeout=soon"], /--timeout expects a number of seconds.*"soon"/],
    [["--timeout=-5"], /--timeout expects/],
    [["--full=yes"], /--full takes no value/],
    [["--pdf", "--no-html"], /--pdf prints the HTML reports, so it cannot be combined with --no-html/],
    [["--self-contained=1"], /--self-contained takes no value/],
  ];
  for (const [argv, re] of cases) assert.throws(() => parseReproduceArgs(argv), re, argv.join(" "));
});

test("--only selects by prefix, in notebook order, and lists valid names when nothing matches", () => {
  const all = ["00_tour", "01_gmdh", "02_obd", "10_hinton"];
  assert.deepEqual(selectNotebooks(all, []), all);
  assert.deepEqual(selectNotebooks(all, ["10", "0"]), all);
  assert.deepEqual(selectNotebooks(all, ["02"]), ["02_obd"]);
  assert.deepEqual(selectNotebooks(all, ["01_g", "10_h"]), ["01_gmdh", "10_hinton"]);
  assert.throws(() => selectNotebooks(all, ["03"]), /--only "03" matches no notebook; valid names: 00_tour, 01_gmdh, 02_obd, 10_hinton/);
});

test("overrides reach notebooks as KDH_PARAMS, lenient only when shared by several", () => {
  const args = parseReproduceArgs(["--full", "--set", "epochs=3"]);
  assert.deepEqual(notebookEnv(args, 1), { KDH_MODE: "full", KDH_PARAMS: '{"epochs":"3"}', KDH_PARAMS_SOURCE: "--set" });
  assert.deepEqual(notebookEnv(args, 2), { KDH_MODE: "full", KDH_PARAMS: '{"epochs":"3"}', KDH_PARAMS_SOURCE: "--set", KDH_PARAMS_LENIENT: "1" });
  assert.deepEqual(notebookEnv(parseReproduceArgs([]), 5), { KDH_MODE: "quick" });
});
