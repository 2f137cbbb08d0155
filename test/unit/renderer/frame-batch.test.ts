import { describe, expect, it } from 'vitest';
import { createFrameBatcher } from '../../../src/renderer/src/state/frame-batch.ts';

describe('frame batcher', () => {
  it('applies everything queued within a frame once, runs of one kind together, in order', () => {
    const frames: Array<() => void> = [];
    const applied: string[] = [];
    const batcher = createFrameBatcher<'candle' | 'status'>(
      (kind, payloads) => applied.push(`${kind}:${payloads.join(',')}`),
      (flush) => frames.push(flush),
    );
    batcher.push('candle', 1);
    batcher.push('candle', 2);
    batcher.push('status', 'a');
    batcher.push('candle', 3);
    expect(applied).toEqual([]);
    expect(frames).toHaveLength(1); // one frame asked for, however many events
    frames.shift()!();
    expect(applied).toEqual(['candle:1,2', 'status:a', 'candle:3']);
    batcher.push('candle', 4);
    expect(frames).toHaveLength(1);
    batcher.clear();
    frames.shift()!();
    expect(applied).toHaveLength(3);
  });
});
