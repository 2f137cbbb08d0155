/**
 * Payloads must be plain JSON-like data. Electron IPC carries structured clones, which
 * also hold Dates, Maps, Sets, typed arrays, RegExps and BigInts; zod's object schemas
 * accept such objects as if they were `{}` (a Map as `config` would start the bot with
 * the saved config), so the dispatcher refuses them before validation.
 */

function kindOf(value: object): string | null {
  if (Array.isArray(value))
    return Object.getPrototypeOf(value) === Array.prototype ? null : 'an array subclass';
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) return null;
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== '' ? `a ${name}` : 'an object that is not plain data';
}

/** Where `value` holds something that is not plain data, and what, or null when it is all plain. */
export function plainDataProblem(value: unknown): string | null {
  // Iterative: a deeply nested payload must not overflow the stack here.
  const stack: Array<{ value: unknown; at: string }> = [{ value, at: 'payload' }];
  while (stack.length > 0) {
    const { value: v, at } = stack.pop()!;
    switch (typeof v) {
      case 'string':
      case 'number':
      case 'boolean':
      case 'undefined':
        continue;
      case 'object': {
        if (v === null) continue;
        const kind = kindOf(v);
        if (kind !== null) return `${at}: ${kind} is not plain data (use JSON values)`;
        for (const [key, child] of Object.entries(v))
          if (
            typeof child === 'object' ||
            typeof child === 'bigint' ||
            typeof child === 'function' ||
            typeof child === 'symbol'
          )
            stack.push({
              value: child,
              at: `${at}.${key.length > 40 ? `${key.slice(0, 40)}…` : key}`,
            });
        continue;
      }
      default:
        return `${at}: a ${typeof v} is not plain data (use JSON values)`;
    }
  }
  return null;
}
