/**
 * The stores fed from main: an initial snapshot plus pushed events, applied once per
 * animation frame (frame-batch.ts). Tables, charts and statistics show one run: the
 * current one unless an earlier one is picked (runs-store.ts).
 */
import type { BotDeskApi } from '../../../core/api/client.ts';
import type { EventName } from '../../../core/api/channels.ts';
import type { EventPayload } from '../../../core/api/contract.ts';
import type { BotConfig, BotStatus } from '../../../core/api/schemas.ts';
import type { AppStores } from './app-stores.ts';
import { describeError } from './describe-error.ts';
import {
  animationFrame,
  createFrameBatcher,
  frameSchedule,
  immediate,
  type Schedule,
} from './frame-batch.ts';
import { MAX_EQUITY, MAX_LOGS, MAX_ROWS } from './journal-store.ts';
import type { CandleEvent } from './market-store.ts';
import { MAX_RISK_EVENTS } from './risk-store.ts';
import { shownRun } from './runs-store.ts';

export const HISTORY_CANDLES = 300;
/** Positions carry live prices: refreshed at most this often while the bot runs. */
const POSITIONS_EVERY_MS = 1000;

/** The config the chart follows: the running bot's, else the saved one. */
function activeConfig(stores: AppStores): BotConfig | null {
  return stores.bot.getState().status?.config ?? stores.settings.getState().settings?.bot ?? null;
}

async function loadHistory(api: BotDeskApi, stores: AppStores, symbol: string): Promise<void> {
  const config = activeConfig(stores);
  if (!config) return;
  try {
    const candles = await api.market.history({
      source: config.market.source,
      exchange: config.market.exchange,
      ...(config.market.file ? { file: config.market.file } : {}),
      seed: config.market.seed,
      symbol,
      timeframe: config.timeframe,
      limit: HISTORY_CANDLES,
    });
    stores.market.getState().applyHistory(symbol, candles);
    // A page opened mid-run: the run's recent candles carry the indicator values of the past too.
    const state = stores.bot.getState().status?.state;
    if (state === 'running' || state === 'starting') {
      const recent = await api.market.recent({ symbol, limit: HISTORY_CANDLES });
      if (recent.length > 0)
        stores.market.getState().applyCandles(recent.map((r) => ({ symbol, ...r })));
    }
  } catch (err) {
    stores.journal.getState().applyError({
      code: 'MARKET_ERROR',
      message: `chart history: ${describeError(err)}`,
      symbol,
    });
  }
}

export function selectSymbol(api: BotDeskApi, stores: AppStores, symbol: string): Promise<void> {
  stores.market.getState().select(symbol);
  return loadHistory(api, stores, symbol);
}

/** Which candles the chart shows: another source, exchange, file, seed or timeframe is another chart. */
function chartSource(config: BotConfig | null | undefined): string {
  if (!config) return '';
  const m = config.market;
  return `${m.source}|${m.exchange ?? ''}|${m.file ?? ''}|${m.seed}|${config.timeframe}`;
}

/** The rows of the run shown (all rows when there is no run yet). */
export async function loadRunRows(api: BotDeskApi, stores: AppStores): Promise<void> {
  const runId = shownRun(stores.runs.getState().picked, stores.bot.getState().status?.runId);
  const q = runId ? { runId } : {};
  const [orders, fills, equity] = await Promise.all([
    api.journal.orders({ limit: MAX_ROWS, ...q }),
    api.journal.fills({ limit: MAX_ROWS, ...q }),
    api.journal.equity({ limit: MAX_EQUITY, ...q }),
  ]);
  stores.journal.getState().replaceRows({ orders, fills, equity });
}

export async function refreshRuns(api: BotDeskApi, stores: AppStores): Promise<void> {
  stores.runs.getState().applyRuns(await api.journal.runs({ limit: 100 }));
}

export async function refreshPositions(api: BotDeskApi, stores: AppStores): Promise<void> {
  stores.positions.getState().applyPositions(await api.journal.positions());
}

/** Keep the chart on a symbol the bot trades; a new run, or other candles, start a new chart. */
function followStatus(
  api: BotDeskApi,
  stores: AppStores,
  prev: BotStatus | null,
  next: BotStatus,
): void {
  const market = stores.market.getState();
  // A run's warm-up candles (with indicator values) arrive while it is starting, before the
  // status that carries its startedAt: the chart starts afresh at 'starting', and only a run
  // whose start this feed did not see clears it when its startedAt shows up.
  const starting = next.state === 'starting' && prev?.state !== 'starting';
  const startedAt = next.startedAt !== null && next.startedAt !== prev?.startedAt;
  const newRun = starting || (startedAt && prev?.state !== 'starting');
  const otherCandles = prev !== null && chartSource(prev.config) !== chartSource(next.config);
  if (newRun || otherCandles) market.reset();
  if (newRun) stores.risk.getState().clearNotices();
  stores.journal.getState().pruneNotices(prev, next);
  const symbols = next.config?.symbols ?? stores.settings.getState().settings?.bot.symbols ?? [];
  const selected = market.selected;
  if (symbols.length > 0 && (selected === null || !symbols.includes(selected)))
    void selectSymbol(api, stores, symbols[0]!);
  else if ((newRun || startedAt || otherCandles) && selected !== null)
    void loadHistory(api, stores, selected);
  const runChanged = prev !== null && (prev.runId ?? null) !== (next.runId ?? null);
  const stateChanged = prev !== null && prev.state !== next.state;
  // the run's record was read at its start, before its first equity: read it again after its
  // first tick, so its PnL is measured from that equity (not from the points still loaded)
  const firstTick = prev !== null && !runChanged && prev.ticks === 0 && next.ticks > 0;
  if (firstTick) void refreshRuns(api, stores).catch(() => {});
  if (runChanged || stateChanged) {
    void refreshRuns(api, stores).catch(() => {});
    void refreshPositions(api, stores).catch(() => {});
  }
  if (runChanged && stores.runs.getState().picked === null) {
    stores.journal.getState().replaceRows({ orders: [], fills: [], equity: [] });
    void loadRunRows(api, stores).catch(() => {});
  }
}

/** A status from main (pushed, or a command's answer): the store takes it if newer, and the views follow. */
export function receiveStatus(api: BotDeskApi, stores: AppStores, status: BotStatus): void {
  const prev = stores.bot.getState().status;
  stores.bot.getState().applyStatus(status);
  if (stores.bot.getState().status === status) followStatus(api, stores, prev, status);
}

const FEED_EVENTS = [
  'bot:status',
  'bot:tick',
  'market:candle',
  'order',
  'fill',
  'equity',
  'log',
  'error',
  'risk',
  'backtest:progress',
] as const satisfies readonly EventName[];
type FeedEvent = (typeof FEED_EVENTS)[number];

export interface FeedOptions {
  /** When queued events are applied; once per animation frame in a page, at once elsewhere. */
  schedule?: Schedule;
  /** After fills: e.g. reload the trades page shown. */
  onFills?: () => void;
}

/**
 * Subscribe first, then read the snapshot, so nothing pushed in between is lost
 * (the stores deduplicate what arrives twice). Returns the unsubscribe function.
 */
export async function attachFeed(
  api: BotDeskApi,
  stores: AppStores,
  opts: FeedOptions = {},
): Promise<() => void> {
  const { market, journal, settings, runs } = stores;
  const onStatus = (status: BotStatus) => receiveStatus(api, stores, status);
  /** Rows of the current run arrive live; an earlier run picked for viewing is left as loaded. */
  const live = () => runs.getState().picked === null;
  let positionsAt = 0;
  const positionsDue = (force: boolean) => {
    const now = Date.now();
    if (!force && now - positionsAt < POSITIONS_EVERY_MS) return;
    positionsAt = now;
    void refreshPositions(api, stores).catch(() => {});
  };
  const apply = (kind: FeedEvent, payloads: unknown[]) => {
    const j = journal.getState();
    switch (kind) {
      case 'bot:status':
        for (const p of payloads) onStatus(p as BotStatus);
        return;
      case 'bot:tick':
        j.applyTick(payloads.at(-1) as EventPayload<'bot:tick'>);
        stores.positions.getState().tickPassed((payloads.at(-1) as EventPayload<'bot:tick'>).n);
        positionsDue(false);
        return;
      case 'market:candle':
        market.getState().applyCandles(payloads as CandleEvent[]);
        return;
      case 'order':
        if (live()) for (const p of payloads) j.applyOrder(p as EventPayload<'order'>);
        return;
      case 'fill':
        for (const p of payloads) {
          if (live()) j.applyFill(p as EventPayload<'fill'>);
          market.getState().applyFill(p as EventPayload<'fill'>);
        }
        positionsDue(true);
        opts.onFills?.();
        return;
      case 'equity':
        if (live()) for (const p of payloads) j.applyEquity(p as EventPayload<'equity'>);
        return;
      case 'log':
        for (const p of payloads) j.applyLog(p as EventPayload<'log'>);
        return;
      case 'error':
        for (const p of payloads) j.applyError(p as EventPayload<'error'>);
        return;
      case 'risk':
        for (const p of payloads) stores.risk.getState().applyRisk(p as EventPayload<'risk'>);
        return;
      case 'backtest:progress':
        stores.backtest
          .getState()
          .applyProgress(payloads.at(-1) as EventPayload<'backtest:progress'>);
        return;
    }
  };
  const schedule =
    opts.schedule ?? (animationFrame ? frameSchedule(animationFrame.bind(globalThis)) : immediate);
  const batcher = createFrameBatcher(apply, schedule);
  const offs = FEED_EVENTS.map((event) =>
    api.on(event, (payload: unknown) => batcher.push(event, payload)),
  );
  const detach = () => {
    offs.forEach((off) => off());
    batcher.clear();
  };
  try {
    const [saved, strategies, runList, logs, status, positions, riskEvents] = await Promise.all([
      api.settings.get(),
      api.strategies.list(),
      api.journal.runs({ limit: 100 }),
      api.logs.tail({ limit: MAX_LOGS }),
      api.bot.status(),
      api.journal.positions(),
      // the risk decisions before this page: a reload still lists them
      api.journal.riskEvents({ limit: MAX_RISK_EVENTS }).catch(() => []),
    ]);
    stores.risk.getState().applySnapshot(riskEvents);
    settings.getState().applySettings(saved);
    settings.getState().applyStrategies(strategies);
    runs.getState().applyRuns(runList);
    // events queued meanwhile first: the snapshot status must not be taken for a newer one
    batcher.flush();
    onStatus(status); // before the fills: a run seen for the first time resets the chart
    const runId = shownRun(runs.getState().picked, status.runId);
    const q = runId ? { runId } : {};
    const [orders, fills, equity] = await Promise.all([
      api.journal.orders({ limit: MAX_ROWS, ...q }),
      api.journal.fills({ limit: MAX_ROWS, ...q }),
      api.journal.equity({ limit: MAX_EQUITY, ...q }),
    ]);
    journal.getState().applySnapshot({ orders, fills, equity, logs });
    stores.positions.getState().applyPositions(positions);
    for (const fill of fills) market.getState().applyFill(fill);
    // for the header's LIVE ARMED label; a token that may not read it just shows none
    void api.bot
      .liveStatus()
      .then((arming) => stores.live.getState().armingLoaded(arming))
      .catch(() => {});
  } catch (err) {
    detach();
    throw err;
  }
  return detach;
}
