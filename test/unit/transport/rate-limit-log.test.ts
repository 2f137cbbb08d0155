/**
 * A sustained flood just over the rate limit is one refusal episode: the bucket
 * refills between frames so that some frames pass, but that must not end the
 * episode and start a new one (which would log a warning per refused frame and
 * flood the log the limit is meant to protect). The episode ends after a quiet
 * second, or when the connection closes, with one summary line.
 */
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { createSession } from '../../../src/core/transport/ws-session.ts';
import { createFakeHost } from './fake-host.ts';

function fakeWs(sent: string[]): WebSocket {
  return {
    OPEN: 1,
    readyState: 1,
    bufferedAmount: 0,
    send: (text: string) => sent.push(text),
    terminate: () => {},
  } as unknown as WebSocket;
}

describe('rate-limit refusals under a sustained flood', () => {
  it('logs one warning for the flood and one summary after a quiet second', () => {
    const host = createFakeHost();
    const logs: Array<[string, string]> = [];
    const sent: string[] = [];
    let t = 0;
    const session = createSession({
      ws: fakeWs(sent),
      token: 't',
      role: 'control',
      dispatch: host.dispatch,
      maxBufferedBytes: 1 << 20,
      rateLimit: { perSecond: 10, burst: 1 },
      label: '#1 (control)',
      log: (level, message) => logs.push([level, message]),
      now: () => t,
    });
    const frame = (id: number) =>
      Buffer.from(JSON.stringify({ t: 'call', id, channel: 'bot:status', payload: {} }));
    // 20 frames a second for 3 s against a limit of 10: about every other frame is refused.
    for (let id = 1; id <= 60; id++) {
      session.onMessage(frame(id), false);
      t += 50;
    }
    const rateLines = () => logs.filter(([, m]) => m.includes('over the rate limit'));
    const refusedFrames = sent.filter((s) => s.includes('rate limit')).length;
    expect(refusedFrames).toBeGreaterThan(20);
    expect(rateLines().filter(([level]) => level === 'warn')).toHaveLength(1);
    expect(rateLines()).toHaveLength(1);
    // A quiet second, then a frame that passes: the episode ends with its count.
    t += 1000;
    session.onMessage(frame(61), false);
    expect(rateLines()).toHaveLength(2);
    expect(rateLines()[1]?.[1]).toContain(`${refusedFrames} refused in all`);
  });
});
