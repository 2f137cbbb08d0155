/**
 * The remote load scenario, shared by the load test (short) and
 * bench/remote-load.bench.ts (60 s): N clients subscribed to every event of a
 * real `botdesk serve` child process while its bot trades on a fast simulated
 * market. Each client records compact keys of what it received; afterwards the
 * checks compare every client with the journal, with the tick count and with each
 * other, so a lost, duplicated or reordered event on any one client shows up.
 * The server's resident memory is sampled from /proc while it runs.
 */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connectWs, type WsConnection } from '../../src/core/api/ws-client.ts';
import type { BotConfigInput } from '../../src/core/api/schemas.ts';
import { pinnedSocketFactory, probeCertificate } from '../../src/core/transport/pinned-socket.ts';

/**
 * Environment for the server process that makes it write its live heap (after a
 * full GC) to a file every 500 ms, so "memory flat" is measured on the heap, not
 * only on RSS (which also holds SQLite's page cache and allocator slack). Only
 * the process without an IPC channel writes: forked compute workers inherit it.
 */
export function heapProbe(): { env: Record<string, string>; file: string } {
  const file = path.join(tmpdir(), `botdesk-heap-${process.pid}-${Date.now()}.json`);
  const code =
    'import{writeFileSync}from"node:fs";' +
    'if(!process.send){setInterval(()=>{globalThis.gc?.();' +
    'writeFileSync(process.env.BOTDESK_HEAP_FILE,JSON.stringify(process.memoryUsage()))},500).unref()}';
  const options = [
    process.env.NODE_OPTIONS ?? '',
    '--expose-gc',
    `--import=data:text/javascript,${encodeURIComponent(code)}`,
  ];
  return {
    file,
    env: { NODE_OPTIONS: options.join(' ').trim(), BOTDESK_HEAP_FILE: file },
  };
}

export interface LoadOptions {
  url: string;
  token: string;
  serverPid: number;
  /** The heapProbe() file the server writes, if it was started with its env. */
  heapFile?: string;
  clients: number;
  durationMs: number;
  config: BotConfigInput;
  sampleEveryMs?: number;
}

interface ClientLog {
  ticks: number[];
  candles: Map<string, number[]>;
  fills: string[];
  orders: string[];
  equity: number[];
  signals: string[];
  logs: number;
  statuses: number;
  closedEarly: boolean;
}

export interface LoadResult {
  clients: number;
  durationMs: number;
  ticks: number;
  fills: number;
  orders: number;
  /** Events delivered to all clients together (bot:status included). */
  eventsDelivered: number;
  /** Per-client problems; empty when nothing was lost, duplicated or reordered. */
  problems: string[];
  rssMb: MemorySeries;
  /** The server's heap in use after a full GC (null without a heap probe). */
  heapUsedMb: MemorySeries | null;
}

export interface MemorySeries {
  samples: number;
  first: number;
  atQuarter: number;
  last: number;
  max: number;
  /** Least-squares slope over the second half of the run, MB per minute. */
  slopeSecondHalfMbPerMin: number;
}

function rssMb(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

function heapMb(file: string): number | null {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { heapUsed: number }).heapUsed / 1024 / 1024;
  } catch {
    return null;
  }
}

function slopePerMin(points: Array<[number, number]>): number {
  if (points.length < 2) return 0;
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den === 0 ? 0 : (num / den) * 60_000;
}

function series(samples: Array<[number, number]>, durationMs: number): MemorySeries {
  const round = (x: number) => Math.round(x * 10) / 10;
  const values = samples.map(([, mb]) => mb);
  const quarter = samples.find(([t]) => t >= durationMs / 4)?.[1] ?? values[0] ?? 0;
  return {
    samples: samples.length,
    first: round(values[0] ?? 0),
    atQuarter: round(quarter),
    last: round(values.at(-1) ?? 0),
    max: round(Math.max(...values)),
    slopeSecondHalfMbPerMin: round(slopePerMin(samples.filter(([t]) => t >= durationMs / 2))),
  };
}

async function connectClient(url: string, token: string): Promise<WsConnection> {
  if (!url.startsWith('wss:')) return connectWs({ url, token });
  const cert = await probeCertificate(url);
  return connectWs({ url, token, createSocket: pinnedSocketFactory(cert) });
}

function record(conn: WsConnection): ClientLog {
  const log: ClientLog = {
    ticks: [],
    candles: new Map(),
    fills: [],
    orders: [],
    equity: [],
    signals: [],
    logs: 0,
    statuses: 0,
    closedEarly: false,
  };
  const { api } = conn;
  api.on('bot:tick', (t) => log.ticks.push(t.n));
  api.on('market:candle', (c) => {
    let list = log.candles.get(c.symbol);
    if (!list) log.candles.set(c.symbol, (list = []));
    list.push(c.candle.ts);
  });
  api.on('fill', (f) => log.fills.push(f.id));
  api.on('order', (o) => log.orders.push(`${o.id}:${o.status}`));
  api.on('equity', (e) => log.equity.push(e.ts));
  api.on('strategy:signal', (s) => log.signals.push(`${s.symbol}:${s.ts}:${s.action}`));
  api.on('log', () => log.logs++);
  api.on('bot:status', () => log.statuses++);
  return log;
}

const same = (a: readonly unknown[], b: readonly unknown[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

function check(
  logs: ClientLog[],
  ticks: number,
  journalFills: string[],
  journalOrderIds: Set<string>,
): string[] {
  const problems: string[] = [];
  const ref = logs[0]!;
  logs.forEach((log, i) => {
    const who = `client ${i}`;
    if (log.closedEarly) problems.push(`${who}: disconnected during the run`);
    if (
      !same(
        log.ticks,
        Array.from({ length: ticks }, (_, k) => k + 1),
      )
    )
      problems.push(`${who}: ${log.ticks.length} ticks received, expected 1..${ticks} in order`);
    if (journalFills.length < 10_000 && !same(log.fills, journalFills))
      problems.push(
        `${who}: ${log.fills.length} fills differ from the journal's ${journalFills.length}`,
      );
    for (const [symbol, ts] of log.candles) {
      const back = ts.findIndex((t, k) => k > 0 && t <= ts[k - 1]!);
      if (back > 0) problems.push(`${who}: ${symbol} candle ${ts[back]} after ${ts[back - 1]}`);
      if (!same(ts, ref.candles.get(symbol) ?? []))
        problems.push(`${who}: ${symbol} candles differ from client 0`);
    }
    if (log.candles.size !== ref.candles.size) problems.push(`${who}: candles of other symbols`);
    if (!same(log.orders, ref.orders)) problems.push(`${who}: order events differ from client 0`);
    if (!same(log.equity, ref.equity)) problems.push(`${who}: equity events differ from client 0`);
    if (log.equity.length !== ticks)
      problems.push(`${who}: ${log.equity.length} equity events for ${ticks} ticks`);
    if (!same(log.signals, ref.signals)) problems.push(`${who}: signals differ from client 0`);
    if (log.logs !== ref.logs)
      problems.push(`${who}: ${log.logs} log lines, client 0 got ${ref.logs}`);
  });
  const stray = ref.orders.find((key) => !journalOrderIds.has(key.split(':')[0]!));
  if (stray) problems.push(`order event ${stray} is not in the journal`);
  return problems;
}

export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  const conns = await Promise.all(
    Array.from({ length: opts.clients }, () => connectClient(opts.url, opts.token)),
  );
  const logs = conns.map(record);
  let finished = false;
  conns.forEach((conn, i) => {
    void conn.closed.then(() => {
      if (!finished) logs[i]!.closedEarly = true;
    });
  });
  // One call per client: its `sub` frames were sent before the call, so they are in place.
  await Promise.all(conns.map((c) => c.api.bot.status()));
  const driver = conns[0]!;

  const rss: Array<[number, number]> = [];
  const heap: Array<[number, number]> = [];
  const t0 = Date.now();
  const sample = () => {
    const mb = rssMb(opts.serverPid);
    if (mb !== null) rss.push([Date.now() - t0, mb]);
    const used = opts.heapFile ? heapMb(opts.heapFile) : null;
    if (used !== null) heap.push([Date.now() - t0, used]);
  };
  sample();
  const sampler = setInterval(sample, opts.sampleEveryMs ?? 1000);

  await driver.api.bot.start({ config: opts.config });
  await new Promise((resolve) => setTimeout(resolve, opts.durationMs));
  const stopped = await driver.api.bot.stop({ reason: 'load test', timeoutMs: 20_000 });
  clearInterval(sampler);
  sample();
  // Events sent before the stop's answer are ahead of it on each socket; one more round
  // trip per client makes sure each has read them all.
  await Promise.all(conns.map((c) => c.api.bot.status()));

  const journalFills = (await driver.api.journal.fills({ limit: 10_000 }))
    .map((f) => f.id)
    .reverse();
  const journalOrders = await driver.api.journal.orders({ limit: 10_000 });
  const problems = check(
    logs,
    stopped.ticks,
    journalFills,
    new Set(journalOrders.map((o) => o.id)),
  );
  finished = true;
  await Promise.all(conns.map((c) => c.close()));

  const delivered = logs.reduce(
    (sum, l) =>
      sum +
      l.ticks.length +
      [...l.candles.values()].reduce((s, c) => s + c.length, 0) +
      l.fills.length +
      l.orders.length +
      l.equity.length +
      l.signals.length +
      l.logs +
      l.statuses,
    0,
  );
  return {
    clients: opts.clients,
    durationMs: opts.durationMs,
    ticks: stopped.ticks,
    fills: journalFills.length,
    orders: journalOrders.length,
    eventsDelivered: delivered,
    problems,
    rssMb: series(rss, opts.durationMs),
    heapUsedMb: heap.length > 0 ? series(heap, opts.durationMs) : null,
  };
}
