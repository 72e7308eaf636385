/**
 * Notebook 90's grid: one job per comparison row (method × seed; a method whose numbers cannot depend on
 * the seed runs once, at the first seed, as in runComparison). A job computes its row through the row
 * cache exactly as runComparison does, and the client writes the returned row into its own row cache,
 * so the notebook, run afterwards, finds every row with a matching config hash and only renders.
 * Teachers and the small student are trained under the sweep's lock, so two workers never train the
 * same one at once; the teacher cache (shared folder) hands them to the other workers.
 */
import { COMPARISON_DEFAULTS, COMPARISON_METHODS, comparisonMethod, trainComparisonSmallStudent, trainComparisonTeacher, type ComparisonConfig, type ComparisonContext, type MethodRow, type TrainedNet } from "../comparison/methods";
import { cachedRow, rowConfigHash, type RowKey, type RowResult } from "../comparison/row-cache";
import { rowCodeVersion } from "../comparison/run";
import { RECIPES } from "../catalog/catalog";
import { loadComparisonTask, type ComparisonTask } from "../comparison/task";
import { stableHash, stableStringify } from "../core/store";
import type { GridCell, JobContext, JobValue, SweepRecipe } from "./recipe";

export type ComparisonJobParams = ComparisonConfig & { method: string; [key: string]: JobValue };

/** A comparison job's row: the method's row plus the key it is cached under. */
export interface ComparisonJobRow {
  method: string;
  seed: number;
  configHash: string;
  config: unknown;
  task: unknown;
  row: MethodRow;
}

/** Notebook 90's recipe in the catalog (its `refresh` flag is the notebook's business, not a job's). */
const NB = RECIPES["90_historical_comparison"];
const { refresh: _r, ...CONFIG_RULES } = NB.rules;

const METHOD_NAMES = COMPARISON_METHODS.map((m) => m.name);

// One worker process keeps the task of the grid it serves (loading the digits once).
const tasks = new Map<string, ComparisonTask>();

function taskFor(c: ComparisonConfig): ComparisonTask {
  const id = stableStringify({ trainSize: c.trainSize, validationSize: c.validationSize, testSize: c.testSize, imageSide: c.imageSide, splitSeed: c.splitSeed });
  let t = tasks.get(id);
  if (!t) tasks.set(id, (t = loadComparisonTask(c)));
  return t;
}

function rowKey(method: string, config: ComparisonConfig, seed: number, task: ComparisonTask): RowKey {
  return { method, config: comparisonMethod(method).config(config), seed, task: task.identity, code: rowCodeVersion(comparisonMethod(method).notebook) };
}

async function runRow(p: ComparisonJobParams, seed: number, jobCtx: JobContext): Promise<ComparisonJobRow> {
  const { method, ...config } = p;
  const task = taskFor(config);
  const teachers = new Map<number, Promise<TrainedNet>>();
  const students = new Map<number, Promise<TrainedNet>>();
  const rows = new Map<string, Promise<RowResult<MethodRow>>>();
  const lockId = stableHash({ config, task: task.identity.fingerprint });
  const ctx: ComparisonContext = {
    task,
    config,
    log: jobCtx.log,
    progress: null,
    teacher(s) {
      if (!teachers.has(s)) teachers.set(s, jobCtx.exclusive(`teacher of notebook 90, seed ${s} (${lockId})`, () => trainComparisonTeacher(task, config, s, null, jobCtx.log)));
      return teachers.get(s)!;
    },
    smallStudent(s) {
      if (!students.has(s)) students.set(s, jobCtx.exclusive(`small student of notebook 90, seed ${s} (${lockId})`, () => trainComparisonSmallStudent(task, config, s, null, jobCtx.log)));
      return students.get(s)!;
    },
    row(name, s) {
      const m = comparisonMethod(name);
      const rs = m.seedDependent ? s : config.seeds[0];
      const k = `${name}:${rs}`;
      if (!rows.has(k)) rows.set(k, cachedRow<MethodRow>(rowKey(name, config, rs, task), () => m.run(ctx, rs), { log: jobCtx.log }));
      return rows.get(k)!;
    },
  };
  try {
    const r = await ctx.row(method, seed);
    const key = rowKey(method, config, seed, task);
    return { method, seed, configHash: r.configHash, config: key.config, task: key.task, row: r.row };
  } finally {
    for (const t of [...teachers.values(), ...students.values()]) {
      try {
        (await t).net.dispose();
      } catch {
        /* a failed training has nothing to dispose; its error already propagated */
      }
    }
  }
}

export const COMPARISON_SWEEP: SweepRecipe<ComparisonJobParams, ComparisonJobRow> = {
  name: "90_historical_comparison",
  backend: true,
  title: "one row of notebook 90's comparison (method × seed), stored in the comparison row cache",
  job: {
    defaults: { ...COMPARISON_DEFAULTS, method: METHOD_NAMES[0] } as ComparisonJobParams,
    rules: { ...CONFIG_RULES, method: { oneOf: METHOD_NAMES, what: "comparison method" } },
  },
  notebook: NB as unknown as SweepRecipe["notebook"],
  grid(p) {
    const { refresh: _refresh, ...config } = p as unknown as ComparisonConfig & { refresh: boolean };
    const cells: GridCell<ComparisonJobParams>[] = [];
    for (const m of COMPARISON_METHODS) {
      if (m.pending?.()) continue;
      for (const seed of m.seedDependent ? config.seeds : [config.seeds[0]]) cells.push({ params: { ...config, method: m.name } as ComparisonJobParams, seed });
    }
    return cells;
  },
  run: runRow,
  store: {
    // Rows are loaded by the worker's own row cache; the client only writes what workers return.
    async save(cell, _key, r) {
      const key: RowKey = { method: r.method, config: r.config, seed: r.seed, task: r.task, code: rowCodeVersion(comparisonMethod(r.method).notebook) };
      if (r.method !== cell.params.method || r.seed !== cell.seed) throw new Error(`row for ${r.method} seed ${r.seed} returned for job ${cell.params.method} seed ${cell.seed}`);
      if (rowConfigHash(key) !== r.configHash) throw new Error(`row ${r.method} seed ${r.seed}: returned config hash ${r.configHash} is not the hash of its key (${rowConfigHash(key)})`);
      await cachedRow(key, () => r.row, { refresh: true, log: () => {} });
    },
  },
  checkRow(r) {
    const row = r?.row;
    if (!row || typeof row.accuracy !== "number" || !(row.accuracy >= 0 && row.accuracy <= 1)) return `accuracy ${String(row?.accuracy)} is not in [0, 1]`;
    return undefined;
  },
};
