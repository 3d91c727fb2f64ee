// Locale-aware formatting. Dates are calendar days from the data: always formatted in UTC,
// so a day never shifts with the viewer's time zone.
import type { Locale } from '../core/config';

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

/**
 * Formatters are cached under a short name per use (`name`), not a serialisation of the options:
 * a view re-renders hundreds of numbers per settings change, and building a key with
 * JSON.stringify for each cost more than the formatting.
 */
function numberFormat(locale: Locale, name: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `n|${locale}|${name}`;
  let f = cache.get(key) as Intl.NumberFormat | undefined;
  if (!f) cache.set(key, (f = new Intl.NumberFormat(locale, options)));
  return f;
}

export function formatInteger(locale: Locale, value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '–' : numberFormat(locale, 'int', { maximumFractionDigits: 0 }).format(value);
}

export function formatMoney(locale: Locale, value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return numberFormat(locale, 'money', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(value);
}

/** Compact money for axes and cards: 1.2M / 120万. */
export function formatMoneyCompact(locale: Locale, value: number): string {
  return numberFormat(locale, 'compact', { notation: 'compact', maximumFractionDigits: 1 }).format(value);
}

export function formatPercent(locale: Locale, value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return numberFormat(locale, `pct${digits}`, { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
}

export function formatDate(locale: Locale, epochMs: number | null | undefined): string {
  if (epochMs === null || epochMs === undefined || !Number.isFinite(epochMs)) return '–';
  const key = `d|${locale}`;
  let f = cache.get(key) as Intl.DateTimeFormat | undefined;
  if (!f) cache.set(key, (f = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', year: 'numeric', month: '2-digit', day: '2-digit' })));
  return f.format(new Date(epochMs));
}

export function formatMonth(locale: Locale, epochMs: number): string {
  const key = `m|${locale}`;
  let f = cache.get(key) as Intl.DateTimeFormat | undefined;
  if (!f) cache.set(key, (f = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', year: 'numeric', month: 'short' })));
  return f.format(new Date(epochMs));
}

/** ISO day (YYYY-MM-DD) for data-value attributes. */
export function isoDay(epochMs: number | null | undefined): string {
  return epochMs === null || epochMs === undefined || !Number.isFinite(epochMs) ? '' : new Date(epochMs).toISOString().slice(0, 10);
}

/** A statistic with a fixed number of decimals (coefficients, reliabilities, indices); '–' when missing. */
export function formatDecimal(locale: Locale, value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return numberFormat(locale, `dec${digits}`, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
}
