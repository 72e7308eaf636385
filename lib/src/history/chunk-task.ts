/**
 * A long-lag task with many distinct sequences, so that a held-out test set means something.
 *
 * Every sequence is `c w1 w2 … wk e c`: a cue c ∈ {a, b}, then `lag` symbols made of k = lag / wordLength
 * words drawn at random from a fixed vocabulary of `words` words, then an end marker e, then the cue again.
 * Inside a word every symbol after the first is predictable from the one before (the words use disjoint
 * symbols), so an automatizer that has learnt the words is surprised only by each word's first symbol, by
 * the cue and by the final symbol: history compression shortens the lag by a factor of about wordLength.
 * The final symbol depends on the cue lag + 2 steps earlier and on nothing in between.
 *
 * With `words`^k × 2 possible sequences, the training and test sets are drawn without overlap: no test
 * sequence occurs in the training set.
 */
import { makeRng } from "@kdh/datasets";

export interface ChunkTaskSpec {
  lag: number;
  words: number;
  wordLength: number;
  trainSequences: number;
  testSequences: number;
  seed: number;
}

export interface ChunkTask {
  /** Symbol indices: 0 = a, 1 = b, 2 = e, then word w's symbols at 3 + w*wordLength + j. */
  alphabet: string[];
  length: number;
  train: Int32Array;
  test: Int32Array;
  nTrain: number;
  nTest: number;
}

function positiveInt(v: number, what: string): number {
  if (!Number.isInteger(v) || v < 1) throw new Error(`${what}=${v} must be a positive integer.`);
  return v;
}

/** How many distinct sequences the task can produce (2 cues × words^(lag/wordLength)). */
export function distinctSequences(lag: number, words: number, wordLength: number): number {
  return 2 * Math.pow(words, lag / wordLength);
}

export function chunkTask(spec: ChunkTaskSpec): ChunkTask {
  const lag = positiveInt(spec.lag, "lag");
  const words = positiveInt(spec.words, "words");
  const wl = positiveInt(spec.wordLength, "wordLength");
  const nTrain = positiveInt(spec.trainSequences, "trainSequences");
  const nTest = positiveInt(spec.testSequences, "testSequences");
  if (lag % wl !== 0) throw new Error(`lag=${lag} must be a multiple of wordLength=${wl} (the middle is made of whole words); pick lag = ${Math.max(wl, Math.round(lag / wl) * wl)}.`);
  const possible = distinctSequences(lag, words, wl);
  // Drawing without overlap by rejection needs room to spare: with at most half the space taken, a draw
  // succeeds with probability ≥ 1/2, so the expected number of draws stays below twice the sequences asked for.
  if (nTrain + nTest > possible / 2) throw new Error(`trainSequences + testSequences = ${nTrain + nTest} is more than half of the ${possible} distinct sequences (lag=${lag}, words=${words}, wordLength=${wl}); use more words, a longer lag or fewer sequences.`);
  const alphabet = ["a", "b", "e"];
  for (let w = 0; w < words; w++) for (let j = 0; j < wl; j++) alphabet.push(`w${w}.${j}`);
  const length = lag + 3;
  const k = lag / wl;
  const rng = makeRng(spec.seed);
  const seen = new Set<string>();
  const draw = (n: number): Int32Array => {
    const out = new Int32Array(n * length);
    for (let i = 0; i < n; ) {
      const c = rng.int(2);
      const ws = Array.from({ length: k }, () => rng.int(words));
      const key = `${c}:${ws.join(",")}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const o = i * length;
      out[o] = c;
      ws.forEach((w, m) => {
        for (let j = 0; j < wl; j++) out[o + 1 + m * wl + j] = 3 + w * wl + j;
      });
      out[o + length - 2] = 2;
      out[o + length - 1] = c;
      i++;
    }
    return out;
  };
  const train = draw(nTrain);
  const test = draw(nTest);
  return { alphabet, length, train, test, nTrain, nTest };
}
