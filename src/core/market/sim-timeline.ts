/**
 * A data folder's simulated timeline: how far the simulated clock got and the day its
 * series start, kept in `<data folder>/sim-clock.json`. A restart continues the same market
 * from there, so the journal's times never step back (a run at 600× is days ahead of the
 * wall clock; starting again from the wall clock would replay the same days).
 *
 * The file is written ahead of time: each write reserves a couple of seconds of real time
 * at the clock's speed, and the clock writes again before it passes half of that, so even
 * after a crash a restart starts at or after every candle that was delivered.
 */
import { readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { writePrivateFileSync } from '../host/private-files.ts';
import { alignDown, createClock } from './clock.ts';
import type { Clock } from './clock.ts';

export const TIMELINE_FILE = 'sim-clock.json';
const DAY_MS = 86_400_000;
/** Real time each write reserves ahead of the clock. */
const LEASE_REAL_MS = 2000;
/**
 * A timeline whose series began longer ago than this starts a new series at today's date:
 * series are generated forward from their start, and a month of 1m candles is quick to
 * generate where years would slow every start down.
 */
const MAX_CONTINUE_MS = 30 * DAY_MS;

export interface TimelineRecord {
  /** Start of the series (a UTC day start). */
  origin: number;
  /** Market time the clock may have reached: a restart starts here or later. */
  reachedAt: number;
}

/** The saved timeline, or null when there is none or it cannot be read (a new one replaces it). */
export function readTimeline(dataDir: string): TimelineRecord | null {
  try {
    const raw = JSON.parse(readFileSync(join(dataDir, TIMELINE_FILE), 'utf8')) as unknown;
    const { origin, reachedAt } = (raw ?? {}) as Partial<TimelineRecord>;
    if (!Number.isSafeInteger(origin) || !Number.isFinite(reachedAt)) return null;
    return { origin: origin!, reachedAt: reachedAt! };
  } catch {
    return null;
  }
}

function writeTimeline(dataDir: string, record: TimelineRecord): void {
  const file = join(dataDir, TIMELINE_FILE);
  // Another source of this process may have reserved further: never move the file back.
  const current = readTimeline(dataDir);
  const next = {
    origin: record.origin,
    reachedAt: Math.max(record.reachedAt, current?.reachedAt ?? -Infinity),
  };
  const temp = `${file}.${process.pid}.tmp`;
  try {
    writePrivateFileSync(temp, `${JSON.stringify(next)}\n`);
    renameSync(temp, file);
  } catch {
    // A read-only or vanished folder costs the continuation, never the running feed.
  }
}

export interface TimelineClockOptions {
  speed: number;
  /** The wall clock (tests inject a fixed one). Default Date.now. */
  wallNow?: () => number;
}

/**
 * A clock for the simulated market of `dataDir` that continues the saved timeline (from
 * where it got to, or the wall clock if that is later) and records its progress.
 */
export function timelineClock(
  dataDir: string,
  opts: TimelineClockOptions,
): { clock: Clock; origin: number; reached: () => number } {
  const saved = readTimeline(dataDir);
  const wall = (opts.wallNow ?? Date.now)();
  const start = Math.max(wall, saved?.reachedAt ?? -Infinity);
  const origin =
    saved && start - saved.origin <= MAX_CONTINUE_MS && saved.origin <= start
      ? saved.origin
      : alignDown(start, DAY_MS);
  const inner = createClock({ speed: opts.speed, start });
  const lease = LEASE_REAL_MS * inner.speed;
  let reserved = start;
  writeTimeline(dataDir, { origin, reachedAt: start });
  const reserve = (time: number) => {
    if (time + lease / 2 <= reserved) return;
    reserved = time + lease;
    writeTimeline(dataDir, { origin, reachedAt: reserved });
  };
  return {
    origin,
    // where any source of this folder got to (a bot's may run far ahead of this clock)
    reached: () => readTimeline(dataDir)?.reachedAt ?? reserved,
    clock: {
      speed: inner.speed,
      now: inner.now,
      realTimeOf: inner.realTimeOf,
      sleepUntil: async (time, signal) => {
        // Reserve before anything at `time` can be delivered: the caller acts once this resolves.
        reserve(Math.max(time, inner.now()));
        return inner.sleepUntil(time, signal);
      },
    },
  };
}
