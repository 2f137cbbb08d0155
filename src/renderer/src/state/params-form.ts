/**
 * A strategy's parameter form, generated from its JSON Schema (StrategyInfo.paramsSchema):
 * which fields, their bounds, and turning typed-in text back into params with
 * readable errors. Pure, so the settings panel holds no rules of its own.
 */
import { say } from '../i18n/say.ts';
export interface ParamField {
  name: string;
  kind: 'number' | 'integer' | 'boolean' | 'enum' | 'string';
  description: string | null;
  min: number | null;
  max: number | null;
  /** true when min/max themselves are excluded (schema exclusiveMinimum/Maximum) */
  minExclusive: boolean;
  maxExclusive: boolean;
  options: string[];
  defaultValue: unknown;
}

export type FormValues = Record<string, string | boolean>;

type JsonSchema = Record<string, unknown>;

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function paramFields(schema: JsonSchema): ParamField[] {
  const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
  return Object.entries(props).map(([name, p]) => {
    const options = Array.isArray(p.enum) ? p.enum.map(String) : [];
    const type = p.type;
    const kind: ParamField['kind'] =
      options.length > 0
        ? 'enum'
        : type === 'integer'
          ? 'integer'
          : type === 'number'
            ? 'number'
            : type === 'boolean'
              ? 'boolean'
              : 'string';
    const exMin = num(p.exclusiveMinimum);
    const exMax = num(p.exclusiveMaximum);
    return {
      name,
      kind,
      description: typeof p.description === 'string' ? p.description : null,
      min: exMin ?? num(p.minimum),
      max: exMax ?? num(p.maximum),
      minExclusive: exMin !== null,
      maxExclusive: exMax !== null,
      options,
      defaultValue: p.default,
    };
  });
}

/** Form values for the saved params (or the schema defaults). */
export function initialValues(fields: ParamField[], params: Record<string, unknown>): FormValues {
  const values: FormValues = {};
  for (const f of fields) {
    const v = params[f.name] ?? f.defaultValue;
    values[f.name] =
      f.kind === 'boolean' ? v === true : v === undefined || v === null ? '' : String(v);
  }
  return values;
}

function checkNumber(f: ParamField, text: string): { value?: number; error?: string } {
  // a decimal comma is how Swedish (and most of Europe) writes 0,5
  const value = Number(text.trim().replace(',', '.'));
  if (text.trim() === '' || !Number.isFinite(value)) return { error: say('form.number') };
  if (f.kind === 'integer' && !Number.isInteger(value)) return { error: say('form.wholeNumber') };
  if (f.min !== null && (f.minExclusive ? value <= f.min : value < f.min)) {
    return { error: say(f.minExclusive ? 'form.greaterThan' : 'form.atLeast', { min: f.min }) };
  }
  if (f.max !== null && (f.maxExclusive ? value >= f.max : value > f.max)) {
    return { error: say(f.maxExclusive ? 'form.lessThan' : 'form.atMost', { max: f.max }) };
  }
  return { value };
}

/** Form values → params; an empty field is left out so the strategy's default applies. */
export function readParams(
  fields: ParamField[],
  values: FormValues,
): { params: Record<string, unknown>; errors: Record<string, string> } {
  const params: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const f of fields) {
    const raw = values[f.name];
    if (f.kind === 'boolean') {
      params[f.name] = raw === true;
      continue;
    }
    const text = typeof raw === 'string' ? raw : '';
    if (text.trim() === '') continue;
    if (f.kind === 'number' || f.kind === 'integer') {
      const { value, error } = checkNumber(f, text);
      if (error) errors[f.name] = error;
      else params[f.name] = value;
    } else if (f.kind === 'enum' && !f.options.includes(text)) {
      errors[f.name] = say('form.oneOf', { options: f.options.join(', ') });
    } else {
      params[f.name] = text;
    }
  }
  return { params, errors };
}

/** "btc/usdt, ETH/USDT  sol/usdt" → ['BTC/USDT', 'ETH/USDT', 'SOL/USDT'] (validation is main's). */
export function parseSymbols(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
}
