/** The runner's progress line: parsing the driver's lines, formatting, and the terminal/log behaviour. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { formatProgress, NotebookProgress, parseProgressLine } from "./progress";

test("driver progress lines parse; anything else is not progress", () => {
  assert.deepEqual(parseProgressLine('KDH_PROGRESS {"cell": 5, "cells": 23, "text": "epoch 2/5  loss 0.41"}'), { cell: 5, cells: 23, text: "epoch 2/5  loss 0.41" });
  for (const l of ["KDH_RESULT {}", "KDH_PROGRESS {bad", 'KDH_PROGRESS {"cell": "x"}', "epoch 2/5"]) assert.equal(parseProgressLine(l), undefined);
});

test("the line shows cell, elapsed seconds and the cell's last line, cut to the width", () => {
  assert.equal(formatProgress({ cell: 5, cells: 23, text: "epoch 2/5  loss 0.41" }, 35.4), "cell 5/23 · 35 s · epoch 2/5 loss 0.41");
  assert.equal(formatProgress(undefined, 2), "starting the kernel · 2 s");
  assert.equal(formatProgress({ cell: 1, cells: 2, text: "x".repeat(50) }, 0, 20), "cell 1/2 · 0 s · xx…");
});

test("a terminal gets one line rewritten in place; a log gets a line at most every logEveryMs", () => {
  let out = "";
  let t = 0;
  const tty = new NotebookProgress("[1/1] nb … ", { tty: true, write: (s) => (out += s), columns: 80, now: () => t });
  t = 3000;
  tty.update({ cell: 2, cells: 4, text: "epoch 1/3" });
  tty.finish("passed in 3.0 s");
  assert.equal(out, "[1/1] nb … \r[1/1] nb … cell 2/4 · 3 s · epoch 1/3\u001b[K\r[1/1] nb … passed in 3.0 s\u001b[K\n");
  out = "";
  t = 0;
  const log = new NotebookProgress("[1/1] nb … ", { tty: false, write: (s) => (out += s), logEveryMs: 10_000, now: () => t });
  t = 5000;
  log.update({ cell: 2, cells: 4, text: "epoch 1/3" });
  t = 12_000;
  log.update({ cell: 3, cells: 4, text: "epoch 2/3" });
  t = 13_000;
  log.update({ cell: 3, cells: 4, text: "epoch 3/3" });
  log.finish("passed in 13.0 s");
  assert.equal(out, "[1/1] nb … \n    cell 3/4 · 12 s · epoch 2/3\n[1/1] nb … passed in 13.0 s\n");
});
