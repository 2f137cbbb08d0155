import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../src/core/bot/event-bus.ts';
import { LogBuffer } from '../../../src/core/host/log-buffer.ts';

const line = (n: number) => ({ ts: n, level: 'info' as const, scope: 't', message: `m${n}` });

describe('LogBuffer', () => {
  it('keeps the most recent lines, oldest first, bounded by its capacity', () => {
    const b = new LogBuffer(3);
    expect(b.tail(10)).toEqual([]);
    for (let i = 1; i <= 5; i++) b.push(line(i));
    expect(b.tail(10).map((l) => l.ts)).toEqual([3, 4, 5]);
    expect(b.tail(2).map((l) => l.ts)).toEqual([4, 5]);
  });

  it('follows a bus until unsubscribed', () => {
    const bus = new EventBus();
    const b = new LogBuffer(10);
    const off = b.follow(bus);
    bus.emit('log', line(1));
    off();
    bus.emit('log', line(2));
    expect(b.tail(10).map((l) => l.ts)).toEqual([1]);
  });

  it('refuses a capacity below 1', () => {
    expect(() => new LogBuffer(0)).toThrow(RangeError);
  });
});
