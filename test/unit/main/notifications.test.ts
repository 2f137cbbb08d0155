/**
 * The notification adapter against a stand-in for Electron's Notification (the Electron
 * binary is absent) and the core's real EventBus: events in, notifications shown, the
 * burst summary shown by the adapter's own timer, a click opens the window, stop unsubscribes.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_NOTIFICATIONS } from '../../../src/core/api/schemas.ts';
import { EventBus } from '../../../src/core/bot/event-bus.ts';
import { botStatus, fill } from '../renderer/fixtures.ts';

const shown: Array<{ title: string; body: string; click?: () => void }> = [];

vi.mock('electron', () => ({
  Notification: class {
    static isSupported() {
      return true;
    }
    readonly opts: { title: string; body: string; click?: () => void };
    constructor(opts: { title: string; body: string }) {
      this.opts = { ...opts };
    }
    on(event: string, fn: () => void) {
      if (event === 'click') this.opts.click = fn;
    }
    show() {
      shown.push(this.opts);
    }
  },
}));

const { startNotifications } = await import('../../../src/main/notifications.ts');

afterEach(() => {
  vi.useRealTimers();
  shown.length = 0;
});

describe('desktop notifications', () => {
  it('shows fills (a burst as one plus a summary), risk blocks and errors; click opens', () => {
    vi.useFakeTimers({ now: 0 });
    const bus = new EventBus();
    let opened = 0;
    const settings = { ...DEFAULT_NOTIFICATIONS };
    const stop = startNotifications({ bus, settings: () => settings, onClick: () => opened++ });

    for (let i = 0; i < 50; i++) bus.emit('fill', fill({ id: `f${i}` }));
    expect(shown.map((n) => n.title)).toEqual(['Bought 0.1 BTC']);
    vi.advanceTimersByTime(10_000);
    expect(shown.map((n) => n.title)).toEqual(['Bought 0.1 BTC', '49 more fills']);

    bus.emit(
      'bot:status',
      botStatus({
        state: 'running',
        riskBlock: { rule: 'max-positions', reason: '5 positions open', since: 1 },
      }),
    );
    expect(shown.at(-1)).toMatchObject({ title: 'Entries blocked: maximum open positions' });
    bus.emit('error', { code: 'MARKET_ERROR', message: 'feed lost' });
    expect(shown.at(-1)).toMatchObject({ title: 'BotDesk error', body: 'feed lost' });
    shown.at(-1)!.click!();
    expect(opened).toBe(1);

    settings.fills = false;
    vi.advanceTimersByTime(60_000);
    bus.emit('fill', fill({ id: 'later' }));
    expect(shown.at(-1)!.title).toBe('BotDesk error');

    stop();
    expect(
      bus.listenerCount('fill') + bus.listenerCount('bot:status') + bus.listenerCount('error'),
    ).toBe(0);
  });
});
