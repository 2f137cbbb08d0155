/** Number and time formatting for the dashboard (fixed locale, so screenshots and tests are stable). */
const LOCALE = 'en-US';

const money = new Intl.NumberFormat(LOCALE, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const signed = new Intl.NumberFormat(LOCALE, {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
  signDisplay: 'exceptZero',
});
const count = new Intl.NumberFormat(LOCALE);

export const formatMoney = (v: number | null | undefined): string =>
  v === null || v === undefined ? '—' : money.format(v);
export const formatSigned = (v: number): string => signed.format(v);
export const formatCount = (v: number): string => count.format(v);

/** Prices span 0.00001 to 100000: keep about six significant digits. */
export function formatPrice(v: number | null): string {
  if (v === null) return '—';
  const digits = Math.abs(v) >= 1000 ? 2 : Math.abs(v) >= 1 ? 4 : 6;
  return v.toFixed(digits);
}

export function formatAmount(v: number): string {
  return Number(v.toPrecision(6)).toString();
}

/**
 * Fees are a few cents to a few units of the quote currency: two decimals from 1 up,
 * three significant digits below (0.999997 → '1.00', 0.000123456 → '0.000123').
 */
export function formatFee(v: number): string {
  if (v === 0) return '0';
  const rounded = Number(v.toPrecision(3));
  return Math.abs(rounded) >= 1 ? v.toFixed(2) : rounded.toString();
}

/** 'HH:MM:SS' in UTC, as the chart axes show. */
export function formatTime(ts: number): string {
  return new Date(ts).toISOString().slice(11, 19);
}

export function formatDateTime(ts: number): string {
  return new Date(ts).toISOString().slice(0, 19).replace('T', ' ') + ' UTC';
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h ${m % 60}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}
