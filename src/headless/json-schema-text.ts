/**
 * JSON Schema (as z.toJSONSchema writes it) → a compact, TypeScript-like text:
 * `{ limit?: integer (1..10000) = 500 }`. Used by docs/API.md and by
 * `botdesk strategies` to show parameter spaces.
 */
export type JsonSchema = { [key: string]: unknown };

const SAFE_INT = Number.MAX_SAFE_INTEGER;

function asSchema(value: unknown): JsonSchema | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JsonSchema)
    : null;
}

function numberBounds(s: JsonSchema): string[] {
  const parts: string[] = [];
  const min = typeof s.minimum === 'number' && s.minimum > -SAFE_INT ? s.minimum : null;
  const max = typeof s.maximum === 'number' && s.maximum < SAFE_INT ? s.maximum : null;
  const exMin = typeof s.exclusiveMinimum === 'number' ? s.exclusiveMinimum : null;
  const exMax = typeof s.exclusiveMaximum === 'number' ? s.exclusiveMaximum : null;
  if (min !== null && max !== null) parts.push(`${min}..${max}`);
  else if (min !== null) parts.push(`≥ ${min}`);
  else if (max !== null) parts.push(`≤ ${max}`);
  if (exMin !== null) parts.push(`> ${exMin}`);
  if (exMax !== null) parts.push(`< ${exMax}`);
  return parts;
}

function constraints(s: JsonSchema): string[] {
  const parts = numberBounds(s);
  if (typeof s.pattern === 'string') parts.push(`/${s.pattern}/`);
  if (typeof s.minLength === 'number' && typeof s.maxLength === 'number')
    parts.push(`length ${s.minLength}..${s.maxLength}`);
  else if (typeof s.minLength === 'number') parts.push(`length ≥ ${s.minLength}`);
  else if (typeof s.maxLength === 'number') parts.push(`length ≤ ${s.maxLength}`);
  if (typeof s.minItems === 'number' || typeof s.maxItems === 'number') {
    parts.push(`${s.minItems ?? 0}..${s.maxItems ?? ''} items`);
  }
  return parts;
}

function withConstraints(base: string, s: JsonSchema): string {
  const parts = constraints(s);
  return parts.length > 0 ? `${base} (${parts.join(', ')})` : base;
}

function refName(ref: string): string {
  return ref.replace(/^#\/\$defs\//, '');
}

function objectText(s: JsonSchema, indent: string): string {
  const props = asSchema(s.properties);
  const required = new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
  const extra = s.additionalProperties;
  if (!props || Object.keys(props).length === 0) {
    const values = asSchema(extra);
    return values ? `Record<string, ${schemaText(values, indent)}>` : '{}';
  }
  const inner = `${indent}  `;
  const lines = Object.entries(props).map(([name, value]) => {
    const field = asSchema(value) ?? {};
    const description = typeof field.description === 'string' ? `  // ${field.description}` : '';
    return `${inner}${name}${required.has(name) ? '' : '?'}: ${schemaText(field, inner)}${defaultText(field)}${description}`;
  });
  return `{\n${lines.join('\n')}\n${indent}}`;
}

/** ` = <default>` when the schema has one. */
export function defaultText(s: JsonSchema): string {
  return 'default' in s ? ` = ${JSON.stringify(s.default)}` : '';
}

/** The schema as compact text; nested objects are indented from `indent`. */
export function schemaText(s: JsonSchema, indent = ''): string {
  if (typeof s.$ref === 'string') return refName(s.$ref);
  const union = (Array.isArray(s.anyOf) ? s.anyOf : Array.isArray(s.oneOf) ? s.oneOf : null) as
    unknown[] | null;
  if (union) return union.map((m) => schemaText(asSchema(m) ?? {}, indent)).join(' | ');
  if ('const' in s) return JSON.stringify(s.const);
  if (Array.isArray(s.enum)) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (Array.isArray(s.type)) {
    return s.type.map((t) => (t === 'null' ? 'null' : withConstraints(String(t), s))).join(' | ');
  }
  switch (s.type) {
    case 'object':
      return objectText(s, indent);
    case 'array': {
      const items = schemaText(asSchema(s.items) ?? {}, indent);
      const element = /[\s|]/.test(items) && !items.startsWith('{') ? `(${items})` : items;
      return withConstraints(`${element}[]`, s);
    }
    case 'string':
    case 'number':
    case 'integer':
      return withConstraints(s.type, s);
    case 'boolean':
    case 'null':
      return s.type;
    default:
      return 'unknown';
  }
}
