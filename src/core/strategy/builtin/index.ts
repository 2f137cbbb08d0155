/** The strategies that ship with BotDesk; 'sma-crossover' is the default of BotConfig. */
import type { StrategyDefinition } from '../types.ts';
import { bollingerBreakout, bollingerReversion } from './bollinger.ts';
import { donchianBreakout } from './donchian-breakout.ts';
import { macdCross } from './macd-cross.ts';
import { emaCrossover, smaCrossover } from './moving-average-crossover.ts';
import { rsiReversion } from './rsi-reversion.ts';

export const BUILTIN_STRATEGIES: readonly StrategyDefinition[] = [
  smaCrossover,
  emaCrossover,
  rsiReversion,
  macdCross,
  bollingerReversion,
  bollingerBreakout,
  donchianBreakout,
] as StrategyDefinition[];

const byId = new Map(BUILTIN_STRATEGIES.map((d) => [d.id, d]));

export function getBuiltinStrategy(id: string): StrategyDefinition | undefined {
  return byId.get(id);
}
