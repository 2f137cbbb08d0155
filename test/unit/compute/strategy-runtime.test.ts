import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  CANDLE_STRIDE,
  isFromWorker,
  OUTPUT_HEADER,
  packCandles,
  PROTOCOL_VERSION,
} from '../../../src/core/compute/protocol.ts';
import { StrategyRuntime } from '../../../src/core/compute/strategy-runtime.ts';
import { defineStrategy } from '../../../src/core/strategy/definition.ts';
import type { StrategyDefinition, StrategyOutput } from '../../../src/core/strategy/types.ts';
import { randomWalk } from '../../fixtures/strategies/candles.ts';

/** A user-style strategy that answers whatever `answer` says, to probe the runtime's output checks. */
const probe = defineStrategy({
  id: 'probe',
  name: 'probe',
  description: '',
  params: z.object({ answer: z.enum(['ok', 'bad-action', 'bad-strength']).default('ok') }),
  indicators: ['close', 'missing'],
  warmup: () => 0,
  create: (p) => ({
    update(candle): StrategyOutput {
      if (p.answer === 'bad-action')
        return { action: 'buy' as 'hold', strength: 0, indicators: {} };
      if (p.answer === 'bad-strength') return { action: 'enter_long', strength: 2, indicators: {} };
      return { action: 'enter_long', strength: 0.25, indicators: { close: candle.close } };
    },
  }),
});

function runtimeWith(...answers: string[]): StrategyRuntime {
  const rt = new StrategyRuntime();
  rt.setUserStrategies({ definitions: [probe as StrategyDefinition], infos: [] });
  answers.forEach((answer, slot) => {
    const added = rt.add({
      v: PROTOCOL_VERSION,
      type: 'add',
      id: slot,
      slot,
      strategy: { id: 'probe', params: { answer } },
      history: new Float64Array(0),
      tolerant: false,
      tailOutputs: 0,
    });
    expect(added).toMatchObject({ type: 'added', indicators: ['close', 'missing'] });
  });
  return rt;
}

describe('StrategyRuntime (the worker side)', () => {
  const candles = randomWalk(3, 2);
  const packed = new Float64Array(candles.length * CANDLE_STRIDE * 3);
  for (let p = 0; p < 3; p++) packCandles(candles, packed, p * candles.length * CANDLE_STRIDE);

  it('encodes action, strength and indicators per candle (null → NaN), and reports bad outputs per pair', () => {
    const rt = runtimeWith('ok', 'bad-action', 'bad-strength');
    const reply = rt.tick({
      v: PROTOCOL_VERSION,
      type: 'tick',
      id: 9,
      slots: Int32Array.of(0, 1, 2),
      counts: Int32Array.of(3, 3, 3),
      candles: packed,
    });
    expect(reply.errors).toEqual([
      {
        index: 1,
        message: `update() returned an invalid action "buy" (expected 'enter_long', 'exit' or 'hold')`,
      },
      { index: 2, message: 'update() returned strength 2 (expected 0..1)' },
    ]);
    const width = OUTPUT_HEADER + 2;
    expect(reply.out).toHaveLength(9 * width);
    candles.forEach((c, j) => {
      expect([...reply.out.slice(j * width, (j + 1) * width)]).toEqual([
        1,
        0.25,
        Number.NaN,
        Number.NaN,
        c.close,
        Number.NaN,
      ]);
    });
  });

  it('add reports the outputs of the last tailOutputs history candles, laid out as a tick', () => {
    const rt = new StrategyRuntime();
    rt.setUserStrategies({ definitions: [probe as StrategyDefinition], infos: [] });
    const history = packed.slice(0, candles.length * CANDLE_STRIDE);
    const add = (answer: string, tolerant: boolean, tailOutputs: number) =>
      rt.add({
        v: PROTOCOL_VERSION,
        type: 'add',
        id: 1,
        slot: 0,
        strategy: { id: 'probe', params: { answer } },
        history,
        tolerant,
        tailOutputs,
      });
    const width = OUTPUT_HEADER + 2;
    const ok = add('ok', false, 2);
    expect(ok.type).toBe('added');
    const out = ok.type === 'added' ? ok.out : new Float64Array(0);
    expect([...out]).toEqual(
      candles.slice(-2).flatMap((c) => [1, 0.25, Number.NaN, Number.NaN, c.close, Number.NaN]),
    );
    const all = add('ok', false, 99);
    expect(all.type === 'added' && all.out.length).toBe(candles.length * width);
    // A tolerant replay (a rebuild) keeps going and leaves NaN rows where the strategy failed.
    const tolerant = add('bad-action', true, 2);
    expect(tolerant.type === 'added' && [...tolerant.out]).toEqual(
      new Array(2 * width).fill(Number.NaN),
    );
    expect(add('bad-strength', false, 1)).toMatchObject({
      type: 'failed',
      error: { code: 'STRATEGY_ERROR' },
    });
  });

  it('a slot without state is an error for that pair only', () => {
    const rt = runtimeWith('ok');
    const reply = rt.tick({
      v: PROTOCOL_VERSION,
      type: 'tick',
      id: 1,
      slots: Int32Array.of(5, 0),
      counts: Int32Array.of(3, 3),
      candles: packed.slice(0, 6 * CANDLE_STRIDE),
    });
    expect(reply.errors).toEqual([
      { index: 0, message: 'no strategy state for slot 5 in this worker' },
    ]);
    expect(reply.out[0]).toBe(1);
  });

  it('names the broken user file when a pair asks for its strategy', () => {
    const rt = new StrategyRuntime();
    rt.setUserStrategies({
      definitions: [],
      infos: [
        {
          id: 'mine',
          name: 'mine.mjs',
          description: '',
          origin: 'user',
          paramsSchema: {},
          warmup: 0,
          error: 'mine.mjs: syntax error: x',
        },
      ],
    });
    const reply = rt.add({
      v: PROTOCOL_VERSION,
      type: 'add',
      id: 1,
      slot: 0,
      strategy: { id: 'mine', params: {} },
      history: new Float64Array(0),
      tolerant: false,
      tailOutputs: 0,
    });
    expect(reply).toEqual({
      type: 'failed',
      id: 1,
      error: {
        code: 'STRATEGY_ERROR',
        message: "user strategy 'mine' failed to load: mine.mjs: syntax error: x",
      },
    });
  });
});

describe('isFromWorker: what the pool accepts from a worker (which runs user code)', () => {
  it('accepts the protocol and nothing else', () => {
    const runtime = new StrategyRuntime();
    const valid = [
      { type: 'ready', v: PROTOCOL_VERSION, pid: 1 },
      { type: 'fatal', message: 'x' },
      { type: 'described', id: 1, strategies: runtime.describe() },
      { type: 'added', id: 1, warmup: 3, indicators: ['a'], out: new Float64Array(3) },
      { type: 'removed', id: 1 },
      { type: 'ticked', id: 1, out: new Float64Array(2), errors: [] },
      { type: 'failed', id: 1, error: { code: 'STRATEGY_ERROR', message: 'x' } },
    ];
    for (const m of valid) expect(isFromWorker(m)).toBe(true);
    const invalid: unknown[] = [
      null,
      undefined,
      'ready',
      {},
      { type: 'hello' },
      { type: 'removed' },
      { type: 'ticked', id: 1, out: [1, 2], errors: [] },
      { type: 'added', id: 1, warmup: 3, indicators: [1], out: new Float64Array(0) },
      { type: 'added', id: 1, warmup: 3, indicators: ['a'] },
      { type: 'added', id: 1, warmup: 3, indicators: ['a'], out: [1, 2, 3] },
      { type: 'failed', id: 1, error: null },
      { type: 'failed', id: 1, error: { code: 'NOPE', message: 'x' } },
    ];
    for (const m of invalid) expect(isFromWorker(m)).toBe(false);
  });
});
