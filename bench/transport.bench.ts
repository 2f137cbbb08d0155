/**
 * WebSocket transport figures (JSON on stdout, progress on stderr), over real
 * sockets on 127.0.0.1 with the real core host behind the dispatcher:
 * - bot:status call round trip (sequential: p50/p99 latency; 32 in flight: calls/s);
 * - a bad payload's INVALID_INPUT round trip;
 * - event fan-out: log events/s delivered to 1 and to 4 subscribed clients;
 * - status coalescing: how many of a ~1 kHz status stream reach a client (≤ 10 Hz).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createDispatcher } from '../src/core/api/dispatcher.ts';
import { connectWs, type WsConnection } from '../src/core/api/ws-client.ts';
import { createCoreHost } from '../src/core/host/core-host.ts';
import { createConfSettingsStore } from '../src/core/settings/store.ts';
import { startWsServer } from '../src/core/transport/ws-server.ts';

const TOKEN = 'bench-token-0123456789abcdef';
const round = (x: number, digits = 3) => Number(x.toFixed(digits));
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

async function sequentialCalls(conn: WsConnection, n: number) {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await conn.api.bot.status();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { calls: n, p50Ms: round(percentile(times, 0.5)), p99Ms: round(percentile(times, 0.99)) };
}

async function concurrentCalls(conn: WsConnection, total: number, inFlight: number) {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next++ < total) await conn.api.bot.status();
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  return { calls: total, inFlight, callsPerSec: Math.round(total / seconds) };
}

async function invalidInput(conn: WsConnection, n: number) {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await conn.api.journal.fills({ limit: -1 }).catch(() => undefined);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { calls: n, p50Ms: round(percentile(times, 0.5)) };
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'botdesk-bench-transport-'));
  const core = await createCoreHost({
    dataDir,
    settings: createConfSettingsStore(dataDir),
    resume: false,
  });
  const server = await startWsServer({
    dispatch: createDispatcher(core.handlers),
    bus: core.bus,
    token: TOKEN,
    // 32 calls in flight on one connection measure the transport, not the per-connection limit.
    rateLimit: null,
  });
  const clients = await Promise.all(
    Array.from({ length: 4 }, () => connectWs({ url: server.url, token: TOKEN })),
  );
  const [first] = clients as [WsConnection, ...WsConnection[]];

  process.stderr.write('transport: call round trips…\n');
  await sequentialCalls(first, 200); // warm-up
  const sequential = await sequentialCalls(first, 2000);
  const concurrent = await concurrentCalls(first, 10_000, 32);
  const invalid = await invalidInput(first, 1000);

  const fanOut = async (subscribers: WsConnection[], events: number) => {
    let received = 0;
    const offs = subscribers.map((c) => c.api.on('log', () => received++));
    await Promise.all(subscribers.map((c) => c.api.bot.status())); // subscriptions are in place
    const line = { ts: 0, level: 'info' as const, scope: 'bench', message: 'x'.repeat(100) };
    const t0 = performance.now();
    for (let i = 0; i < events; i++) {
      core.bus.emit('log', line);
      if (i % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    while (received < events * subscribers.length)
      await new Promise((resolve) => setTimeout(resolve, 1));
    const seconds = (performance.now() - t0) / 1000;
    for (const off of offs) off();
    return {
      events,
      subscribers: subscribers.length,
      deliveredPerSec: Math.round((events * subscribers.length) / seconds),
    };
  };
  process.stderr.write('transport: event fan-out…\n');
  const fanOut1 = await fanOut([first], 50_000);
  const fanOut4 = await fanOut(clients, 20_000);

  process.stderr.write('transport: status coalescing…\n');
  const statusAt: number[] = [];
  const offStatus = first.api.on('bot:status', () => statusAt.push(performance.now()));
  await first.api.bot.status();
  const snapshot = core.manager.status();
  // A steady stream (one status per ms for about 2 s): the client should see about 10 a second.
  const streamStart = performance.now();
  let emitted = 0;
  while (performance.now() - streamStart < 2000) {
    core.bus.emit('bot:status', { ...snapshot, rev: snapshot.rev + ++emitted });
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  const streamMs = performance.now() - streamStart;
  await new Promise((resolve) => setTimeout(resolve, 250)); // the trailing edge
  offStatus();

  await Promise.all(clients.map((c) => c.close()));
  await server.close();
  await core.close();
  rmSync(dataDir, { recursive: true, force: true });

  process.stdout.write(
    `${JSON.stringify(
      {
        statusCall: { sequential, concurrent },
        invalidInputCall: invalid,
        eventFanOut: [fanOut1, fanOut4],
        statusCoalescing: {
          emitted,
          streamMs: round(streamMs, 1),
          delivered: statusAt.length,
          minGapMs: round(Math.min(...statusAt.slice(1).map((t, i) => t - statusAt[i]!)), 1),
        },
      },
      null,
      2,
    )}\n`,
  );
}

await main();
