import { test } from "node:test";
import assert from "node:assert/strict";
import { cpuFlags, parsePlatformArgs, PLATFORM_CONFIGS } from "./test-platforms";

test("platform matrix: every OpenBLAS kernel choice the suite promises, plus wasm and cpu", () => {
  assert.deepEqual(
    PLATFORM_CONFIGS.map((c) => c.name),
    ["default", "Haswell", "SkylakeX", "Cooperlake", "Zen", "Prescott", "wasm", "cpu"],
  );
  assert.equal(PLATFORM_CONFIGS.find((c) => c.name === "default")!.env.OPENBLAS_CORETYPE, undefined, "default unsets the kernel choice");
});

test("platform arguments: configurations by name, bad names refused with the valid list", () => {
  assert.deepEqual(parsePlatformArgs(["--configs", "wasm,SkylakeX"]).configs.map((c) => c.name), ["SkylakeX", "wasm"]);
  assert.equal(parsePlatformArgs(["--unit-only"]).unitOnly, true);
  assert.deepEqual(parsePlatformArgs(["--only=00,02"]).only, ["00", "02"]);
  assert.throws(() => parsePlatformArgs(["--configs", "Skylake"]), /unknown configuration "Skylake"; valid: default, Haswell, SkylakeX/);
  assert.throws(() => parsePlatformArgs(["--configs"]), /--configs needs a value/);
  assert.throws(() => parsePlatformArgs(["--fast"]), /unknown argument "--fast"/);
});

test("CPU flags are read from the first processor's flags line", () => {
  const flags = cpuFlags("processor\t: 0\nflags\t\t: fpu sse3 avx2 avx512f\n\nprocessor\t: 1\nflags\t\t: fpu\n");
  assert.ok(flags.has("avx512f") && flags.has("sse3") && !flags.has("avx512_bf16"));
  assert.equal(cpuFlags("").size, 0);
});
