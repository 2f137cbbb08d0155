/**
 * ccxt's unified orders and trades → the ledger's states and BotDesk fills. Fees are kept
 * in the currency they were paid in (a fee in BNB stays a BNB fee, never taken from USDT).
 */
import type { Order as CcxtOrder, Trade } from 'ccxt';
import type { Fill, OrderSide } from '../api/schemas.ts';
import type { LedgerState } from './ccxt-ledger.ts';

/** Amounts closer than this are equal (exchange amount steps are far coarser). */
const EPS = 1e-12;

/** What the exchange's answer says about the order. */
export function stateOf(o: CcxtOrder): LedgerState {
  const filled = o.filled ?? 0;
  switch (o.status) {
    case 'closed':
      return 'filled';
    case 'canceled':
    case 'expired':
      // An order canceled after some fills keeps them: it is canceled, not rejected.
      return filled > EPS ? 'canceled' : o.status === 'expired' ? 'rejected' : 'canceled';
    case 'rejected':
      return 'rejected';
    default:
      return filled > EPS ? 'partially_filled' : 'open';
  }
}

export function fillId(exchange: string, symbol: string, tradeId: string): string {
  return `${exchange}:${symbol}:${tradeId}`;
}

/** One exchange trade of our order `clientId` as a fill (null when the exchange sent too little). */
export function fillOf(exchange: string, t: Trade, clientId: string, side: OrderSide): Fill | null {
  const amount = t.amount ?? 0;
  const price = t.price ?? 0;
  if (t.id === undefined || !(amount > 0) || !(price > 0)) return null;
  const listed = (t as Trade & { fees?: Trade['fee'][] }).fees ?? [];
  const fees = listed.length > 0 ? listed : t.fee ? [t.fee] : [];
  // Several fee currencies on one trade are rare; the first non-zero one is kept, in its own currency.
  const fee = fees.find((f) => (f?.cost ?? 0) !== 0) ?? fees[0];
  return {
    id: fillId(exchange, t.symbol ?? '', String(t.id)),
    orderId: clientId,
    symbol: t.symbol ?? '',
    side: (t.side as OrderSide | undefined) ?? side,
    amount,
    price,
    fee: fee?.cost ?? 0,
    feeCurrency: fee?.currency ?? '',
    ts: t.timestamp ?? Date.now(),
  };
}

/** Filled amount covered by these fills. */
export function filledBy(fills: readonly Fill[]): number {
  return fills.reduce((sum, f) => sum + f.amount, 0);
}

/** Volume-weighted price of the fills, or null without any. */
export function averagePrice(fills: readonly Fill[]): number | null {
  const amount = filledBy(fills);
  return amount > EPS ? fills.reduce((s, f) => s + f.amount * f.price, 0) / amount : null;
}

/** Whether the answer's trades leave part of the filled amount unexplained (trades must be fetched). */
export function missingTrades(o: CcxtOrder, known: readonly Fill[]): boolean {
  return (o.filled ?? 0) - filledBy(known) > Math.max(EPS, (o.filled ?? 0) * 1e-9);
}
