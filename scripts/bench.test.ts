/** Tests for the benchmark's own arithmetic. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mlpStepFlops } from "./bench";

test("mlpStepFlops counts forward, weight-gradient and (past the first layer) input-gradient products", () => {
  // By hand, 784-1200-1200-10 at batch 128 (2 flops per multiply-add, 2 * 128 = 256):
  //   forward   256 * (784*1200 + 1200*1200 + 1200*10) = 612,556,800
  //   dW        the same                                 = 612,556,800
  //   dX        256 * (1200*1200 + 1200*10)             = 371,712,000
  assert.equal(mlpStepFlops([784, 1200, 1200, 10], 128), 1_596_825_600);
  // One layer: no input gradient.
  assert.equal(mlpStepFlops([2, 3], 1), 2 * 6 * 2);
});
