import { describe, expect, it } from 'vitest';
import { BotDeskError } from '../../../src/core/api/errors.ts';
import { BOT_STATES, type BotStateName } from '../../../src/core/api/schemas.ts';
import { BotState, TRANSITIONS, type TransitionRecord } from '../../../src/core/bot/state.ts';

const VALID: [BotStateName, BotStateName][] = [
  ['idle', 'starting'],
  ['starting', 'running'],
  ['starting', 'stopping'],
  ['starting', 'error'],
  ['running', 'stopping'],
  ['stopping', 'stopped'],
  ['stopping', 'error'],
  ['stopped', 'starting'],
  ['error', 'starting'],
];

/** Drive a fresh machine to `target` along valid transitions. */
async function reach(target: BotStateName, log: TransitionRecord[] = []): Promise<BotState> {
  const s = new BotState((t) => log.push(t));
  const path: Record<BotStateName, BotStateName[]> = {
    idle: [],
    starting: ['starting'],
    running: ['starting', 'running'],
    stopping: ['starting', 'running', 'stopping'],
    stopped: ['starting', 'running', 'stopping', 'stopped'],
    error: ['starting', 'error'],
  };
  await s.exclusive(async () => {
    for (const to of path[target]) s.transition(to, 'setup');
  });
  return s;
}

describe('BotState', () => {
  it('starts idle', () => {
    expect(new BotState().name).toBe('idle');
  });

  it('the transition table is exactly the documented machine', () => {
    const table = BOT_STATES.flatMap((from) => TRANSITIONS[from].map((to) => [from, to]));
    expect(table.sort()).toEqual([...VALID].sort());
  });

  for (const [from, to] of VALID) {
    it(`allows ${from} → ${to} and logs it`, async () => {
      const log: TransitionRecord[] = [];
      const s = await reach(from, log);
      await s.exclusive(async () => s.transition(to, 'because'));
      expect(s.name).toBe(to);
      expect(log.at(-1)).toEqual({ from, to, reason: 'because' });
    });
  }

  for (const from of BOT_STATES) {
    for (const to of BOT_STATES) {
      if (VALID.some(([a, b]) => a === from && b === to)) continue;
      it(`refuses ${from} → ${to} with INVALID_STATE and stays in ${from}`, async () => {
        const log: TransitionRecord[] = [];
        const s = await reach(from, log);
        const before = log.length;
        const err = await s
          .exclusive(async () => s.transition(to, 'nope'))
          .catch((e: unknown) => e);
        expect(err).toBeInstanceOf(BotDeskError);
        expect((err as BotDeskError).code).toBe('INVALID_STATE');
        expect(s.name).toBe(from);
        expect(log.length).toBe(before);
      });
    }
  }

  it('refuses a transition made without holding the lock', () => {
    const s = new BotState();
    expect(() => s.transition('starting', 'x')).toThrow(/without holding the lock/);
    expect(s.name).toBe('idle');
  });

  it('serializes exclusive sections in call order', async () => {
    const s = new BotState();
    const order: number[] = [];
    let inside = 0;
    let maxInside = 0;
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        s.exclusive(async () => {
          inside += 1;
          maxInside = Math.max(maxInside, inside);
          await new Promise((r) => setTimeout(r, (20 - i) % 3));
          order.push(i);
          inside -= 1;
        }),
      ),
    );
    expect(maxInside).toBe(1);
    expect(order).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('active is true only while starting or running', async () => {
    for (const st of BOT_STATES) {
      const s = await reach(st);
      expect(s.active).toBe(st === 'starting' || st === 'running');
    }
  });
});
