/**
 * The cart-pole of Barto, Sutton & Anderson (1983), "Neuronlike adaptive elements that can solve
 * difficult learning control problems", IEEE Trans. SMC 13(5), from its published equations.
 *
 * A pole hinged on a cart that moves on a track; the controller pushes the cart left or right with a
 * force of fixed size (bang-bang control, ±10 N). With x the cart position (m), θ the pole's angle
 * from upright (rad, positive when the pole leans towards +x), F the force, μc / μp the cart / pole
 * friction coefficients and m_c, m, l the cart mass, pole mass and half pole length:
 *
 *   θ̈ = [ g sinθ + cosθ · (−F − m l θ̇² sinθ + μc sgn(ẋ)) / (m_c + m) − μp θ̇ / (m l) ]
 *        / [ l (4/3 − m cos²θ / (m_c + m)) ]
 *   ẍ = [ F + m l (θ̇² sinθ − θ̈ cosθ) − μc sgn(ẋ) ] / (m_c + m)
 *
 * integrated by Euler's method with τ = 0.02 s (the paper's step), positions from the old velocities:
 *   x ← x + τ ẋ,  ẋ ← ẋ + τ ẍ,  θ ← θ + τ θ̇,  θ̇ ← θ̇ + τ θ̈.
 *
 * The paper writes g = −9.8 m/s² with its own sign convention for θ (Florian 2007, "Correct equations for
 * the dynamics of the cart-pole system", discusses it); with θ positive towards +x, as here, g = +9.8.
 * Constants are the paper's: m_c = 1.0 kg, m = 0.1 kg, l = 0.5 m, |F| = 10 N, μc = 0.0005, μp = 0.000002.
 * A trial fails when |θ| > 12° or |x| > 2.4 m (the track's ends).
 *
 * Not in the paper: an optional Gaussian disturbance on the force (`forceNoise`, newtons), so that
 * demonstrations do not all follow one trajectory and a student meets states its teacher never showed.
 */

/** [x (m), ẋ (m/s), θ (rad), θ̇ (rad/s)] */
export type CartPoleState = [number, number, number, number];
export const STATE_SIZE = 4;
/** Action 0 pushes towards −x, action 1 towards +x. */
export type CartPoleAction = 0 | 1;

export interface CartPoleParams {
  gravity: number;
  cartMass: number;
  poleMass: number;
  /** Half the pole's length (m): the distance from the hinge to the pole's centre of mass. */
  halfPoleLength: number;
  forceMagnitude: number;
  cartFriction: number;
  poleFriction: number;
  /** Euler step τ (s). */
  tau: number;
  /** Failure when |θ| exceeds this (rad); 12° in the paper. */
  angleLimit: number;
  /** Failure when |x| exceeds this (m); 2.4 m in the paper. */
  positionLimit: number;
}

export const BARTO_CARTPOLE: Readonly<CartPoleParams> = Object.freeze({
  gravity: 9.8,
  cartMass: 1.0,
  poleMass: 0.1,
  halfPoleLength: 0.5,
  forceMagnitude: 10,
  cartFriction: 0.0005,
  poleFriction: 0.000002,
  tau: 0.02,
  angleLimit: (12 * Math.PI) / 180,
  positionLimit: 2.4,
});

const NAMES = ["x", "ẋ", "θ", "θ̇"];

/** Throw a clear error unless `s` is four finite numbers. */
export function checkState(s: ArrayLike<number>, what = "state"): void {
  if (!s || typeof s.length !== "number" || s.length !== STATE_SIZE) {
    throw new Error(`${what} must hold 4 numbers [x, ẋ, θ, θ̇], got ${s && typeof s.length === "number" ? `${s.length} value(s)` : JSON.stringify(s)}.`);
  }
  for (let i = 0; i < STATE_SIZE; i++) {
    if (typeof s[i] !== "number" || !Number.isFinite(s[i])) {
      throw new Error(`${what}[${i}] (${NAMES[i]}) = ${String(s[i])} is not a finite number; a cart-pole state must be finite (did a controller or a model produce NaN?).`);
    }
  }
}

export function checkCartPoleParams(p: CartPoleParams): CartPoleParams {
  for (const [k, v] of Object.entries(p)) {
    if (typeof v !== "number" || !Number.isFinite(v)) throw new Error(`cart-pole parameter ${k}=${String(v)} must be a finite number.`);
  }
  for (const k of ["gravity", "cartMass", "poleMass", "halfPoleLength", "forceMagnitude", "tau", "angleLimit", "positionLimit"] as const) {
    if (!(p[k] > 0)) throw new Error(`cart-pole parameter ${k}=${p[k]} must be > 0.`);
  }
  if (p.cartFriction < 0 || p.poleFriction < 0) throw new Error(`friction coefficients must be ≥ 0, got cartFriction=${p.cartFriction}, poleFriction=${p.poleFriction}.`);
  return p;
}

/** The accelerations [ẍ, θ̈] under force F (newtons, signed). */
export function cartPoleAccelerations(s: ArrayLike<number>, force: number, p: CartPoleParams = BARTO_CARTPOLE): [number, number] {
  const [, xDot, theta, thetaDot] = [s[0], s[1], s[2], s[3]];
  const total = p.cartMass + p.poleMass;
  const ml = p.poleMass * p.halfPoleLength;
  const sin = Math.sin(theta);
  const cos = Math.cos(theta);
  const sgn = Math.sign(xDot);
  const inner = (-force - ml * thetaDot * thetaDot * sin + p.cartFriction * sgn) / total;
  const thetaAcc = (p.gravity * sin + cos * inner - (p.poleFriction * thetaDot) / ml) / (p.halfPoleLength * (4 / 3 - (p.poleMass * cos * cos) / total));
  const xAcc = (force + ml * (thetaDot * thetaDot * sin - thetaAcc * cos) - p.cartFriction * sgn) / total;
  return [xAcc, thetaAcc];
}

/**
 * One Euler step of τ seconds under `action` (0 or 1), plus an optional extra force `disturbance`
 * (newtons). Returns the new state; throws on a non-finite state or an action other than 0/1.
 */
export function cartPoleStep(s: ArrayLike<number>, action: number, p: CartPoleParams = BARTO_CARTPOLE, disturbance = 0): CartPoleState {
  checkState(s);
  if (action !== 0 && action !== 1) throw new Error(`action=${String(action)} is not 0 (push left) or 1 (push right).`);
  if (!Number.isFinite(disturbance)) throw new Error(`disturbance=${disturbance} must be a finite force in newtons.`);
  const force = (action === 1 ? p.forceMagnitude : -p.forceMagnitude) + disturbance;
  const [xAcc, thetaAcc] = cartPoleAccelerations(s, force, p);
  return [s[0] + p.tau * s[1], s[1] + p.tau * xAcc, s[2] + p.tau * s[3], s[3] + p.tau * thetaAcc];
}

/** Why an episode ended at this state, or undefined while it may go on. */
export function cartPoleFailure(s: ArrayLike<number>, p: CartPoleParams = BARTO_CARTPOLE): "pole fell" | "cart left the track" | undefined {
  if (Math.abs(s[2]) > p.angleLimit) return "pole fell";
  if (Math.abs(s[0]) > p.positionLimit) return "cart left the track";
  return undefined;
}
