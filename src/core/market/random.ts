/**
 * Counter-based randomness for the simulated market: every draw is a pure function of
 * (key, index, slot), so any candle of any series can be regenerated on its own, in
 * any order, and the same seed always gives the same market.
 */

function mix32(x: number): number {
  let h = x | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a of a string, mixed: a stable 32-bit key for symbol names. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}

/** A 32-bit key from two keys (e.g. seed and symbol). */
export function combineKeys(a: number, b: number): number {
  return mix32(mix32(a ^ 0x9e3779b9) + b);
}

/** Uniform in (0, 1), never 0 or 1, so logs stay finite. */
export function uniform(key: number, index: number, slot: number): number {
  const h = mix32(
    mix32(mix32(key + Math.imul(slot, 0x9e3779b9)) ^ (index | 0)) + Math.floor(index / 4294967296),
  );
  return (h + 0.5) / 4294967296;
}

/** Standard normal (Box–Muller) from two uniforms of (key, index, slot, slot + 1). */
export function normal(key: number, index: number, slot: number): number {
  const u1 = uniform(key, index, slot);
  const u2 = uniform(key, index, slot + 1);
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** The two outputs of the last `normalPair` call. */
export const pair = new Float64Array(2);

/**
 * Two independent standard normals from the same two uniforms as `normal(key, index, slot)`
 * (Box–Muller gives both): written to `pair`, so hot loops get two draws for one.
 */
export function normalPair(key: number, index: number, slot: number): void {
  const r = Math.sqrt(-2 * Math.log(uniform(key, index, slot)));
  const angle = 2 * Math.PI * uniform(key, index, slot + 1);
  pair[0] = r * Math.cos(angle);
  pair[1] = r * Math.sin(angle);
}

const T_DOF = 5;
const T_SCALE = Math.sqrt((T_DOF - 2) / T_DOF);

/**
 * Student-t with 5 degrees of freedom scaled to unit variance (excess kurtosis 6):
 * fat tails like real returns. Uses slots slot … slot + 3.
 */
export function studentT(key: number, index: number, slot: number): number {
  const u1 = uniform(key, index, slot);
  const u2 = uniform(key, index, slot + 1);
  const r = Math.sqrt(-2 * Math.log(u1));
  const z = r * Math.cos(2 * Math.PI * u2);
  const extra = r * Math.sin(2 * Math.PI * u2);
  // chi² with 5 dof = chi²(4) from two uniforms + one more squared normal.
  const chi2 =
    -2 * Math.log(uniform(key, index, slot + 2) * uniform(key, index, slot + 3)) + extra * extra;
  return (z / Math.sqrt(chi2 / T_DOF)) * T_SCALE;
}
