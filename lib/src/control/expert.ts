/**
 * The teacher of the behavioural-cloning notebook: a hand-designed linear state-feedback controller for
 * the cart-pole (cartpole.ts), in the spirit of a linear-quadratic regulator (LQR) under bang-bang force.
 *
 * margin = k_x x + k_ẋ ẋ + k_θ θ + k_θ̇ θ̇,  action = 1 (push towards +x) when margin > 0, else 0.
 *
 * Why these signs: to keep a pole that leans towards +x (θ > 0) from falling, the cart must accelerate
 * towards +x, under it; so k_θ, k_θ̇ > 0 (a PD law on the angle, the dominant terms). The position terms
 * k_x, k_ẋ > 0 look odd at first: to bring the cart back towards 0 from x > 0, the controller must first
 * make the pole lean towards −x, which it does by briefly pushing *towards* +x — the non-minimum-phase
 * behaviour every LQR gain for this system shows. The default gains (1, 1.5, 18, 3) were picked by hand
 * and checked by simulation (every one of 30 seeded episodes of 500 steps balanced, with or without a
 * 4 N force disturbance); they are not optimal in any sense.
 *
 * The expert's *soft* action distribution (the distillation view of cloning): a softmax over the two
 * actions with logits (−margin/2, +margin/2) at temperature T, i.e. P(push right) = σ(margin / T). At
 * small T it is the hard action; at large T it says how sure the controller is (a state near the
 * switching surface gets ≈ 0.5).
 */
import { CartPoleState, checkState } from "./cartpole";

export interface LinearController {
  /** Gains [k_x, k_ẋ, k_θ, k_θ̇]. */
  gains: [number, number, number, number];
}

export const EXPERT_GAINS: Readonly<[number, number, number, number]> = Object.freeze([1, 1.5, 18, 3]) as Readonly<[number, number, number, number]>;

export function controllerMargin(state: ArrayLike<number>, gains: ArrayLike<number> = EXPERT_GAINS): number {
  checkState(state);
  if (!gains || gains.length !== 4 || !Array.from(gains).every(Number.isFinite)) throw new Error(`gains must be 4 finite numbers [k_x, k_ẋ, k_θ, k_θ̇], got ${JSON.stringify(Array.from(gains ?? []))}.`);
  return gains[0] * state[0] + gains[1] * state[1] + gains[2] * state[2] + gains[3] * state[3];
}

/** The expert's hard action: 1 (push right) when the margin is positive, else 0. */
export function expertAction(state: CartPoleState | ArrayLike<number>, gains: ArrayLike<number> = EXPERT_GAINS): 0 | 1 {
  return controllerMargin(state, gains) > 0 ? 1 : 0;
}

/** P(push right) = σ(margin / T): the expert's soft action distribution at temperature T > 0. */
export function expertSoftAction(state: ArrayLike<number>, temperature: number, gains: ArrayLike<number> = EXPERT_GAINS): number {
  if (!(temperature > 0) || !Number.isFinite(temperature)) throw new Error(`temperature=${temperature} must be a finite number > 0 (e.g. 0.5).`);
  const z = controllerMargin(state, gains) / temperature;
  // σ(z) written so that large |z| neither overflows nor loses the small tail.
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}
