/**
 * Reference functions of the Group Method of Data Handling: the two-input "partial descriptions" from
 * which a GMDH network is grown (Ivakhnenko & Lapa 1965, "Cybernetic Predicting Devices"; Ivakhnenko
 * 1971, "Polynomial theory of complex systems", IEEE Trans. SMC-1(4)).
 *
 * A unit sees two inputs xi, xj and computes a fixed-form polynomial whose coefficients are fitted by
 * least squares. Ivakhnenko's default is the full quadratic
 *     u = a0 + a1 xi + a2 xj + a3 xi xj + a4 xi² + a5 xj²
 * and stacking such units composes them into the "Kolmogorov–Gabor" polynomial of high degree.
 *
 * Each reference function is a list of monomials xi^p xj^q (first the constant). The set is closed under
 * lowering an exponent, so a polynomial in standardised inputs (xi - mi)/si re-expands into the same
 * monomials of the raw inputs: the printed formula is exactly what the model computes.
 */

export type ReferenceName = "quadratic" | "bilinear" | "linear";

export interface ReferenceFunction {
  name: ReferenceName;
  /** Monomials as [p, q] = exponents of xi and xj; index m holds coefficient a_m. */
  monomials: ReadonlyArray<readonly [number, number]>;
}

const REFERENCE_FUNCTIONS: Record<ReferenceName, ReferenceFunction> = {
  // Ivakhnenko's polynomial, a0..a5 in the order of the 1971 paper.
  quadratic: { name: "quadratic", monomials: [[0, 0], [1, 0], [0, 1], [1, 1], [2, 0], [0, 2]] },
  // "Covariance" form: the linear terms plus the interaction, no squares.
  bilinear: { name: "bilinear", monomials: [[0, 0], [1, 0], [0, 1], [1, 1]] },
  linear: { name: "linear", monomials: [[0, 0], [1, 0], [0, 1]] },
};

export const REFERENCE_NAMES = Object.keys(REFERENCE_FUNCTIONS) as ReferenceName[];

/** Look up a reference function by name; the error lists the valid names. */
export function referenceFunction(name: string): ReferenceFunction {
  const f = (REFERENCE_FUNCTIONS as Record<string, ReferenceFunction | undefined>)[name];
  if (!f) {
    throw new Error(`unknown GMDH reference function ${JSON.stringify(name)}; expected one of ${REFERENCE_NAMES.join(", ")}.`);
  }
  return f;
}

/** Number of coefficients k of a unit. */
export function coefficientCount(f: ReferenceFunction): number {
  return f.monomials.length;
}

/** The exponents that forming the normal equations needs (see fit.ts for how they are used). */
export interface MomentPowers {
  /** Largest exponent of one input inside an entry of X^T X (quadratic: xi^4). */
  highPow: number;
  /** Every X^T X entry xi^a xj^b has min(a, b) <= lowPow (quadratic: 2). */
  lowPow: number;
  /** Every X^T y entry y xi^a xj^b has min(a, b) <= yPow (quadratic: 1). */
  yPow: number;
}

export function momentPowers(f: ReferenceFunction): MomentPowers {
  let maxTotal = 0;
  let maxSingle = 0;
  let maxRefTotal = 0;
  for (const [p, q] of f.monomials) {
    maxRefTotal = Math.max(maxRefTotal, p + q);
    for (const [r, s] of f.monomials) {
      maxTotal = Math.max(maxTotal, p + q + r + s);
      maxSingle = Math.max(maxSingle, p + r, q + s);
    }
  }
  return { highPow: maxSingle, lowPow: Math.floor(maxTotal / 2), yPow: Math.floor(maxRefTotal / 2) };
}

/** Value of a unit with raw coefficients c at inputs (xi, xj). */
export function evaluateUnit(f: ReferenceFunction, c: ArrayLike<number>, xi: number, xj: number): number {
  let s = 0;
  for (let m = 0; m < f.monomials.length; m++) {
    const [p, q] = f.monomials[m];
    s += c[m] * ipow(xi, p) * ipow(xj, q);
  }
  return s;
}

function ipow(x: number, p: number): number {
  return p === 0 ? 1 : p === 1 ? x : p === 2 ? x * x : Math.pow(x, p);
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

/**
 * Turn coefficients `a` of the standardised unit  u = yMean + yScale * sum_m a_m zi^p zj^q,
 * zi = (xi - mi) / si, into coefficients of the same monomials in the raw xi, xj.
 * Binomial expansion of (xi - mi)^p; the monomial set is closed under lowering exponents, checked here.
 */
export function destandardize(
  f: ReferenceFunction,
  a: ArrayLike<number>,
  mi: number,
  si: number,
  mj: number,
  sj: number,
  yMean: number,
  yScale: number,
): Float64Array {
  const index = new Map<string, number>();
  f.monomials.forEach(([p, q], m) => index.set(`${p},${q}`, m));
  const c = new Float64Array(f.monomials.length);
  for (let m = 0; m < f.monomials.length; m++) {
    const [p, q] = f.monomials[m];
    const scale = (yScale * a[m]) / (Math.pow(si, p) * Math.pow(sj, q));
    // (xi - mi)^p (xj - mj)^q = sum_{r<=p, s<=q} C(p,r) C(q,s) xi^r (-mi)^(p-r) xj^s (-mj)^(q-s)
    for (let r = 0; r <= p; r++) {
      for (let s = 0; s <= q; s++) {
        const target = index.get(`${r},${s}`);
        if (target === undefined) throw new Error(`reference function ${f.name} is not closed under lowering exponents (missing xi^${r} xj^${s})`);
        c[target] += scale * binomial(p, r) * Math.pow(-mi, p - r) * binomial(q, s) * Math.pow(-mj, q - s);
      }
    }
  }
  c[0] += yMean;
  return c;
}

/** "0.12 + 1.5·x1 − 0.3·x1·x2 + 2e-4·x2²" with the given input names; tiny terms are kept (honest). */
export function formatPolynomial(f: ReferenceFunction, c: ArrayLike<number>, nameI: string, nameJ: string, digits = 4): string {
  const term = (p: number, q: number): string => {
    const parts: string[] = [];
    if (p > 0) parts.push(p === 1 ? nameI : `${nameI}${superscript(p)}`);
    if (q > 0) parts.push(q === 1 ? nameJ : `${nameJ}${superscript(q)}`);
    return parts.join("·");
  };
  let out = "";
  f.monomials.forEach(([p, q], m) => {
    const v = c[m];
    const mag = formatNumber(Math.abs(v), digits);
    const t = term(p, q);
    const body = t === "" ? mag : `${mag}·${t}`;
    if (m === 0) out = v < 0 ? `−${mag}` : mag;
    else out += v < 0 ? ` − ${body}` : ` + ${body}`;
  });
  return out;
}

function formatNumber(v: number, digits: number): string {
  if (v === 0) return "0";
  const abs = Math.abs(v);
  if (abs >= 1e-3 && abs < 1e5) return Number(v.toPrecision(digits)).toString();
  return v.toExponential(digits - 1);
}

function superscript(n: number): string {
  const sup = "⁰¹²³⁴⁵⁶⁷⁸⁹";
  return String(n)
    .split("")
    .map((d) => sup[Number(d)])
    .join("");
}
