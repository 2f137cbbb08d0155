/** The readable report of `botdesk backtest` (without --json). */
import type { BacktestResult, Metrics } from '../../core/api/backtest.ts';

const iso = (ts: number) => new Date(ts).toISOString().replace(':00.000Z', 'Z');

function pct(x: number | null, sign = true): string {
  if (x === null) return '–';
  return `${sign && x > 0 ? '+' : ''}${x.toFixed(2)} %`;
}

function num(x: number | null, digits = 2): string {
  return x === null ? '–' : x.toFixed(digits);
}

function duration(ms: number): string {
  if (ms <= 0) return '0';
  const m = Math.round(ms / 60_000);
  const d = Math.floor(m / 1440);
  const h = Math.floor((m % 1440) / 60);
  const min = m % 60;
  return (
    [d ? `${d}d` : '', h ? `${h}h` : '', min ? `${min}m` : ''].filter(Boolean).join(' ') || '<1m'
  );
}

const params = (p: Record<string, unknown>) =>
  Object.entries(p)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(',');

function metricLines(m: Metrics, quote: string): string[] {
  return [
    `Return        ${pct(m.totalReturnPct)}  (final equity ${m.finalEquity.toFixed(2)} ${quote}; buy and hold ${pct(m.buyAndHoldPct)}; CAGR ${pct(m.cagrPct)})`,
    `Max drawdown  ${pct(m.maxDrawdownPct, false)}  (${m.maxDrawdownQuote.toFixed(2)} ${quote}, longest under water ${duration(m.maxDrawdownDurationMs)})`,
    `Ratios        Sharpe ${num(m.sharpe)}  Sortino ${num(m.sortino)}  Calmar ${num(m.calmar)}`,
    `Trades        ${m.trades}  (win rate ${pct(m.winRatePct, false)}, profit factor ${num(m.profitFactor)}, expectancy ${num(m.expectancy)} ${quote})`,
    `Per trade     average ${pct(m.avgTradePct)}, best ${pct(m.bestTradePct)}, worst ${pct(m.worstTradePct)}; fees ${m.fees.toFixed(2)} ${quote}`,
    `Exposure      ${pct(m.exposurePct, false)} of the time in a position`,
  ];
}

export function formatReport(r: BacktestResult, saved: boolean): string {
  const quote = r.symbols[0]?.split('/')[1] ?? '';
  const lines = [
    `Backtest of ${r.strategy.id}${Object.keys(r.strategy.params).length ? ` (${params(r.strategy.params)})` : ''} on ${r.symbols.join(', ')} ${r.timeframe}`,
    `Period        ${iso(r.from)} – ${iso(r.to)}, ${r.candles} candle times; fee ${(r.feeRate * 100).toFixed(3)} %, slippage ${r.slippageBps} bps, balance ${r.startingBalance} ${quote}, gaps ${r.gaps}`,
    ...metricLines(r.metrics, quote),
  ];
  const pairs = Object.entries(r.metrics.perPair);
  if (pairs.length > 1) {
    lines.push('', 'Per pair      trades   pnl         return    win rate   buy&hold');
    for (const [symbol, m] of pairs) {
      lines.push(
        `  ${symbol.padEnd(12)}${String(m.trades).padStart(6)}   ${m.pnl.toFixed(2).padStart(10)}  ${pct(m.returnPct).padStart(9)}  ${pct(m.winRatePct, false).padStart(9)}  ${pct(m.buyAndHoldPct).padStart(9)}`,
      );
    }
  }
  if (r.trades.length > 0) {
    const shown = r.trades.slice(-10);
    lines.push('', `Last ${shown.length} of ${r.trades.length} trades`);
    for (const t of shown) {
      lines.push(
        `  ${t.symbol.padEnd(10)} ${iso(t.entryTs)} → ${iso(t.exitTs)}  ${t.entryPrice.toPrecision(6)} → ${t.exitPrice.toPrecision(6)}  ${pct(t.pnlPct).padStart(9)}  ${t.exitReason}`,
      );
    }
  }
  if (r.grid) {
    const top = r.grid.rows.slice(0, 10);
    lines.push(
      '',
      `Grid: ${r.grid.rows.length} combinations ranked by ${r.grid.rankBy}${r.grid.splitTs !== null ? `; in sample until ${iso(r.grid.splitTs)}, out of sample after` : ''}`,
    );
    for (const row of top) {
      const oos = row.outOfSample ? `  out of sample ${pct(row.outOfSample.totalReturnPct)}` : '';
      lines.push(
        `  ${params(row.params).padEnd(24)} return ${pct(row.metrics.totalReturnPct).padStart(9)}  Sharpe ${num(row.metrics.sharpe).padStart(6)}  drawdown ${pct(row.metrics.maxDrawdownPct, false).padStart(8)}  trades ${String(row.metrics.trades).padStart(5)}${oos}`,
      );
    }
  }
  if (r.warnings.length > 0) lines.push('', 'Warnings', ...r.warnings.map((w) => `  - ${w}`));
  lines.push(
    '',
    `Simulated in ${r.elapsedMs.toFixed(0)} ms (data loaded in ${r.loadMs.toFixed(0)} ms)${saved ? `; saved as ${r.id}` : ''}`,
  );
  return `${lines.join('\n')}\n`;
}
