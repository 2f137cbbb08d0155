/**
 * Turning strategy definitions into things other layers use: a typed constructor,
 * the StrategyInfo the UI and optimisers read, and validated instances.
 */
import { z } from 'zod';
import { BotDeskError } from '../api/errors.ts';
import type { Candle, Signal, StrategyInfo } from '../api/schemas.ts';
import type { StrategyDefinition, StrategyInstance, StrategyOutput } from './types.ts';

/** Identity function that keeps the params type of a definition (`create` sees parsed params). */
export function defineStrategy<S extends z.ZodObject>(
  def: StrategyDefinition<S>,
): StrategyDefinition<S> {
  return def;
}

export function describeStrategy(
  def: StrategyDefinition,
  origin: StrategyInfo['origin'],
): StrategyInfo {
  return {
    id: def.id,
    name: def.name,
    description: def.description,
    origin,
    // 'input' so defaulted fields are optional, which is what a form or an optimiser fills in.
    paramsSchema: z.toJSONSchema(def.params, { io: 'input', unrepresentable: 'any' }) as Record<
      string,
      unknown
    >,
    warmup: def.warmup(def.params.parse({})),
  };
}

export interface PreparedStrategy {
  instance: StrategyInstance;
  params: Record<string, unknown>;
  warmup: number;
}

/** Validates raw params against the definition (INVALID_INPUT with the zod issues) and creates an instance. */
export function prepareStrategy(def: StrategyDefinition, rawParams: unknown): PreparedStrategy {
  const parsed = def.params.safeParse(rawParams ?? {});
  if (!parsed.success) {
    const detail = parsed.error.issues
      .map((i) => `${i.path.join('.') || '(params)'}: ${i.message}`)
      .join('; ');
    throw new BotDeskError(
      'INVALID_INPUT',
      `invalid parameters for strategy '${def.id}': ${detail}`,
      parsed.error.issues,
    );
  }
  const params = parsed.data as Record<string, unknown>;
  return { instance: def.create(params), params, warmup: def.warmup(params) };
}

/** A Signal from one update's output, copied (instances reuse their output object). */
export function signalOf(symbol: string, candle: Candle, output: StrategyOutput): Signal {
  return {
    symbol,
    ts: candle.ts,
    action: output.action,
    strength: output.strength,
    indicators: { ...output.indicators },
  };
}
