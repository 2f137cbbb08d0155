/**
 * Max drawdown from the equity peak → kill switch. The peak is the highest equity seen
 * (persisted in the risk state); the switch trips when the drawdown reaches the threshold —
 * at it, not only past it — and stays tripped until the user acknowledges it.
 */
import type { KillSwitchTrip } from '../../api/schemas.ts';

/** Drawdowns this close below the threshold count as reaching it (float noise, not money). */
const EPSILON = 1e-12;

export interface DrawdownCheck {
  /** The peak after this equity value. */
  peak: number;
  /** 0 at the peak, 0.1 = 10 % below it. */
  drawdown: number;
  tripped: boolean;
}

/** The drawdown of `equity` below `peak` (0 at or above it). */
export function drawdownOf(peak: number, equity: number): number {
  return peak > 0 && equity < peak ? (peak - equity) / peak : 0;
}

/** Whether a drawdown reaches the threshold (at it counts). */
export function reachesDrawdown(drawdown: number, maxDrawdown: number | undefined): boolean {
  return maxDrawdown !== undefined && drawdown >= maxDrawdown - EPSILON;
}

export function checkDrawdown(
  peak: number | null,
  equity: number,
  maxDrawdown: number | undefined,
): DrawdownCheck {
  const p = peak === null || equity > peak ? equity : peak;
  const drawdown = drawdownOf(p, equity);
  return { peak: p, drawdown, tripped: reachesDrawdown(drawdown, maxDrawdown) };
}

export function killSwitchTrip(
  at: number,
  equity: number,
  check: DrawdownCheck,
  threshold: number,
): KillSwitchTrip {
  // Two decimals, or enough significant digits that a small limit (0.001 %) never reads as 0.00 %.
  const pct = (f: number) =>
    `${Math.abs(f * 100) >= 0.01 || f === 0 ? (f * 100).toFixed(2) : (f * 100).toPrecision(2)}%`;
  return {
    at,
    equity,
    peak: check.peak,
    drawdown: check.drawdown,
    threshold,
    message: `kill_switch: drawdown ${pct(check.drawdown)} from the equity peak ${check.peak.toFixed(2)} reached the limit of ${pct(threshold)} (equity ${equity.toFixed(2)}); the bot stopped and needs an acknowledgement to start again`,
  };
}
