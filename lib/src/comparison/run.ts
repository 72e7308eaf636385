/**
 * Running the comparison: every registered method for every seed on one shared task, each row taken
 * from the row cache when its config hash matches and computed otherwise. Teachers and the small
 * student are memoised for the run (and cached on disk by the teacher cache), so a distillation row
 * and a pruning row of one seed start from the very same teacher.
 */
import { progressLine } from "../core/display";
import type { ProgressSink } from "../core/train";
import { cachedRow, RowResult } from "./row-cache";
import { ComparisonTask } from "./task";
import { codeVersion, TRAINING_CODE_MODULES } from "../core/code-version";
import { catalogEntry } from "../catalog/catalog";

/**
 * The code version of a row: the training code, the comparison's own modules and the lib modules the
 * method's catalog entry names, so a change to any of them recomputes the row instead of loading it.
 */
export function rowCodeVersion(notebook: string): string {
  return codeVersion([...TRAINING_CODE_MODULES, "comparison/methods.ts", "comparison/task.ts", ...catalogEntry(notebook).libModules]);
}
import { COMPARISON_METHODS, ComparisonConfig, ComparisonContext, comparisonMethod, MethodRow, TrainedNet, trainComparisonSmallStudent, trainComparisonTeacher } from "./methods";

export interface ComparisonEntry {
  method: string;
  seed: number;
  /** undefined when the row is pending (see `pending`). */
  result?: RowResult<MethodRow>;
  pending?: string;
}

export interface RunComparisonOptions {
  /** Which methods to run (default: all registered). */
  methods?: string[];
  /** Recompute every row even when a matching record exists. */
  refresh?: boolean;
  /** Folder of the row cache (default `<cacheDir>/comparison`). */
  cacheDir?: string;
  log?: (line: string) => void;
  /** Progress sink for the trainers; default a live line. `null` silences it. */
  progress?: ProgressSink | null;
}

function checkRowShape(row: MethodRow): string | undefined {
  for (const k of ["accuracy", "nonZeroParams", "inferenceMsPer1000"] as const) {
    if (typeof row[k] !== "number" || !Number.isFinite(row[k])) return `${k} is ${String(row[k])}`;
  }
  if (row.accuracy < 0 || row.accuracy > 1) return `accuracy ${row.accuracy} is outside [0, 1]`;
  return undefined;
}

export async function runComparison(task: ComparisonTask, config: ComparisonConfig, opts: RunComparisonOptions = {}): Promise<ComparisonEntry[]> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const names = opts.methods ?? COMPARISON_METHODS.map((m) => m.name);
  const methods = names.map(comparisonMethod);
  if (!config.seeds.length) throw new Error("seeds is empty; give at least one seed, e.g. [1, 2]");
  const progress = opts.progress === undefined ? (progressLine("comparison") as ProgressSink) : opts.progress;

  const teachers = new Map<number, Promise<TrainedNet>>();
  const students = new Map<number, Promise<TrainedNet>>();
  const rows = new Map<string, Promise<RowResult<MethodRow>>>();

  const ctx: ComparisonContext = {
    task,
    config,
    log,
    progress,
    teacher(seed) {
      if (!teachers.has(seed)) teachers.set(seed, trainComparisonTeacher(task, config, seed, progress, log));
      return teachers.get(seed)!;
    },
    smallStudent(seed) {
      if (!students.has(seed)) students.set(seed, trainComparisonSmallStudent(task, config, seed, progress, log));
      return students.get(seed)!;
    },
    row(name, seed) {
      const m = comparisonMethod(name);
      const s = m.seedDependent ? seed : config.seeds[0];
      const key = `${name}:${s}`;
      if (!rows.has(key)) {
        rows.set(
          key,
          cachedRow<MethodRow>({ method: name, config: m.config(config), seed: s, task: task.identity, code: rowCodeVersion(m.notebook) }, () => m.run(ctx, s), {
            dir: opts.cacheDir,
            log,
            refresh: opts.refresh,
            check: checkRowShape,
          }),
        );
      }
      return rows.get(key)!;
    },
  };

  const out: ComparisonEntry[] = [];
  try {
    for (const m of methods) {
      const seeds = m.seedDependent ? config.seeds : [config.seeds[0]];
      for (const seed of seeds) {
        const pending = m.pending?.();
        if (pending) {
          out.push({ method: m.name, seed, pending });
          continue;
        }
        progress?.update(`${m.name}, seed ${seed}`);
        out.push({ method: m.name, seed, result: await ctx.row(m.name, seed) });
      }
    }
    progress?.done(`${out.filter((e) => e.result).length} rows (${out.filter((e) => e.result?.source === "cached").length} from the row cache), ${out.filter((e) => e.pending).length} pending`);
    return out;
  } finally {
    for (const p of [...teachers.values(), ...students.values()]) {
      try {
        (await p).net.dispose();
      } catch {
        /* a failed training has nothing to dispose; its error already propagated */
      }
    }
  }
}
