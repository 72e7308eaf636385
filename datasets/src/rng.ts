/**
 * Seeded randomness. Every shuffle, split, initialisation and synthetic data set in the suite draws
 * from here, so one seed reproduces a run on the same backend.
 * Mulberry32 (a 32-bit generator, period 2^32): small, fast, and good enough for shuffles and noise.
 */

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** The seed this generator started from. */
  readonly seed: number;
}

export function checkSeed(seed: number, what = "seed"): number {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new Error(`${what} must be an integer in [0, 2^32), got ${seed}; pass e.g. 0, 1, 2.`);
  }
  return seed;
}

export function makeRng(seed: number): Rng {
  checkSeed(seed);
  let state = seed >>> 0;
  let spare: number | undefined;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    seed,
    next,
    int: (n: number) => {
      if (!Number.isInteger(n) || n <= 0) throw new Error(`rng.int(n) needs a positive integer n, got ${n}`);
      return Math.floor(next() * n);
    },
    normal: () => {
      if (spare !== undefined) {
        const s = spare;
        spare = undefined;
        return s;
      }
      let u = 0;
      while (u === 0) u = next();
      const v = next();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
  };
}

/** A fresh permutation of 0..n-1 (Fisher–Yates). */
export function permutation(n: number, rng: Rng): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

/** Derive an independent seed for a named sub-task, so adding a draw in one place does not shift others. */
export function deriveSeed(seed: number, label: string): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193) >>> 0;
  return h >>> 0;
}
