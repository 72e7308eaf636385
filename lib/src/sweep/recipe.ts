/**
 * What a sweep runs: a recipe is a pure job function over one grid cell, plus the schema of a cell's
 * parameters (defaults fix each key's type; ParamRules fix ranges) and the grid a notebook's parameters
 * expand into. Workers look recipes up by name in a fixed registry (recipes.ts), so a job names code
 * that is already on the worker; it never carries code.
 *
 * A notebook's catalog recipe ({ quick, full, rules }) has the same shape as `notebook` below, so
 * wiring a catalog entry to a sweep is one adapter: which list parameters are the grid's axes.
 */
import type { Mode, ParamRule, ParamRules } from "../core/config";

/** A value a job parameter may hold: the same JSON-able types as a notebook parameter. */
export type JobValue = number | string | boolean | number[] | string[];
export type JobParams = Record<string, JobValue>;

/** One cell of a grid: the job's parameters and its seed. */
export interface GridCell<P extends JobParams = JobParams> {
  params: P;
  seed: number;
}

/** What a running job may use besides its parameters. */
export interface JobContext {
  /** One line of the job's log (redacted and prefixed by the worker). */
  log(line: string): void;
  /** Progress of the job in [0, 1] with a short text (shown by the client). */
  progress(fraction: number, text?: string): void;
  /**
   * Run `fn` while no other worker (on any machine sharing the Redis) runs one with the same name,
   * e.g. training one teacher. Locally it is a plain call: one process runs one job at a time per key.
   */
  exclusive<T>(name: string, fn: () => Promise<T>): Promise<T>;
}

/** Where a recipe keeps finished rows, so a notebook renders from them and reruns skip them. */
export interface RowStore<P extends JobParams, R> {
  /** The stored row of this cell, or undefined when there is none (or it is unusable). */
  load?(cell: GridCell<P>, jobKey: string): R | undefined;
  save(cell: GridCell<P>, jobKey: string, row: R): void | Promise<void>;
}

export interface SweepRecipe<P extends JobParams = JobParams, R = unknown> {
  /** Registry key; the notebook name for notebook grids ("03_temperature"). Letters, digits, - and _. */
  name: string;
  /** One line: what one job computes. */
  title: string;
  /** One job's parameters: defaults give each key its type; rules give ranges (checked on every worker). */
  job: { defaults: P; rules: ParamRules<P> };
  /** The notebook's own parameters (quick, full changes, rules) the grid is expanded from. */
  notebook: { quick: Record<string, JobValue>; full?: Record<string, JobValue>; rules?: ParamRules<Record<string, JobValue>> };
  /** The grid of a resolved set of notebook parameters, in the order the notebook reads its rows. */
  grid(notebookParams: Record<string, JobValue>, mode: Mode): GridCell<P>[];
  /** The job itself: deterministic in (params, seed) on one backend; returns a JSON-able row. */
  run(params: P, seed: number, ctx: JobContext): Promise<R>;
  /** Where rows are kept (default: one JSON record per job key under <cacheDir>/sweep/<name>/). */
  store?: RowStore<P, R>;
  /** True when jobs train or evaluate networks: the TensorFlow.js backend is initialised before the first one. */
  backend?: boolean;
  /** Why a row is unusable (a stored or returned one), or undefined when it is fine. */
  checkRow?(row: R): string | undefined;
}

/** The rule of one element of a list parameter, for the job parameter that takes one element of it. */
export function elementRule(rule: ParamRule | undefined): ParamRule | undefined {
  if (!rule) return undefined;
  const { minLength: _a, maxLength: _b, ...rest } = rule;
  return rest;
}
