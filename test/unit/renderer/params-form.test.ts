import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  initialValues,
  paramFields,
  parseSymbols,
  readParams,
} from '../../../src/renderer/src/state/params-form.ts';

// The same JSON Schema shape strategies publish (zod's toJSONSchema, input side).
const schema = z.toJSONSchema(
  z.strictObject({
    period: z.number().int().min(2).max(500).default(20).describe('Period (candles)'),
    deviations: z.number().gt(0).max(10).default(2),
    source: z.enum(['close', 'hl2']).default('close'),
    trailing: z.boolean().default(false),
  }),
  { io: 'input' },
) as Record<string, unknown>;

describe('strategy parameter form', () => {
  const fields = paramFields(schema);

  it('derives fields with kinds, bounds and defaults from the JSON Schema', () => {
    expect(fields.map((f) => [f.name, f.kind])).toEqual([
      ['period', 'integer'],
      ['deviations', 'number'],
      ['source', 'enum'],
      ['trailing', 'boolean'],
    ]);
    expect(fields[0]).toMatchObject({
      min: 2,
      max: 500,
      minExclusive: false,
      defaultValue: 20,
      description: 'Period (candles)',
    });
    expect(fields[1]).toMatchObject({ min: 0, minExclusive: true, max: 10 });
    expect(fields[2]!.options).toEqual(['close', 'hl2']);
  });

  it('fills the form from saved params, else defaults', () => {
    expect(initialValues(fields, { period: 50 })).toEqual({
      period: '50',
      deviations: '2',
      source: 'close',
      trailing: false,
    });
  });

  it('reads typed values back into params', () => {
    const { params, errors } = readParams(fields, {
      period: '30',
      deviations: '1.5',
      source: 'hl2',
      trailing: true,
    });
    expect(errors).toEqual({});
    expect(params).toEqual({ period: 30, deviations: 1.5, source: 'hl2', trailing: true });
  });

  it('leaves empty fields out so defaults apply', () => {
    expect(
      readParams(fields, { period: '', deviations: ' ', source: '', trailing: false }).params,
    ).toEqual({ trailing: false });
  });

  it('explains out-of-range and malformed values', () => {
    const { errors } = readParams(fields, {
      period: '2.5',
      deviations: '0',
      source: 'open',
      trailing: false,
    });
    expect(errors).toEqual({
      period: 'must be a whole number',
      deviations: 'must be greater than 0',
      source: 'must be one of close, hl2',
    });
    expect(
      readParams(fields, { period: '1', deviations: 'abc', source: 'close', trailing: false })
        .errors,
    ).toEqual({
      period: 'must be at least 2',
      deviations: 'must be a number',
    });
    expect(
      readParams(fields, { period: '501', deviations: '2', source: 'close', trailing: false })
        .errors,
    ).toEqual({
      period: 'must be at most 500',
    });
  });

  it('reads a symbols list typed loosely', () => {
    expect(parseSymbols(' btc/usdt, ETH/USDT;sol/usdt\n')).toEqual([
      'BTC/USDT',
      'ETH/USDT',
      'SOL/USDT',
    ]);
    expect(parseSymbols('  ')).toEqual([]);
  });
});
