/**
 * Which desktop notifications to raise, as a pure state machine over the core's events
 * (fills, status snapshots, error events) — no Electron, no timers, the clock handed in —
 * so every rule is unit-tested. notifications.ts shows what it returns.
 *
 * Rate limits: the first fill after a quiet spell is shown at once; the fills that follow
 * within `fillWindowMs` are counted and shown as ONE summary when the window ends, so a
 * burst of fills (a grid, a fast replay) raises two notifications, not hundreds. The same
 * error text is shown at most once per `errorWindowMs`.
 */
import type { BotStatus, Fill, NotificationSettings } from '../core/api/schemas.ts';
import { DESKTOP_WORDS, type DesktopWords } from './desktop-words.ts';

export type NoticeKind = keyof NotificationSettings;

export interface DesktopNotice {
  kind: NoticeKind;
  title: string;
  body: string;
}

export type NotifyEvent =
  | { type: 'fill'; fill: Fill }
  | { type: 'status'; status: BotStatus }
  | { type: 'error'; code: string; message: string; symbol?: string | undefined };

export interface NotifyPolicyOptions {
  settings: () => NotificationSettings;
  /** The language, read at each event (English when absent). */
  words?: () => DesktopWords;
  fillWindowMs?: number;
  errorWindowMs?: number;
}

/** Significant digits, no grouping, in the words' locale. */
const digits = (w: DesktopWords, v: number, n: number) =>
  new Intl.NumberFormat(w.locale, { maximumSignificantDigits: n, useGrouping: false }).format(v);

function fillNotice(fill: Fill, w: DesktopWords): DesktopNotice {
  const base = fill.symbol.split('/')[0] ?? fill.symbol;
  const quote = fill.symbol.split('/')[1] ?? '';
  const amount = digits(w, fill.amount, 6);
  const fee = digits(w, fill.fee, 6);
  return {
    kind: 'fills',
    title: fill.side === 'buy' ? w.bought(amount, base) : w.sold(amount, base),
    body: w.fillBody(fill.symbol, digits(w, fill.price, 8), quote, fee, fill.feeCurrency).trim(),
  };
}

function summaryNotice(fills: readonly Fill[], w: DesktopWords): DesktopNotice {
  const bySymbol = new Map<string, { buys: number; sells: number }>();
  for (const f of fills) {
    const entry = bySymbol.get(f.symbol) ?? { buys: 0, sells: 0 };
    if (f.side === 'buy') entry.buys++;
    else entry.sells++;
    bySymbol.set(f.symbol, entry);
  }
  const parts = [...bySymbol].map(([symbol, { buys, sells }]) =>
    [
      symbol + ':',
      [buys ? w.buys(buys) : '', sells ? w.sells(sells) : ''].filter(Boolean).join(', '),
    ].join(' '),
  );
  return {
    kind: 'fills',
    title: w.moreFills(fills.length),
    body: parts.join(' · '),
  };
}

type Block = NonNullable<BotStatus['riskBlock']>;

export class NotifyPolicy {
  readonly #settings: () => NotificationSettings;
  readonly #words: () => DesktopWords;
  readonly #fillWindowMs: number;
  readonly #errorWindowMs: number;
  /** End of the current fill window (null: quiet, the next fill is shown at once). */
  #fillWindowEnd: number | null = null;
  #heldFills: Fill[] = [];
  #block: Block | null = null;
  #state: BotStatus['state'] | null = null;
  readonly #errorShownAt = new Map<string, number>();

  constructor(opts: NotifyPolicyOptions) {
    this.#settings = opts.settings;
    this.#words = opts.words ?? (() => DESKTOP_WORDS.en);
    this.#fillWindowMs = opts.fillWindowMs ?? 10_000;
    this.#errorWindowMs = opts.errorWindowMs ?? 60_000;
  }

  /** Notifications this event raises now (after the switches and the rate limits). */
  observe(event: NotifyEvent, now: number): DesktopNotice[] {
    const out = this.due(now);
    switch (event.type) {
      case 'fill':
        out.push(...this.#onFill(event.fill, now));
        break;
      case 'status':
        out.push(...this.#onStatus(event.status, now));
        break;
      case 'error':
        out.push(...this.#onError(event.message, now, event.symbol));
        break;
    }
    return out.filter((n) => this.#settings()[n.kind]);
  }

  /** The held fills' summary once their window has ended (call at `nextDueAt()`). */
  due(now: number): DesktopNotice[] {
    if (this.#fillWindowEnd === null || now < this.#fillWindowEnd) return [];
    const held = this.#heldFills;
    this.#heldFills = [];
    if (held.length === 0) {
      this.#fillWindowEnd = null;
      return [];
    }
    // the summary opens a new window, so a steady stream gives one notification per window
    this.#fillWindowEnd = now + this.#fillWindowMs;
    return this.#settings().fills ? [summaryNotice(held, this.#words())] : [];
  }

  /** When `due` next has something to say, or null. */
  nextDueAt(): number | null {
    return this.#heldFills.length > 0 ? this.#fillWindowEnd : null;
  }

  #onFill(fill: Fill, now: number): DesktopNotice[] {
    if (this.#fillWindowEnd !== null) {
      this.#heldFills.push(fill);
      return [];
    }
    this.#fillWindowEnd = now + this.#fillWindowMs;
    return [fillNotice(fill, this.#words())];
  }

  #onStatus(status: BotStatus, now: number): DesktopNotice[] {
    const out: DesktopNotice[] = [];
    const w = this.#words();
    const previousState = this.#state;
    this.#state = status.state;
    if (status.state === 'error' && previousState !== null && previousState !== 'error') {
      const message = status.error?.message ?? w.stoppedWithErrorBody;
      out.push(...this.#onError(message, now, undefined, w.stoppedWithError));
    }
    const block = status.state === 'running' ? (status.riskBlock ?? null) : null;
    const before = this.#block;
    this.#block = block;
    if (block && block.rule !== before?.rule) {
      const killSwitch = block.rule === 'kill-switch';
      out.push({
        kind: killSwitch ? 'killSwitch' : 'riskBlocks',
        title: killSwitch ? w.killSwitch : w.blocked(w.ruleLong(block.rule)),
        body: block.reason,
      });
    } else if (!block && before && status.state === 'running') {
      out.push({
        kind: before.rule === 'kill-switch' ? 'killSwitch' : 'riskBlocks',
        title: w.allowed,
        body: w.allowedBody(w.ruleLong(before.rule)),
      });
    }
    return out;
  }

  #onError(message: string, now: number, symbol?: string, title?: string): DesktopNotice[] {
    const key = `${symbol ?? ''}|${message}`;
    const last = this.#errorShownAt.get(key);
    if (last !== undefined && now - last < this.#errorWindowMs) return [];
    this.#errorShownAt.set(key, now);
    // forget old keys, so a long session with changing messages stays small
    for (const [k, at] of this.#errorShownAt)
      if (now - at >= this.#errorWindowMs) this.#errorShownAt.delete(k);
    const heading = title ?? this.#words().errorTitle;
    return [{ kind: 'errors', title: symbol ? `${heading} (${symbol})` : heading, body: message }];
  }
}
