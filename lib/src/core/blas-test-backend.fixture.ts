/**
 * For the tests of the blas backend's kernels: make `blas` the active backend, or say why it cannot be
 * (no native addon on this machine), so that those tests skip with the reason instead of failing.
 */
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "./backend";
import { BLAS_BACKEND, registerBlasBackend } from "./blas-backend";

/** Resolves to false when `blas` is active, else to the reason a test should give for skipping. */
export async function selectBlasForTest(): Promise<string | false> {
  await initBackend();
  try {
    registerBlasBackend();
    return (await tf.setBackend(BLAS_BACKEND)) ? false : "tf.setBackend('blas') returned false";
  } catch (e) {
    return `blas backend unavailable here: ${(e as Error).message}`;
  }
}
