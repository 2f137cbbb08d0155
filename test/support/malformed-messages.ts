/**
 * Generates malformed calls of the contract for the transport fuzz suite: for every
 * channel, payloads with wrong types, huge strings, deep nesting, `__proto__` and
 * `constructor` keys, unknown keys and missing fields, plus unknown channels. Every
 * generated call is invalid by construction and checked against the channel's own input
 * schema, so a transport must answer each with an error envelope and change nothing.
 * Seeded: a failure names its seed and index to replay it.
 */
import { CHANNELS } from '../../src/core/api/channels.ts';
import { contract } from '../../src/core/api/contract.ts';
import { prng } from './prng.ts';

export interface MalformedCall {
  channel: string;
  payload: unknown;
  /** What was done to it, for failure messages. */
  kind: string;
}

/** A well-formed payload per channel: the starting point the mutations break. */
const BASES: Record<string, unknown> = {
  'bot:start': {
    config: {
      mode: 'paper',
      market: { source: 'sim', speed: 60, seed: 7 },
      symbols: ['BTC/USDT', 'ETH/USDT'],
      timeframe: '1m',
      strategy: { id: 'sma-crossover', params: { fast: 5, slow: 20 } },
      startingBalance: 10_000,
    },
  },
  'bot:stop': { reason: 'fuzz', timeoutMs: 100 },
  'bot:updateConfig': { config: { symbols: ['BTC/USDT'], timeframe: '5m' } },
  'market:history': { source: 'sim', symbol: 'BTC/USDT', timeframe: '1m', limit: 10 },
  'journal:orders': { limit: 10 },
  'journal:fills': { limit: 10 },
  'journal:equity': { limit: 10 },
  'logs:tail': { limit: 10 },
  'settings:set': {
    bot: { symbols: ['ETH/USDT'], timeframe: '15m' },
    resumeOnLaunch: { paper: true },
    ui: { theme: 'dark', closeToTray: false },
  },
};

const UNKNOWN_CHANNELS = [
  'bot:explode',
  '',
  ' ',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'BOT:START',
  'bot:start ',
  'bot:start\u0000',
  'settings',
  'settings:set:now',
  '../bot:start',
  'x'.repeat(5000),
];

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)]!;
}

function hugeString(rand: () => number): string {
  const size =
    rand() < 0.9 ? 4096 + Math.floor(rand() * 60_000) : 200_000 + Math.floor(rand() * 400_000);
  return pick(rand, ['a', '€', '\u0000', '"', '\\', 'é', '<script>']).repeat(Math.ceil(size / 8));
}

function deep(rand: () => number): unknown {
  const depth = 20 + Math.floor(rand() * (rand() < 0.9 ? 300 : 1500));
  let value: unknown = pick(rand, [1, 'x', null, true, {}]);
  const asArray = rand() < 0.5;
  for (let i = 0; i < depth; i++) value = asArray ? [value] : { a: value };
  return value;
}

/** An object with an own `__proto__` (or `constructor.prototype`) key, as JSON.parse builds it. */
function protoKeys(rand: () => number, inner: unknown): unknown {
  const polluted = { polluted: true, isAdmin: true, mode: 'live', toString: 'x' };
  const text = pick(rand, [
    `{"__proto__": ${JSON.stringify(polluted)}}`,
    `{"constructor": {"prototype": ${JSON.stringify(polluted)}}}`,
    `{"__proto__": {"__proto__": ${JSON.stringify(polluted)}}, "x": 1}`,
  ]);
  const value = JSON.parse(text) as Record<string, unknown>;
  if (inner !== undefined && typeof inner === 'object' && inner !== null && !Array.isArray(inner))
    for (const [k, v] of Object.entries(inner)) value[k] = v;
  return value;
}

function hostile(rand: () => number, inner?: unknown): unknown {
  switch (Math.floor(rand() * 16)) {
    case 0:
      return hugeString(rand);
    case 1:
      return deep(rand);
    case 2:
      return protoKeys(rand, inner);
    case 3:
      return pick(rand, [-1, 0, -0, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2]);
    case 4:
      return pick(rand, [true, false, null]);
    case 5:
      return pick(rand, ['', ' ', 'NaN', 'Infinity', '-1', '0x10', '1e3', 'null', 'undefined']);
    case 6:
      return [];
    case 7:
      return {};
    case 8:
      return Array.from({ length: 1000 + Math.floor(rand() * 9000) }, (_, i) => i);
    case 9:
      return pick(rand, ['BTC/USDT/ETH', '/', 'btc/usdt', 'BTC-USDT', '../../etc/passwd']);
    case 10:
      return pick(rand, ['live', 'replay', 'ccxt', 'sim ', 'SIM']);
    case 11:
      return { toString: 'x', valueOf: 1, then: 'x' };
    case 12:
      return [inner, inner];
    case 13:
      return pick(rand, ['1m ', '0m', '1y', '1M', '60s']);
    case 14:
      return '\u{1F600}'.repeat(1 + Math.floor(rand() * 200));
    default:
      return pick(rand, [[null], [{}], [[]], ['a', 1, null]]);
  }
}

/** Paths to every node of a JSON-like value (the root is []). */
function paths(value: unknown, at: string[] = [], out: string[][] = []): string[][] {
  out.push(at);
  if (at.length < 6 && typeof value === 'object' && value !== null)
    for (const [k, v] of Object.entries(value)) paths(v, [...at, k], out);
  return out;
}

function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

function setAt(root: unknown, path: string[], value: unknown): unknown {
  if (path.length === 0) return value;
  let node = root as Record<string, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[path.at(-1)!] = value;
  return root;
}

function mutate(rand: () => number, base: unknown): { payload: unknown; kind: string } {
  let payload = clone(base);
  const kinds: string[] = [];
  const steps = 1 + Math.floor(rand() * 3);
  for (let s = 0; s < steps; s++) {
    const all = paths(payload);
    const path = pick(rand, all);
    const r = rand();
    if (r < 0.55) {
      payload = setAt(payload, path, hostile(rand, clone(payload)));
      kinds.push(`replace ${path.join('.') || 'payload'}`);
    } else if (r < 0.75) {
      const objects = all.filter((p) => {
        let node: unknown = payload;
        for (const k of p) node = (node as Record<string, unknown>)[k];
        return typeof node === 'object' && node !== null && !Array.isArray(node);
      });
      if (objects.length === 0) continue;
      const target = pick(rand, objects);
      let node = payload as Record<string, unknown>;
      for (const k of target) node = node[k] as Record<string, unknown>;
      const key = pick(rand, [
        '__proto__',
        'constructor',
        'prototype',
        'extra',
        '',
        'x'.repeat(300),
      ]);
      Object.defineProperty(node, key, {
        value: hostile(rand),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      kinds.push(`add key ${key.slice(0, 20)} at ${target.join('.') || 'payload'}`);
    } else if (r < 0.9 && path.length > 0) {
      let node = payload as Record<string, unknown>;
      for (const k of path.slice(0, -1)) node = node[k] as Record<string, unknown>;
      if (Array.isArray(node)) node.splice(Number(path.at(-1)), 1);
      else delete node[path.at(-1)!];
      kinds.push(`delete ${path.join('.')}`);
    } else {
      payload = hostile(rand, payload);
      kinds.push('replace payload');
    }
  }
  return { payload, kind: kinds.join(', ') };
}

/** Whether the server would accept the payload (then it is not malformed: skip it). */
export function isValidInput(channel: string, payload: unknown): boolean {
  const spec = (
    contract as Record<string, { input: { safeParse(v: unknown): { success: boolean } } }>
  )[channel];
  return spec !== undefined && spec.input.safeParse(payload ?? undefined).success;
}

/**
 * `count` malformed calls spread over every channel of the contract and unknown ones.
 * `wire` is how the transport carries the payload (JSON for WebSocket, structured clone
 * for Electron IPC): validity is judged on what the server receives.
 */
export function malformedCalls(
  seed: number,
  count: number,
  wire: (payload: unknown) => unknown,
): MalformedCall[] {
  const rand = prng(seed);
  const calls: MalformedCall[] = [];
  const channels = [...CHANNELS];
  for (let i = 0; calls.length < count; i++) {
    if (i > count * 50) throw new Error('could not generate enough malformed calls');
    if (rand() < 0.06) {
      calls.push({
        channel: pick(rand, UNKNOWN_CHANNELS),
        payload: wire(mutate(rand, pick(rand, Object.values(BASES))).payload),
        kind: 'unknown channel',
      });
      continue;
    }
    // Round robin over channels, so every one gets its share.
    const channel = channels[calls.length % channels.length]!;
    const base = BASES[channel] ?? {};
    const { payload, kind } = mutate(rand, base);
    let received: unknown;
    try {
      received = wire(payload);
    } catch {
      continue; // not expressible on this wire
    }
    if (isValidInput(channel, received)) continue;
    calls.push({ channel, payload: received, kind });
  }
  return calls;
}
