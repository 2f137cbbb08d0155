/**
 * Reasons the core records in English (an order's, a trade's exit, a run's end, a stop's)
 * in the UI's language: the fixed ones by the catalogue, a strategy entry with its strength,
 * a protective exit by its rule; anything else as the core wrote it in English, and in
 * other languages as "details in the log".
 */
import { coreWords, say } from '../i18n/say.ts';
import { ruleInWords } from './risk-store.ts';

const FIXED: Record<string, string> = {
  'entry forced by the user': 'entryForced',
  'closed by the user': 'closedByUser',
  'strategy exit': 'strategyExit',
  'close position on stop': 'closeOnStop',
  'user request': 'userRequest',
  'stopped from the dashboard': 'stoppedFromDashboard',
  'app shutdown': 'appShutdown',
  'host closing': 'hostClosing',
  'end of data': 'endOfData',
};

const EXIT_RULES = new Set(['stop_loss', 'take_profit', 'trailing_stop', 'roi', 'max_hold']);

export function reasonWords(reason: string): string {
  const fixed = FIXED[reason];
  if (fixed) return say(`reasons.${fixed}`);
  const entry = /^strategy entry \(strength ([\d.]+)[;)]/.exec(reason);
  if (entry) return coreWords(reason, 'reasons.strategyEntry', { strength: entry[1] });
  const rule = /^([a-z_]+)\b/.exec(reason)?.[1];
  // the rule in words, never its code: "stop_loss at 95.04 …" reads "Stop-loss at 95.04 …"
  if (rule && EXIT_RULES.has(rule))
    return coreWords(`${ruleInWords(rule)}${reason.slice(rule.length)}`, 'reasons.other', {
      rule: ruleInWords(rule),
    });
  return coreWords(reason, 'core.message');
}
