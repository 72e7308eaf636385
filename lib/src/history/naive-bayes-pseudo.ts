/**
 * A naive-Bayes pseudo-data baseline for model compression.
 *
 * Bucila, Caruana & Niculescu-Mizil (2006) compared MUNGE with RANDOM and with NBE, pseudo-data sampled
 * from a naive-Bayes density estimate (Lowd & Domingos 2005, a mixture of products of independent
 * attributes, its components learnt by EM). This is the simplest member of that family: the mixture
 * components are the training classes themselves, and each attribute is drawn independently, given the
 * class, from the values that attribute takes in that class's training examples (its empirical marginal).
 * So every pseudo-example has the right attribute marginals per class but none of the correlations
 * between attributes, which is exactly what MUNGE keeps and a naive-Bayes sampler loses.
 */
import { makeRng } from "@kdh/datasets";
import type { Table } from "./munge";

export function naiveBayesPseudoData(t: Table, labels: ArrayLike<number>, count: number, seed: number): Table {
  if (!Number.isInteger(t.n) || t.n < 1 || t.x.length !== t.n * t.dim) throw new Error(`naiveBayesPseudoData: the table has n=${t.n}, dim=${t.dim} but ${t.x.length} values; expected n*dim.`);
  if (labels.length !== t.n) throw new Error(`naiveBayesPseudoData: ${labels.length} labels for ${t.n} examples; give one label per example.`);
  if (!Number.isInteger(count) || count < 1) throw new Error(`naiveBayesPseudoData: count=${count} must be a positive integer.`);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < t.n; i++) {
    const y = labels[i];
    if (!Number.isInteger(y) || y < 0) throw new Error(`naiveBayesPseudoData: label ${i} is ${y}; labels must be integers ≥ 0.`);
    if (!byClass.has(y)) byClass.set(y, []);
    byClass.get(y)!.push(i);
  }
  const rng = makeRng(seed);
  const x = new Float32Array(count * t.dim);
  for (let k = 0; k < count; k++) {
    // The class with its training frequency: the class of a random training example.
    const rows = byClass.get(labels[rng.int(t.n)])!;
    for (let a = 0; a < t.dim; a++) x[k * t.dim + a] = t.x[rows[rng.int(rows.length)] * t.dim + a];
  }
  return { x, n: count, dim: t.dim };
}
