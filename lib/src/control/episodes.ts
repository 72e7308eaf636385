/**
 * Episodes of the cart-pole (cartpole.ts) under a policy: seeded starts and disturbances, a step cap,
 * the states visited and the actions taken. The return is the number of steps the pole stayed up and
 * the cart on the track (Barto et al. 1983 score a trial by its time to failure; +1 per step of τ = 0.02 s,
 * capped at `maxSteps`, e.g. 500 steps = 10 s).
 */
import { deriveSeed, makeRng } from "@kdh/datasets";
import { BARTO_CARTPOLE, CartPoleParams, CartPoleState, cartPoleFailure, cartPoleStep, checkState } from "./cartpole";

/** state → action (0 push left, 1 push right). */
export type Policy = (state: CartPoleState) => number;

export interface EpisodeOptions {
  /** Seed of the start state and of the force disturbances. */
  seed: number;
  /** Stop after this many steps (the episode then counts as a success). */
  maxSteps: number;
  /** Each start-state component is drawn uniformly from [−initRange, initRange]. */
  initRange: number;
  /** Standard deviation (N) of a Gaussian force added at every step; 0 = the paper's noiseless system. */
  forceNoise: number;
  params?: CartPoleParams;
}

export interface Episode {
  /** states[t] is the state before action t; states has actions.length + 1 rows. */
  states: CartPoleState[];
  actions: number[];
  /** Steps survived: actions.length when the cap was reached, otherwise the step that failed counts too. */
  return: number;
  /** Why it ended: the failure, or "time limit". */
  end: string;
}

export function checkEpisodeOptions(o: EpisodeOptions): EpisodeOptions {
  if (!Number.isInteger(o.maxSteps) || o.maxSteps < 1) throw new Error(`maxSteps=${o.maxSteps} must be a positive whole number (e.g. 500).`);
  if (!(o.initRange >= 0) || !Number.isFinite(o.initRange)) throw new Error(`initRange=${o.initRange} must be a finite number ≥ 0 (e.g. 0.05).`);
  if (!(o.forceNoise >= 0) || !Number.isFinite(o.forceNoise)) throw new Error(`forceNoise=${o.forceNoise} must be a finite number of newtons ≥ 0.`);
  return o;
}

/** Run one episode of `policy`. */
export function runEpisode(policy: Policy, opts: EpisodeOptions): Episode {
  checkEpisodeOptions(opts);
  const p = opts.params ?? BARTO_CARTPOLE;
  const rng = makeRng(deriveSeed(opts.seed, "episode"));
  let s: CartPoleState = [0, 0, 0, 0].map(() => (2 * rng.next() - 1) * opts.initRange) as CartPoleState;
  const states: CartPoleState[] = [s];
  const actions: number[] = [];
  for (let t = 0; t < opts.maxSteps; t++) {
    const a = policy(s);
    if (a !== 0 && a !== 1) throw new Error(`the policy returned ${String(a)} at step ${t} for state [${s.join(", ")}]; it must return 0 (push left) or 1 (push right).`);
    s = cartPoleStep(s, a, p, opts.forceNoise > 0 ? opts.forceNoise * rng.normal() : 0);
    checkState(s, `the state after step ${t}`);
    actions.push(a);
    states.push(s);
    const failure = cartPoleFailure(s, p);
    if (failure) return { states, actions, return: actions.length, end: failure };
  }
  return { states, actions, return: actions.length, end: "time limit" };
}

/** `count` episodes with seeds derived from `opts.seed` and a label, so different uses do not share starts. */
export function runEpisodes(policy: Policy, count: number, opts: EpisodeOptions, label = "episodes"): Episode[] {
  if (!Number.isInteger(count) || count < 1) throw new Error(`count=${count} must be a positive whole number of episodes.`);
  return Array.from({ length: count }, (_, i) => runEpisode(policy, { ...opts, seed: deriveSeed(opts.seed, `${label}:${i}`) }));
}

export function meanReturn(episodes: Episode[]): number {
  if (episodes.length === 0) throw new Error("meanReturn needs at least one episode");
  return episodes.reduce((s, e) => s + e.return, 0) / episodes.length;
}

/** A policy that pushes left or right with equal probability: the exploration policy of BCO. */
export function randomPolicy(seed: number): Policy {
  const rng = makeRng(seed);
  return () => (rng.next() < 0.5 ? 0 : 1);
}
