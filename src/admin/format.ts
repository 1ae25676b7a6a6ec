/**
 * How figures are written on the admin pages: times in UTC, sizes in bytes.
 * @module
 */

/** A time as `2026-12-01 07:05 UTC`. */
export function formatTime(time: number): string {
  if (!Number.isFinite(time)) return '—';
  const iso = new Date(time).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** A size as `512 B`, `3.2 KiB`, `1.1 MiB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${trimNumber(bytes / 1024)} KiB`;
  return `${trimNumber(bytes / (1024 * 1024))} MiB`;
}

/** A count with thousands separators: `1,000,000`. */
export function formatCount(count: number): string {
  return count.toLocaleString('en-US');
}

function trimNumber(value: number): string {
  return value >= 10 ? String(Math.round(value)) : value.toFixed(1).replace(/\.0$/, '');
}

/** UTF-8 bytes of a value's JSON, as stores measure data (no `node:` Buffer here). */
export function jsonBytes(value: unknown): number {
  return new TextEncoder().encode(JSON.stringify(value) ?? '').length;
}
