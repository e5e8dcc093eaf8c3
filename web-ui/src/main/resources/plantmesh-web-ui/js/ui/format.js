// Numbers, percentages, times and units as the plant views show them.

const NUMBER = new Intl.NumberFormat(undefined, {maximumFractionDigits: 1});
const INTEGER = new Intl.NumberFormat(undefined, {maximumFractionDigits: 0});
const TIME = new Intl.DateTimeFormat(undefined, {hour: '2-digit', minute: '2-digit', second: '2-digit'});
const DATE_TIME = new Intl.DateTimeFormat(undefined, {dateStyle: 'short', timeStyle: 'short'});

export const NONE = '—';

export function number(value, unit) {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    return NONE;
  }
  const text = Math.abs(value) >= 100 ? INTEGER.format(value) : NUMBER.format(value);
  return unit ? `${text} ${unit}` : text;
}

/** A fraction 0..1 as a percentage. */
export function percent(fraction) {
  return typeof fraction === 'number' ? `${NUMBER.format(fraction * 100)} %` : NONE;
}

export function time(value) {
  const d = toDate(value);
  return d ? TIME.format(d) : NONE;
}

export function dateTime(value) {
  const d = toDate(value);
  return d ? DATE_TIME.format(d) : NONE;
}

export function toDate(value) {
  if (value instanceof Date) {
    return value;
  }
  if (!value) {
    return null;
  }
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** 'plant1:machine-1-03' -> 'machine-1-03'. */
export function shortId(thingId) {
  const colon = (thingId ?? '').indexOf(':');
  return colon < 0 ? thingId ?? '' : thingId.slice(colon + 1);
}

/** A link target of the twin page. */
export function twinHref(thingId) {
  return `#/twin/${encodeURIComponent(thingId)}`;
}
