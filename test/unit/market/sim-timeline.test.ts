/**
 * The simulated market's timeline in a data folder: a restart continues from where the
 * clock got to (never stepping back, even after a crash) on the same series.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { MarketConfig } from '../../../src/core/api/schemas.ts';
import { createMarketSource } from '../../../src/core/market/create-source.ts';
import { readTimeline, TIMELINE_FILE } from '../../../src/core/market/sim-timeline.ts';
import type { CandleEvent } from '../../../src/core/market/types.ts';

const WALL = Date.UTC(2026, 0, 15, 12, 0, 30);
const SIM: MarketConfig = { source: 'sim', speed: 600_000, seed: 3 };
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function dataDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'botdesk-timeline-'));
  dirs.push(d);
  return d;
}

async function take(stream: AsyncIterable<CandleEvent>, n: number): Promise<CandleEvent[]> {
  const out: CandleEvent[] = [];
  for await (const event of stream) {
    out.push(event);
    if (out.length === n) break;
  }
  return out;
}

/** Runs a source of `dir` until it delivered `n` closes (600 000×: a 1m candle every 0.1 ms). */
async function run(dir: string, n: number, now = () => WALL) {
  const source = createMarketSource(SIM, { dataDir: dir, now });
  const controller = new AbortController();
  const events = await take(source.subscribe(['BTC/USDT'], '1m', { signal: controller.signal }), n);
  controller.abort();
  const history = await source.history('BTC/USDT', '1m', 50);
  await source.close();
  return { events, history };
}

describe('simulated timeline of a data folder', () => {
  it("a source made before a fast run serves that run's candles by range (an earlier run's chart)", async () => {
    const dir = dataDir();
    // made first, at 1× (the page's chart source), then a bot's market runs far ahead of it
    const slow = createMarketSource({ ...SIM, speed: 1 }, { dataDir: dir, now: () => WALL });
    const ran = await run(dir, 300);
    const from = ran.events[0]!.candle.ts;
    const to = ran.events.at(-1)!.candle.ts + 60_000;
    const past = await slow.range!('BTC/USDT', '1m', from, to);
    expect(past).toEqual(ran.events.map((e) => e.candle));
    await slow.close();
  });

  it('a restart continues after the last delivered candle instead of replaying the day', async () => {
    const dir = dataDir();
    const first = await run(dir, 200);
    const lastTs = first.events.at(-1)!.candle.ts;
    // The wall clock has not moved (a run at 600 000× is far ahead of it).
    const second = await run(dir, 20);
    expect(second.events[0]!.candle.ts).toBeGreaterThan(lastTs);
    expect(second.history.at(-1)!.ts).toBeGreaterThan(lastTs);
    // Same series: the candles the first run delivered are the restarted market's past.
    const again = createMarketSource(SIM, { dataDir: dir, now: () => WALL });
    const past = await again.range!('BTC/USDT', '1m', first.events[0]!.candle.ts, lastTs + 60_000);
    expect(past).toEqual(first.events.map((e) => e.candle));
    await again.close();
    // Without a data folder the market restarts from the wall clock, as before.
    const plain = createMarketSource(SIM, { now: () => WALL });
    const controller = new AbortController();
    const [fresh] = await take(
      plain.subscribe(['BTC/USDT'], '1m', { signal: controller.signal }),
      1,
    );
    controller.abort();
    expect(fresh!.candle.ts).toBeLessThan(lastTs);
  });

  it('the saved time is always ahead of every delivered candle (a crash never steps back)', async () => {
    const dir = dataDir();
    const source = createMarketSource(SIM, { dataDir: dir, now: () => WALL });
    const controller = new AbortController();
    let checked = 0;
    for await (const event of source.subscribe(['ETH/USDT'], '1m', {
      signal: controller.signal,
    })) {
      // Read the file as a crash would leave it, before anything else happens.
      expect(readTimeline(dir)!.reachedAt).toBeGreaterThanOrEqual(event.candle.ts + 60_000);
      if (++checked === 300) break;
    }
    controller.abort();
    await source.close();
    // Private like the rest of the data folder.
    if (process.platform !== 'win32')
      expect(statSync(join(dir, TIMELINE_FILE)).mode & 0o777).toBe(0o600);
  });

  it('a later wall clock wins, and a damaged file starts a new timeline', async () => {
    const dir = dataDir();
    await run(dir, 5);
    const saved = readTimeline(dir)!;
    const muchLater = saved.reachedAt + 90 * 86_400_000;
    const later = await run(dir, 1, () => muchLater);
    expect(later.events[0]!.candle.ts).toBeGreaterThanOrEqual(muchLater - 60_000);
    // Past the continuation horizon: a new series starting on the new day.
    expect(readTimeline(dir)!.origin).toBe(muchLater - (muchLater % 86_400_000));
    writeFileSync(join(dir, TIMELINE_FILE), '{ not json');
    const fresh = await run(dir, 1);
    expect(fresh.events[0]!.candle.ts).toBeLessThan(saved.reachedAt);
    expect(JSON.parse(readFileSync(join(dir, TIMELINE_FILE), 'utf8'))).toMatchObject({
      origin: WALL - (WALL % 86_400_000),
    });
  });
});
