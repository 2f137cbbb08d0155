/**
 * Number and time formatting for the UI, in the user's locale (set by the i18n module
 * with `setFormatLocale`; en-US until then, so tests are stable). Times are UTC, as the
 * chart axes show: English writes them ISO-style (unambiguous for traders), other
 * languages as their locale does.
 */
interface Formatters {
  locale: string;
  language: 'en' | 'sv';
  money: Intl.NumberFormat;
  signed: Intl.NumberFormat;
  count: Intl.NumberFormat;
  fixed: Map<number, Intl.NumberFormat>;
  significant: Map<number, Intl.NumberFormat>;
  dateTime: Intl.DateTimeFormat;
  time: Intl.DateTimeFormat;
}

function formattersFor(locale: string): Formatters {
  const language = locale.toLowerCase().startsWith('sv') ? 'sv' : 'en';
  const utc = { timeZone: 'UTC', hourCycle: 'h23' } as const;
  return {
    locale,
    language,
    money: new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
    signed: new Intl.NumberFormat(locale, {
      minimumFractionDigits: 2,
      maximumFractionDigits: 2,
      signDisplay: 'exceptZero',
    }),
    count: new Intl.NumberFormat(locale),
    fixed: new Map(),
    significant: new Map(),
    dateTime: new Intl.DateTimeFormat(locale, {
      ...utc,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    }),
    time: new Intl.DateTimeFormat(locale, {
      ...utc,
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    }),
  };
}

let f = formattersFor('en-US');

/** The locale numbers and dates are written in (e.g. 'sv-SE', 'en-US'). */
export function setFormatLocale(locale: string): void {
  if (locale !== f.locale) f = formattersFor(locale);
}

export const formatLocale = (): string => f.locale;

export const formatMoney = (v: number | null | undefined): string =>
  v === null || v === undefined ? '—' : f.money.format(v);
export const formatSigned = (v: number): string => f.signed.format(v);
export const formatCount = (v: number): string => f.count.format(v);

/** A percentage given in percent, `digits` decimals (12.345 → '12.35%'; Swedish '12,35 %'). */
export function formatPercent(v: number, digits: number): string {
  const key = 200 + digits;
  let fmt = f.fixed.get(key);
  if (!fmt) {
    fmt = new Intl.NumberFormat(f.locale, {
      style: 'percent',
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    f.fixed.set(key, fmt);
  }
  return fmt.format(v / 100);
}

/** A signed percentage given in percent (2.345 → '+2.35%'; Swedish '+2,35 %'). */
export function formatSignedPercent(v: number): string {
  let fmt = f.fixed.get(100);
  if (!fmt) {
    fmt = new Intl.NumberFormat(f.locale, {
      style: 'percent',
      minimumFractionDigits: 2,
      maximumFractionDigits: 2,
      signDisplay: 'exceptZero',
    });
    f.fixed.set(100, fmt);
  }
  return fmt.format(v / 100);
}

/** `digits` decimals, no grouping (prices and ratios read best as one block of digits). */
export function formatFixed(v: number, digits: number): string {
  let fmt = f.fixed.get(digits);
  if (!fmt) {
    fmt = new Intl.NumberFormat(f.locale, {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
      useGrouping: false,
    });
    f.fixed.set(digits, fmt);
  }
  return fmt.format(v);
}

function significant(v: number, digits: number): string {
  let fmt = f.significant.get(digits);
  if (!fmt) {
    fmt = new Intl.NumberFormat(f.locale, {
      maximumSignificantDigits: digits,
      useGrouping: false,
    });
    f.significant.set(digits, fmt);
  }
  return fmt.format(v);
}

/** Prices span 0.00001 to 100000: keep about six significant digits. */
export function formatPrice(v: number | null): string {
  if (v === null) return '—';
  const digits = Math.abs(v) >= 1000 ? 2 : Math.abs(v) >= 1 ? 4 : 6;
  return formatFixed(v, digits);
}

/** Chart axis and crosshair labels: two decimals from 1000 up, up to four from 1, six below; no zeros padded under 1000. */
export function formatAxis(v: number): string {
  const a = Math.abs(v);
  if (a >= 1000) return formatFixed(v, 2);
  const key = a >= 1 ? -4 : -6;
  let fmt = f.fixed.get(key);
  if (!fmt) {
    fmt = new Intl.NumberFormat(f.locale, { maximumFractionDigits: -key, useGrouping: false });
    f.fixed.set(key, fmt);
  }
  return fmt.format(v);
}

export function formatAmount(v: number): string {
  return significant(v, 6);
}

/** Candle volumes: four significant digits, no padded decimals (12,345.67 → '12350', 0.34567 → '0.3457'). */
export function formatVolume(v: number): string {
  return significant(v, 4);
}

/**
 * Fees are a few cents to a few units of the quote currency: two decimals from 1 up,
 * three significant digits below (0.999997 → '1.00', 0.000123456 → '0.000123').
 */
export function formatFee(v: number): string {
  if (v === 0) return formatCount(0);
  const rounded = Number(v.toPrecision(3));
  return Math.abs(rounded) >= 1 ? formatFixed(v, 2) : significant(rounded, 3);
}

/** 'HH:MM:SS' in UTC, as the chart axes show. */
export function formatTime(ts: number): string {
  if (f.language === 'en') return new Date(ts).toISOString().slice(11, 19);
  return f.time.format(ts);
}

export function formatDateTime(ts: number): string {
  if (f.language === 'en')
    return new Date(ts).toISOString().slice(0, 19).replace('T', ' ') + ' UTC';
  return `${f.dateTime.format(ts)} UTC`;
}

/** Unit suffixes: a lone second count ('4.2 s'), then the compact pairs ('2m 5s' / '2 min 5 s'). */
const UNITS = {
  en: { secs: ' s', s: 's', m: 'm', h: 'h', d: 'd' },
  sv: { secs: ' s', s: ' s', m: ' min', h: ' h', d: ' d' },
} as const;

export function formatDuration(ms: number): string {
  const u = UNITS[f.language];
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${formatFixed(ms / 1000, 1)}${u.secs}`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}${u.m} ${s % 60}${u.s}`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}${u.h} ${m % 60}${u.m}`;
  return `${Math.floor(h / 24)}${u.d} ${h % 24}${u.h}`;
}
