/**
 * KDH_FUSED=0 starts a process with the blas backend's fused optimizer updates, losses (cross-entropy and
 * distillation) and layers switched off (tfjs's own op-by-op versions everywhere), to compare results or
 * timings with them; 1 or unset keeps them on. Each module also has a setter (setFusedOptimizers,
 * setFusedCrossEntropy, setFusedDistillation, setFusedLayers) for switching inside one process.
 */
export const FUSED_ENV = "KDH_FUSED";

/** Whether the fused paths start switched on; throws on a value other than 0, 1 or unset. */
export function fusedByDefault(): boolean {
  const raw = process.env[FUSED_ENV];
  if (raw === undefined || raw === "" || raw === "1") return true;
  if (raw === "0") return false;
  throw new Error(`${FUSED_ENV}=${JSON.stringify(raw)} must be 0 (tfjs's op-by-op optimizers, loss and layers) or 1/unset (fused on the blas backend).`);
}
