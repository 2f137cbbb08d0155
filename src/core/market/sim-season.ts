/**
 * Time of day and day of week in the simulated market: crypto trades around the clock, but
 * busiest when Europe and the US overlap (about 13–17 UTC), quietest in the late Asian night
 * (about 02–06 UTC), and quieter at weekends. The factor scales both the trade arrival rate
 * and the variance of returns, so quiet hours have fewer trades and smaller moves. Its
 * average over a week is 1, so profiles keep their meaning as averages.
 */

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const MINUTES = 1440;
/** Busiest at 14:30 UTC; the daily swing is about ±35 %. */
const PEAK_MINUTE = 14.5 * 60;
const DAILY_SWING = 0.35;
const SECOND_HARMONIC = 0.08;
/** Saturday and Sunday trade at 70 % of a weekday's activity. */
const WEEKEND = 0.7;
const WEEKDAY = (7 - 2 * WEEKEND) / 5;

/** prefix[m] = sum of the intraday shape over minutes [0, m). */
const prefix = new Float64Array(MINUTES + 1);
{
  const shape = new Float64Array(MINUTES);
  let total = 0;
  for (let m = 0; m < MINUTES; m++) {
    const phase = (2 * Math.PI * (m + 0.5 - PEAK_MINUTE)) / MINUTES;
    shape[m] = 1 + DAILY_SWING * Math.cos(phase) + SECOND_HARMONIC * Math.cos(2 * phase);
    total += shape[m]!;
  }
  for (let m = 0; m < MINUTES; m++) prefix[m + 1] = prefix[m]! + (shape[m]! * MINUTES) / total;
}

function dayFactor(ts: number): number {
  // 1970-01-01 was a Thursday (4, counting Sunday as 0).
  const weekday = (((Math.floor(ts / DAY_MS) + 4) % 7) + 7) % 7;
  return weekday === 0 || weekday === 6 ? WEEKEND : WEEKDAY;
}

/** The activity factor of the candle [ts, ts + tfMs): the average over its minutes. */
export function seasonFactor(ts: number, tfMs: number): number {
  const day = dayFactor(ts);
  if (tfMs >= DAY_MS) return day;
  const from = Math.floor((ts - Math.floor(ts / DAY_MS) * DAY_MS) / MINUTE_MS);
  const to = Math.min(MINUTES, from + Math.max(1, Math.round(tfMs / MINUTE_MS)));
  return (day * (prefix[to]! - prefix[from]!)) / (to - from);
}
