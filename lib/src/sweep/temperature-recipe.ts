/**
 * Notebook 03's grid (Hinton, Vinyals & Dean 2015, section 3): student width × temperature × seed, one
 * job per distilled student. Every job of one grid shares the section-3 teacher, which it loads from
 * the teacher cache or trains (under the sweep's lock, so two workers never train it at once). A row is
 * the student's test errors; the notebook's heatmap is the mean over seeds of each (width, T) cell.
 */
import type { Mode } from "../core/config";
import { stableHash, stableStringify } from "../core/store";
import type { Mlp } from "../core/models";
// Through the area index: the file that defines it may be renamed without touching this one.
import { sectionTeacher } from "../distillation";
import { buildStudent, distillInto } from "../distillation/students";
import { loadExperimentData, type ExperimentData, type ImageSource } from "../distillation/transfer";
import { RECIPES } from "../catalog/catalog";
import type { HintonTeacherParams } from "../catalog/hinton-teacher";
import { elementRule, type GridCell, type JobContext, type SweepRecipe } from "./recipe";

/** One job: the shared Hinton teacher's recipe (one definition, in the catalog) and one distilled student. */
export type TemperatureCellParams = Omit<HintonTeacherParams, "seeds"> & {
  [key: string]: number | number[] | string;
  /** The notebook's seeds[0]: picks the data split and the teacher. */
  teacherSeed: number;
  width: number;
  T: number;
  studentEpochs: number;
  studentLr: number;
  softWeight: number;
};

export interface TemperatureRow {
  width: number;
  T: number;
  seed: number;
  errors: number;
  testN: number;
}

/** Notebook 03's recipe in the catalog: the grid is expanded from exactly the notebook's parameters. */
const NB = RECIPES["03_temperature"];
const NOTEBOOK_QUICK = NB.quick;
const NOTEBOOK_RULES = NB.rules as Required<typeof NB.rules>;

const { seeds: _s, widths: _w, temperatures: _t, sweepSeeds: _ss, ...SHARED_RULES } = NOTEBOOK_RULES;

const JOB_DEFAULTS: TemperatureCellParams = (() => {
  const { seeds, widths, temperatures, sweepSeeds: _x, ...rest } = NOTEBOOK_QUICK;
  return { ...rest, teacherSeed: seeds[0], width: widths[0], T: temperatures[0] };
})();

/** The data and teacher every job of one 03 grid shares. */
export interface TemperatureSetup {
  data: ExperimentData;
  teacher: Mlp;
}

// One worker process keeps the data and teacher of the grid it is serving (a grid has one of each).
const shared = new Map<string, Promise<TemperatureSetup>>();

/** What identifies a cell's data and teacher: its parameters without the student's. */
function setupId(p: TemperatureCellParams): string {
  const { width: _w, T: _T, studentEpochs: _e, studentLr: _l, softWeight: _sw, ...teacherPart } = p;
  return stableStringify(teacherPart);
}

function dataAndTeacher(p: TemperatureCellParams, ctx: JobContext): Promise<TemperatureSetup> {
  const id = setupId(p);
  let entry = shared.get(id);
  if (!entry) {
    entry = (async () => {
      const data = loadExperimentData({ source: p.source as ImageSource, trainSize: p.trainSize, testSize: p.testSize, imageSize: p.imageSize, seed: p.teacherSeed });
      const t = await ctx.exclusive(`teacher of notebook 03 (${stableHash(id)})`, () => sectionTeacher(data, { ...p, seeds: [p.teacherSeed] }, 0, ctx.log));
      return { data, teacher: t.net as Mlp };
    })();
    entry.catch(() => shared.delete(id));
    shared.set(id, entry);
  }
  return entry;
}

export const TEMPERATURE_SWEEP: SweepRecipe<TemperatureCellParams, TemperatureRow> = {
  name: "03_temperature",
  backend: true,
  title: "one distilled student of notebook 03's width × temperature × seed grid: its test errors",
  job: {
    defaults: JOB_DEFAULTS,
    rules: { ...SHARED_RULES, teacherSeed: elementRule(NOTEBOOK_RULES.seeds), width: elementRule(NOTEBOOK_RULES.widths), T: elementRule(NOTEBOOK_RULES.temperatures) },
  },
  notebook: NB as unknown as SweepRecipe["notebook"],
  grid(p: Record<string, unknown>, _mode: Mode): GridCell<TemperatureCellParams>[] {
    const { seeds, widths, temperatures, sweepSeeds, ...rest } = p as typeof NOTEBOOK_QUICK;
    const cells: GridCell<TemperatureCellParams>[] = [];
    for (const width of widths) for (const T of temperatures) for (const seed of sweepSeeds) cells.push({ params: { ...rest, teacherSeed: seeds[0], width, T }, seed });
    return cells;
  },
  async run(p, seed, ctx) {
    const { data, teacher } = await dataAndTeacher(p, ctx);
    const armData = { x: data.trainX, labels: data.train.labels, testX: data.testX, testLabels: data.test.labels, classes: data.classes };
    const net = buildStudent({ hidden: [p.width, p.width], inputSize: data.inputSize, classes: data.classes, seed });
    try {
      const r = await distillInto(net, teacher, armData, { T: p.T, softWeight: p.softWeight, softTerm: "kl" }, { epochs: p.studentEpochs, batchSize: p.batchSize, optimizer: "adam", learningRate: p.studentLr, seed }, { label: `${p.width}-${p.width} T=${p.T} seed ${seed}` }, false);
      return { width: p.width, T: p.T, seed, errors: r.test.errors, testN: data.test.n };
    } finally {
      net.dispose();
    }
  },
  checkRow(row) {
    return Number.isInteger(row?.errors) && row.errors >= 0 && row.errors <= row.testN ? undefined : `errors ${String(row?.errors)} is not a count of at most ${String(row?.testN)}`;
  },
};

/** The (width × T) table of mean test errors over seeds, as notebook 03 plots it, from a sweep's rows. */
export function temperatureTable(rows: TemperatureRow[], widths: number[], temperatures: number[]): number[][] {
  return widths.map((w) =>
    temperatures.map((T) => {
      const cell = rows.filter((r) => r.width === w && r.T === T);
      if (!cell.length) throw new Error(`no row for width ${w}, T = ${T}`);
      return cell.reduce((a, r) => a + r.errors, 0) / cell.length;
    }),
  );
}

/**
 * Jobs of the grid `cell` belongs to, run in this process (the local engine), use `setup` (data and
 * teacher a notebook already loaded with the same parameters) instead of loading their own copies.
 * Returns the function that ends the loan: the lent objects stay the lender's to dispose; without a
 * setup, it disposes whatever the jobs loaded themselves, so a local sweep leaves no tensors behind.
 */
export function lendTemperatureSetup(cell: TemperatureCellParams, setup?: TemperatureSetup): () => void {
  const id = setupId(cell);
  if (!setup) {
    const before = new Set(shared.keys());
    return () => {
      for (const [k, entry] of [...shared.entries()]) {
        if (before.has(k)) continue;
        shared.delete(k);
        entry.then((s) => (s.data.dispose(), s.teacher.dispose()), () => undefined);
      }
    };
  }
  const mismatch: string[] = [];
  const d = setup.data;
  if (d.train.n !== cell.trainSize) mismatch.push(`${d.train.n} training images, the grid says trainSize=${cell.trainSize}`);
  if (d.test.n !== cell.testSize) mismatch.push(`${d.test.n} test images, the grid says testSize=${cell.testSize}`);
  if (d.imageSize !== cell.imageSize) mismatch.push(`images ${d.imageSize}x${d.imageSize}, the grid says imageSize=${cell.imageSize}`);
  if (stableStringify(setup.teacher.spec.hidden) !== stableStringify(cell.teacherHidden)) mismatch.push(`a ${setup.teacher.spec.hidden.join("-")} teacher, the grid says teacherHidden=${cell.teacherHidden.join(",")}`);
  if (mismatch.length) throw new Error(`the data and teacher lent to notebook 03's grid do not match its parameters: ${mismatch.join("; ")}; load them with kdh.hintonSetup(P) from the same parameters`);
  const entry = Promise.resolve(setup);
  shared.set(id, entry);
  return () => {
    if (shared.get(id) === entry) shared.delete(id);
  };
}
