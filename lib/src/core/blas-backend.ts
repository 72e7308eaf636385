/** Placeholder until the OpenBLAS backend lands (issue 8). */
export function registerBlasBackend(): void {
  throw new Error("the blas backend is not built in this checkout");
}
