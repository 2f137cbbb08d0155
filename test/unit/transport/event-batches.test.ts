/**
 * Events to one connection go out together, one WebSocket message per EVENT_BATCH_MS at
 * most (a browser pays per message), in order, and never after a result sent later.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WebSocket } from 'ws';
import { EVENT_BATCH_MS, createSession } from '../../../src/core/transport/ws-session.ts';
import { createFakeHost } from './fake-host.ts';

function session(sent: string[]) {
  const ws = {
    OPEN: 1,
    readyState: 1,
    bufferedAmount: 0,
    send: (text: string) => sent.push(text),
    terminate: () => {},
  } as unknown as WebSocket;
  return createSession({
    ws,
    token: 't',
    role: 'control',
    dispatch: createFakeHost().dispatch,
    maxBufferedBytes: 1 << 20,
    rateLimit: null,
    label: '#1',
    log: () => {},
  });
}
const event = (n: number) => JSON.stringify({ t: 'event', event: 'bot:tick', payload: { n } });

describe('event batches', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends the events of one interval as one frame, in order; a lone event as itself', () => {
    const sent: string[] = [];
    const s = session(sent);
    for (let n = 1; n <= 3; n++) s.sendEvent(event(n));
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(EVENT_BATCH_MS);
    expect(sent).toHaveLength(1);
    const frame = JSON.parse(sent[0]!) as { t: string; items: Array<{ payload: { n: number } }> };
    expect(frame.t).toBe('events');
    expect(frame.items.map((i) => i.payload.n)).toEqual([1, 2, 3]);
    s.sendEvent(event(4));
    vi.advanceTimersByTime(EVENT_BATCH_MS);
    expect(JSON.parse(sent[1]!)).toEqual({ t: 'event', event: 'bot:tick', payload: { n: 4 } });
  });

  it('sends queued events before a result sent after them', () => {
    const sent: string[] = [];
    const s = session(sent);
    s.sendEvent(event(1));
    s.sendEvent(event(2));
    s.send({ t: 'result', id: 7, envelope: { ok: true, data: null } });
    expect(sent.map((t) => (JSON.parse(t) as { t: string }).t)).toEqual(['events', 'result']);
    vi.advanceTimersByTime(EVENT_BATCH_MS);
    expect(sent).toHaveLength(2); // nothing left over
  });

  it('drops what is queued when the connection closes', () => {
    const sent: string[] = [];
    const s = session(sent);
    s.sendEvent(event(1));
    s.onClose();
    vi.advanceTimersByTime(EVENT_BATCH_MS * 2);
    expect(sent).toEqual([]);
  });
});
