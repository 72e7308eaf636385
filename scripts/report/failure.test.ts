/** Tests for failure descriptions: the cell number, its source head and the most useful message. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { cellErrorText, describeCellFailure, describeFailure, sourceHead, stripAnsi, withoutThrowLocations, type NbCell } from "./failure";

const cells: NbCell[] = [
  { cell_type: "markdown", source: "# title" },
  { cell_type: "code", source: ["const a = 1;\n", "a;"], outputs: [] },
  {
    cell_type: "code",
    source: "const x = 1;\nconst y = 2;\nconst z = 3;\nfoo(x);",
    outputs: [
      { output_type: "stream", name: "stdout", text: "noise" },
      { output_type: "stream", name: "stderr", text: "\u001b[31m4:1 - Cannot find name 'foo'.\u001b[0m\n" },
      { output_type: "error", ename: "", evalue: "", traceback: [] },
    ],
  },
  { cell_type: "code", source: "throw new Error('boom')", outputs: [{ output_type: "error", ename: "Error", evalue: "boom", traceback: ["Error: boom", "    at ..."] }] },
];

test("a tslab type error: message from the cell's stderr, 1-based cell number, source head", () => {
  const f = describeCellFailure({ kind: "error", message: "<Error>: ", cellIndex: 2 }, cells);
  assert.equal(f.cell, 3);
  assert.equal(f.message, "4:1 - Cannot find name 'foo'.");
  assert.equal(f.sourceHead, "const x = 1;\nconst y = 2;\nconst z = 3;\n…");
  assert.match(describeFailure(f), /^error in cell 3: 4:1 - Cannot find name 'foo'\.\n    > const x = 1;/);
});

test("a thrown error keeps ename: evalue; a timeout keeps the driver's message", () => {
  assert.equal(describeCellFailure({ kind: "error", message: "Error: boom", cellIndex: 3 }, cells).message, "Error: boom");
  const t = describeCellFailure({ kind: "timeout", message: "timed out after 5 s", cellIndex: 1 }, cells);
  assert.deepEqual([t.cell, t.message, t.sourceHead], [2, "timed out after 5 s", "const a = 1;\na;"]);
  assert.match(describeFailure(t), /^timeout in cell 2/);
});

test("a failure outside any cell says so", () => {
  const f = describeCellFailure({ kind: "other", message: "NoSuchKernel: tslab", cellIndex: null }, cells);
  assert.equal(f.cell, undefined);
  assert.match(describeFailure(f), /no cell.*NoSuchKernel/);
});

test("helpers", () => {
  assert.equal(stripAnsi("\u001b[1;31mred\u001b[0m"), "red");
  assert.equal(sourceHead("a\nb"), "a\nb");
  assert.equal(cellErrorText(undefined), "");
});

test("an uncaught library error shows its message, never the file and line it was thrown from", () => {
  // As tslab writes it to the cell's stderr (seen with --set epoch=3 on notebook 00).
  const stderr = [
    "/work/repo/lib/dist/core/config.js:82\n",
    "            throw new Error(`unknown parameter ${JSON.stringify(key)} in ${where}`);\n",
    "            ^\n",
    "\n",
    'Error: unknown parameter "epoch" given with --set epoch=3; valid parameters: seed, logits.\n',
    "    at resolveConfig (/work/repo/lib/dist/core/config.js:82:19)\n",
    "    at evalmachine.<anonymous>:35:20\n",
  ];
  const nb: NbCell[] = [{ cell_type: "code", source: "const params = kdh.notebookParams({ quick });", outputs: [{ output_type: "stream", name: "stderr", text: stderr }, { output_type: "error", ename: "", evalue: "", traceback: [] }] }];
  const f = describeCellFailure({ kind: "error", message: "<Error>: ", cellIndex: 0 }, nb);
  assert.equal(f.message, 'Error: unknown parameter "epoch" given with --set epoch=3; valid parameters: seed, logits.');
  assert.doesNotMatch(describeFailure(f), /config\.js|\^/);
  assert.deepEqual(withoutThrowLocations(["/a/b/idx.js:86", "  throw x;", "  ^", "Error: bad", "context"]), ["Error: bad", "context"]);
});

test("an interrupted run says where it stopped", () => {
  const f = describeCellFailure({ kind: "interrupted", message: "stopped by Ctrl-C after 3.2 s", cellIndex: 1 }, cells);
  assert.equal(describeFailure(f), "interrupted in cell 2: stopped by Ctrl-C after 3.2 s");
});

test("a failed cell with no message and nothing printed says so and what to do, not a bare '<Error>: '", () => {
  const quiet: NbCell[] = [{ cell_type: "code", source: "await kdh.runComparison(task, P);", outputs: [{ output_type: "display_data" } as never] }];
  const f = describeCellFailure({ kind: "error", message: "<Error>: ", cellIndex: 0 }, quiet);
  assert.match(f.message, /gave no message and printed nothing.*run the notebook again/);
  assert.match(describeFailure(f), /^error in cell 1: the kernel reported/);
});
