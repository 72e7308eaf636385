import { test } from "node:test";
import * as assert from "node:assert/strict";
import { FUSED_ENV, fusedByDefault } from "./fused-switch";

test("KDH_FUSED: unset, empty and 1 mean on, 0 off, anything else a clear error", () => {
  const saved = process.env[FUSED_ENV];
  const cases: [string | undefined, boolean | RegExp][] = [
    [undefined, true], ["", true], ["1", true], ["0", false], ["off", /KDH_FUSED="off" must be 0 .* or 1\/unset/], ["true", /must be 0/],
  ];
  try {
    for (const [value, want] of cases) {
      if (value === undefined) delete process.env[FUSED_ENV];
      else process.env[FUSED_ENV] = value;
      if (want instanceof RegExp) assert.throws(() => fusedByDefault(), want, `KDH_FUSED=${value}`);
      else assert.equal(fusedByDefault(), want, `KDH_FUSED=${value}`);
    }
  } finally {
    if (saved === undefined) delete process.env[FUSED_ENV];
    else process.env[FUSED_ENV] = saved;
  }
});
