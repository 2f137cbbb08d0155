/**
 * Checks a bot config change needs beyond its schema, done before anything is saved:
 * a built-in strategy's own parameter rules (cross-field ones such as fast < slow, which
 * JSON Schema cannot carry to the form), symbols listed twice, an exchange id ccxt does
 * not know. Issues carry their settings path, so the form marks the field.
 */
import { BotDeskError } from '../api/errors.ts';
import type { BotConfigInput } from '../api/schemas.ts';
import { loadCcxt } from '../market/ccxt-source.ts';
import { closestName } from '../market/symbols.ts';
import { getBuiltinStrategy } from '../strategy/builtin/index.ts';

interface Issue {
  path: string[];
  message: string;
}

export async function checkBotConfigInput(bot: BotConfigInput): Promise<void> {
  const issues: Issue[] = [];
  const def = bot.strategy ? getBuiltinStrategy(bot.strategy.id) : undefined;
  if (bot.strategy && def) {
    const parsed = def.params.safeParse(bot.strategy.params ?? {});
    if (!parsed.success) {
      for (const i of parsed.error.issues)
        issues.push({
          path: ['bot', 'strategy', 'params', ...i.path.map(String)],
          message: i.message,
        });
    }
  }
  if (bot.symbols) {
    const seen = new Set<string>();
    const twice = bot.symbols.filter((s) => seen.size === seen.add(s).size);
    if (twice.length > 0)
      issues.push({ path: ['bot', 'symbols'], message: `listed twice: ${twice.join(', ')}` });
  }
  const exchange = bot.market?.source === 'ccxt' ? bot.market.exchange : undefined;
  if (exchange !== undefined) {
    const known = (await loadCcxt()).default.exchanges;
    if (!known.includes(exchange)) {
      const hint = closestName(exchange, known);
      issues.push({
        path: ['bot', 'market', 'exchange'],
        message: `'${exchange}' is not an exchange ccxt knows${hint ? `; did you mean ${hint}?` : ''}`,
      });
    }
  }
  if (issues.length > 0) {
    throw new BotDeskError(
      'INVALID_INPUT',
      `settings: ${issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      issues,
    );
  }
}
