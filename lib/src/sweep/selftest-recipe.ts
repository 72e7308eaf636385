/**
 * `selftest`: a cheap, deterministic recipe for checking a sweep setup (and for the sweep's own tests
 * and benchmark). A job mixes its parameters and seed into a 32-bit digest by `rounds` rounds of an
 * integer hash, optionally sleeps `sleepMs` first (a stand-in for training time), and fails on purpose
 * when its seed is listed in `failSeeds`. Same (params, seed) → same row, on any worker.
 */
import { stableStringify } from "../core/store";
import type { GridCell, SweepRecipe } from "./recipe";

export interface SelftestParams {
  [key: string]: number | number[] | string;
  /** Grid axis: a label that only changes the digest. */
  variant: number;
  rounds: number;
  sleepMs: number;
  failSeeds: number[];
  tag: string;
}

export interface SelftestRow {
  digest: number;
  variant: number;
  seed: number;
}

/** The digest a selftest job must return (plain-JS reference, also used by the tests). */
export function selftestDigest(params: SelftestParams, seed: number): number {
  let h = 2166136261 >>> 0;
  const text = stableStringify({ variant: params.variant, tag: params.tag, seed });
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  for (let r = 0; r < params.rounds; r++) h = Math.imul(h ^ (h >>> 15), 2246822507 + r) >>> 0;
  return h;
}

const DEFAULTS: SelftestParams = { variant: 0, rounds: 1000, sleepMs: 0, failSeeds: [], tag: "selftest" };

export const SELFTEST_RECIPE: SweepRecipe<SelftestParams, SelftestRow> = {
  name: "selftest",
  title: "a deterministic integer digest per (variant, seed), optionally slowed by a sleep",
  job: {
    defaults: DEFAULTS,
    rules: {
      variant: { integer: true, min: 0, max: 1_000_000, what: "grid variant" },
      rounds: { integer: true, min: 0, max: 1e12, what: "hash rounds per job" },
      sleepMs: { integer: true, min: 0, max: 600_000, what: "milliseconds each job sleeps first" },
      failSeeds: { integer: true, min: 0, maxLength: 1000, what: "seeds whose job fails on purpose" },
    },
  },
  notebook: {
    quick: { variants: 4, seeds: [0, 1], rounds: 1000, sleepMs: 0, failSeeds: [], tag: "selftest" },
    rules: {
      variants: { integer: true, min: 1, max: 10_000, what: "grid variants" },
      seeds: { integer: true, min: 0, minLength: 1, maxLength: 10_000, what: "seeds" },
      rounds: { integer: true, min: 0, max: 1e12, what: "hash rounds per job" },
      sleepMs: { integer: true, min: 0, max: 600_000, what: "milliseconds each job sleeps first" },
      failSeeds: { integer: true, min: 0, what: "seeds whose job fails on purpose" },
    },
  },
  grid(p) {
    const cells: GridCell<SelftestParams>[] = [];
    for (let variant = 0; variant < (p.variants as number); variant++) {
      for (const seed of p.seeds as number[]) {
        cells.push({ params: { variant, rounds: p.rounds as number, sleepMs: p.sleepMs as number, failSeeds: p.failSeeds as number[], tag: p.tag as string }, seed });
      }
    }
    return cells;
  },
  async run(params, seed, ctx) {
    if (params.sleepMs > 0) {
      const steps = Math.max(1, Math.ceil(params.sleepMs / 100));
      for (let i = 0; i < steps; i++) {
        await new Promise((r) => setTimeout(r, params.sleepMs / steps));
        ctx.progress((i + 1) / steps);
      }
    }
    if (params.failSeeds.includes(seed)) throw new Error(`selftest job variant ${params.variant} seed ${seed} fails on purpose (seed listed in failSeeds)`);
    return { digest: selftestDigest(params, seed), variant: params.variant, seed };
  },
  checkRow(row) {
    return Number.isInteger(row?.digest) ? undefined : `digest ${String(row?.digest)} is not an integer`;
  },
};
