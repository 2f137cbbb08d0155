/**
 * Parameter grids: `fast=5..20:5,slow=20..60:10` (ranges with a step), `period=7|14|21`
 * (lists), `fast` alone (ten values across the range the strategy's schema allows), or
 * lists by parameter. Every value is checked against the strategy's JSON Schema before
 * anything runs; combinations the strategy itself refuses (fast ≥ slow) are left out.
 */
import { BotDeskError } from '../api/errors.ts';

/** Most combinations one grid may hold. */
export const MAX_COMBINATIONS = 10_000;
/** Values `name` alone expands to. */
const AUTO_STEPS = 10;

type ParamSchema = { type?: unknown; minimum?: unknown; maximum?: unknown; default?: unknown };

export type GridSpec = string | Record<string, readonly unknown[]>;

function bad(message: string): never {
  throw new BotDeskError('INVALID_INPUT', `grid: ${message}`);
}

function propertiesOf(schema: Record<string, unknown>): Record<string, ParamSchema> {
  const props = schema.properties;
  return typeof props === 'object' && props !== null ? (props as Record<string, ParamSchema>) : {};
}

function num(text: string, what: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n)) bad(`${what} '${text}' is not a number`);
  return n;
}

/** Rounds away float noise from stepping (0.1 + 0.2) without changing intended values. */
const tidy = (x: number) => Number(x.toPrecision(12));

function expandRange(name: string, text: string, isInt: boolean): number[] {
  const m = /^([^.:]+(?:\.\d+)?)\.\.([^:]+)(?::(.+))?$/.exec(text);
  if (!m) bad(`'${name}=${text}' is not a range like ${name}=5..20:5`);
  const from = num(m[1]!, `${name} start`);
  const to = num(m[2]!, `${name} end`);
  if (to < from) bad(`${name}: the range ${text} runs backwards`);
  let step: number;
  if (m[3] !== undefined) step = num(m[3], `${name} step`);
  else if (isInt) step = 1;
  else bad(`${name}: a range of a non-integer parameter needs a step, e.g. ${name}=${text}:0.5`);
  if (!(step > 0)) bad(`${name}: the step must be above 0 (got ${m[3]})`);
  const count = Math.floor((to - from) / step + 1e-9) + 1;
  if (count > MAX_COMBINATIONS) bad(`${name}: ${text} holds ${count} values`);
  return Array.from({ length: count }, (_, i) => tidy(from + i * step));
}

function autoRange(name: string, p: ParamSchema, isInt: boolean): number[] {
  const { minimum, maximum } = p;
  if (typeof minimum !== 'number' || typeof maximum !== 'number')
    bad(
      `${name} has no minimum and maximum in the strategy's schema; give a range like ${name}=5..20:5`,
    );
  const values = new Set<number>();
  for (let i = 0; i < AUTO_STEPS; i++) {
    const v = minimum + ((maximum - minimum) * i) / (AUTO_STEPS - 1);
    values.add(isInt ? Math.round(v) : tidy(v));
  }
  return [...values];
}

function checkValue(name: string, value: unknown, p: ParamSchema): unknown {
  const type = p.type;
  if (type === 'integer' || type === 'number') {
    if (typeof value !== 'number' || !Number.isFinite(value))
      bad(`${name}: ${JSON.stringify(value)} is not a number`);
    if (type === 'integer' && !Number.isInteger(value))
      bad(`${name} takes whole numbers, got ${value}`);
    if (typeof p.minimum === 'number' && value < p.minimum)
      bad(`${name}: ${value} is below the minimum ${p.minimum}`);
    if (typeof p.maximum === 'number' && value > p.maximum)
      bad(`${name}: ${value} is above the maximum ${p.maximum}`);
  } else if (type === 'boolean' && typeof value !== 'boolean') {
    bad(`${name}: ${JSON.stringify(value)} is not true or false`);
  }
  return value;
}

function parseListValue(text: string): unknown {
  if (text === 'true') return true;
  if (text === 'false') return false;
  const n = Number(text);
  return text.trim() !== '' && Number.isFinite(n) ? n : text;
}

/** The values of each grid parameter, checked against the strategy's params JSON Schema. */
export function parseGrid(
  spec: GridSpec,
  paramsSchema: Record<string, unknown>,
): Map<string, unknown[]> {
  const props = propertiesOf(paramsSchema);
  const axes = new Map<string, unknown[]>();
  const known = () => Object.keys(props).join(', ') || 'none';
  const add = (name: string, values: unknown[]) => {
    const p = props[name];
    if (p === undefined) bad(`unknown parameter '${name}' (this strategy has: ${known()})`);
    if (axes.has(name)) bad(`'${name}' is given twice`);
    if (values.length === 0) bad(`'${name}' has no values`);
    axes.set(
      name,
      [...new Set(values)].map((v) => checkValue(name, v, p)),
    );
  };
  if (typeof spec !== 'string') {
    for (const [name, values] of Object.entries(spec)) add(name, [...values]);
  } else {
    const parts = spec.split(',').map((s) => s.trim());
    if (parts.some((s) => s === '')) bad(`'${spec}' has an empty part (a stray comma?)`);
    for (const part of parts) {
      const eq = part.indexOf('=');
      const name = (eq < 0 ? part : part.slice(0, eq)).trim();
      if (!/^[A-Za-z_][\w]*$/.test(name))
        bad(`'${part}' must look like name=5..20:5, name=1|2|3 or name`);
      const p = props[name];
      if (p === undefined) bad(`unknown parameter '${name}' (this strategy has: ${known()})`);
      const isInt = p.type === 'integer';
      if (eq < 0) {
        add(name, autoRange(name, p, isInt));
        continue;
      }
      const text = part.slice(eq + 1).trim();
      if (text.includes('..')) add(name, expandRange(name, text, isInt));
      else add(name, text.split('|').map(parseListValue));
    }
  }
  if (axes.size === 0) bad('no parameters given');
  let total = 1;
  for (const values of axes.values()) total *= values.length;
  if (total > MAX_COMBINATIONS)
    bad(
      `${total} combinations; at most ${MAX_COMBINATIONS} (narrow the ranges or widen the steps)`,
    );
  return axes;
}

/** Every combination of the axes over `base` params, in axis order (the last axis varies fastest). */
export function combinations(
  axes: ReadonlyMap<string, readonly unknown[]>,
  base: Record<string, unknown> = {},
): Array<Record<string, unknown>> {
  let out: Array<Record<string, unknown>> = [{ ...base }];
  for (const [name, values] of axes) {
    const next: Array<Record<string, unknown>> = [];
    for (const combo of out) for (const v of values) next.push({ ...combo, [name]: v });
    out = next;
  }
  return out;
}
