/**
 * Bundled by bench/ui.bench.ts into one script for Chromium: the dashboard's own chart
 * drawing (chart-draw.ts) fed `n` candles, timed to the first painted frame after it.
 */
import type { Candle } from '../../src/core/api/schemas.ts';
import { createParts, draw } from '../../src/renderer/src/components/chart-draw.ts';
import { SymbolSeries } from '../../src/renderer/src/state/market-store.ts';

function candles(n: number): Candle[] {
  const out: Candle[] = [];
  let price = 100;
  const t0 = Date.UTC(2020, 0, 1);
  for (let i = 0; i < n; i++) {
    const open = price;
    price *= 1 + Math.sin(i * 0.37) * 0.004 + Math.cos(i * 0.011) * 0.002;
    const close = price;
    out.push({
      ts: t0 + i * 60_000,
      open,
      high: Math.max(open, close) * 1.001,
      low: Math.min(open, close) * 0.999,
      close,
      volume: 1 + (i % 17),
    });
  }
  return out;
}

const frame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));

/** ms from handing the candles over to the frame after the chart painted them. */
async function firstPaint(n: number): Promise<{ candles: number; ms: number; drawMs: number }> {
  const data = candles(n);
  const box = document.createElement('div');
  box.style.cssText = 'width:1200px;height:600px';
  document.body.append(box);
  await frame();
  const t0 = performance.now();
  const parts = createParts(box);
  const series = new SymbolSeries(n);
  series.bars.replaceAll(data);
  draw(parts, 'BENCH/USDT', series, 60_000);
  const drawMs = performance.now() - t0;
  await frame(); // the library paints in its own animation frame
  await frame();
  const ms = performance.now() - t0;
  parts.chart.remove();
  box.remove();
  return { candles: n, ms, drawMs };
}

(globalThis as unknown as { benchChart: typeof firstPaint }).benchChart = firstPaint;
