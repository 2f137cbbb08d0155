/**
 * The account recorded fills add up to (the journal's `account()`): each fill applied as
 * recorded, never altered, whatever rules are in force now.
 */
import type { Fill } from '../api/schemas.ts';
import { Account } from '../trading/account.ts';
import { holdingFor, type CompiledRules, type RulesOf } from '../trading/market-rules.ts';

export function replayAccount(
  fills: readonly Fill[],
  opts: { quote: string; cash: number; rules?: RulesOf },
): Account {
  const rules = replayRules(opts.rules, fills);
  const account = new Account({ quote: opts.quote, cash: opts.cash, ...(rules ? { rules } : {}) });
  for (const stored of fills) {
    // A fee paid in another currency (BNB on a live exchange) is not quote cash.
    const fill =
      stored.feeCurrency === stored.symbol.split('/')[1] ? stored : { ...stored, fee: 0 };
    const held = fill.side === 'sell' ? account.position(fill.symbol) : undefined;
    // Journals written before amounts were whole steps may sell a float hair more than
    // they bought: that sell closed the position, and its cash flow stays as recorded.
    const closes = held !== undefined && account.sellSteps(fill.symbol, fill.amount) === undefined;
    account.apply(closes ? { ...fill, steps: held.steps } : fill);
  }
  return account;
}

/**
 * The rules an account replays `fills` with: an exchange's rules, with a finer hold step for
 * a symbol whose recorded fills are off the exchange's step (none: the default rules).
 */
function replayRules(rules: RulesOf | undefined, fills: readonly Fill[]): RulesOf | undefined {
  if (rules === undefined) return undefined;
  const amounts = new Map<string, number[]>();
  for (const f of fills) {
    if (rules(f.symbol).fromExchange !== true) continue;
    let list = amounts.get(f.symbol);
    if (list === undefined) amounts.set(f.symbol, (list = []));
    list.push(f.amount);
  }
  const held = new Map<string, CompiledRules>();
  for (const [symbol, list] of amounts) {
    const r = holdingFor(rules(symbol), list);
    if (r !== rules(symbol)) held.set(symbol, r);
  }
  return held.size === 0 ? rules : (symbol) => held.get(symbol) ?? rules(symbol);
}
