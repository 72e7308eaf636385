/**
 * Parameter rules used across recipes, so "a size" or "a list of seeds" means the same everywhere.
 * Each returns a fresh `ParamRule` (see core/config.ts); `what` names the parameter in error messages.
 */
import type { ParamRule } from "../core/config";

/** A count of things (images, units, steps, trials): a whole number ≥ 1 (≤ max when given). */
export const size = (what: string, max?: number): ParamRule => ({ integer: true, min: 1, ...(max !== undefined ? { max } : {}), what });
/** A list of counts, e.g. hidden layer widths. */
export const sizes = (what: string, minLength = 1, maxLength?: number): ParamRule => ({ integer: true, min: 1, minLength, ...(maxLength !== undefined ? { maxLength } : {}), what });
/** A list of seeds: at least one whole number ≥ 0. */
export const seeds = (what = "seeds, one run each"): ParamRule => ({ integer: true, min: 0, minLength: 1, what });
/** One seed. */
export const seed = (what = "seed"): ParamRule => ({ integer: true, min: 0, what });
/** Passes over the data: a whole number from 1 to max (default 1000, far beyond any recipe here). */
export const epochs = (what = "training epochs", max = 1000): ParamRule => ({ integer: true, min: 1, max, what });
/** A softmax temperature (or a list of them): > 0, written as ≥ 0.01. */
export const temperature = (what = "softmax temperature"): ParamRule => ({ min: 0.01, max: 10000, what });
export const temperatures = (what = "softmax temperatures"): ParamRule => ({ min: 0.01, max: 10000, minLength: 1, what });
/** A fraction or probability in [0, 1] (or a list of them). */
export const fraction = (what: string): ParamRule => ({ min: 0, max: 1, what });
export const fractions = (what: string): ParamRule => ({ min: 0, max: 1, minLength: 1, what });
/** A fraction strictly below 1 (dropout, validation share): [0, 0.95]. */
export const share = (what: string): ParamRule => ({ min: 0, max: 0.95, what });
/** A learning rate (or list of them): (0, 10]. */
export const learningRate = (what = "learning rate"): ParamRule => ({ min: 1e-7, max: 10, what });
export const learningRates = (what = "learning rates tried"): ParamRule => ({ min: 1e-7, max: 10, minLength: 1, what });
/** A non-negative number (a decay strength, a noise level, a scale). */
export const nonNegative = (what: string, max?: number): ParamRule => ({ min: 0, ...(max !== undefined ? { max } : {}), what });
/** A choice among named values. */
export const oneOf = (what: string, ...values: (string | number)[]): ParamRule => ({ oneOf: values, what });
/** A boolean switch: the type check of notebookParams is the whole rule; declared so every key has one. */
export const flag = (what: string): ParamRule => ({ what });
