/** Tests for display helpers outside a kernel: nothing may crash, text goes to the console. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { bar, inKernel, progressLine, showMarkdown, backendBanner } from "./display";
import { showPlot } from "./plot";
import { showTable } from "./table";

function captureLog(fn: () => void): string[] {
  const lines: string[] = [];
  const orig = console.log;
  console.log = (...a: unknown[]) => void lines.push(a.join(" "));
  try {
    fn();
  } finally {
    console.log = orig;
  }
  return lines;
}

test("outside a kernel: inKernel is false even though tslab is installed", () => {
  assert.equal(inKernel(), false);
});

test("bar draws the fraction in 20 cells", () => {
  const cases: Array<[number | undefined, string]> = [
    [undefined, ""],
    [0, `[${"-".repeat(20)}] `],
    [0.5, `[${"#".repeat(10)}${"-".repeat(10)}] `],
    [1.7, `[${"#".repeat(20)}] `],
  ];
  for (const [f, want] of cases) assert.equal(bar(f), want);
});

test("display helpers print plain lines instead of throwing", () => {
  const lines = captureLog(() => {
    showMarkdown("# hello");
    showTable([{ a: 1 }]);
    showPlot({ data: [{ y: [1, 2] }], layout: { title: "t" } });
    const p = progressLine("train", { minIntervalMs: 0 });
    p.update("epoch 1", 0.5);
    p.done("finished");
  });
  const text = lines.join("\n");
  assert.match(text, /# hello/);
  assert.match(text, /\[figure\] t: 1 trace/);
  assert.match(text, /train: \[#{10}-{10}\] epoch 1/);
  assert.match(text, /train: finished/);
  assert.match(backendBanner(), /not initialised|backend/);
});
