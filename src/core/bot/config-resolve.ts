/**
 * How a start or a config update turns user input into a BotConfig: the saved settings
 * merged with the input, validated as a whole (INVALID_INPUT naming every bad field), and
 * which changes a running bot can take at its next tick. Pure functions, so the rules are
 * read in one place rather than between BotManager's lifecycle code.
 */
import { BotDeskError } from '../api/errors.ts';
import { BotConfig, BotConfigInput } from '../api/schemas.ts';

/** Fields a running bot applies at its next tick; the others wait for the next start. */
const LIVE_FIELDS = ['risk', 'stopBehavior', 'fees'] as const;

function configError(issues: { path: PropertyKey[]; message: string }[]): BotDeskError {
  return new BotDeskError(
    'INVALID_INPUT',
    `bot config: ${issues.map((i) => `${i.path.length ? i.path.map(String).join('.') : 'config'}: ${i.message}`).join('; ')}`,
  );
}

/** `saved` with `input` over it; INVALID_INPUT if the input or the result is bad. */
export function resolveBotConfig(saved: BotConfig, input: unknown): BotConfig {
  const partial = BotConfigInput.strict().safeParse(input ?? {});
  if (!partial.success) throw configError(partial.error.issues);
  const merged = BotConfig.safeParse({ ...saved, ...partial.data });
  if (!merged.success) throw configError(merged.error.issues);
  const quotes = new Set(merged.data.symbols.map((s) => s.split('/')[1]));
  if (quotes.size > 1) {
    throw new BotDeskError(
      'INVALID_INPUT',
      `all symbols must share one quote currency, got ${[...quotes].join(', ')}`,
    );
  }
  return merged.data;
}

/**
 * A running bot's config after an update to `next`: the live fields change now; the names
 * of the other changed fields are returned to be shown until the next start.
 */
export function applyLiveFields(
  running: BotConfig,
  next: BotConfig,
): { config: BotConfig; pendingRestart: string[] } {
  const config = {
    ...running,
    risk: next.risk,
    stopBehavior: next.stopBehavior,
    fees: next.fees,
  };
  const pendingRestart = (Object.keys(next) as (keyof BotConfig)[]).filter(
    (k) =>
      !(LIVE_FIELDS as readonly string[]).includes(k) &&
      JSON.stringify(next[k]) !== JSON.stringify(config[k]),
  );
  return { config, pendingRestart };
}
