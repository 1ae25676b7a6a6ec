/**
 * Moments told relative to now (`5 minutes ago`, `in 2 weeks`): short enough
 * for a table cell on a phone, and right in every time zone, which a date
 * rendered on the server cannot be.
 *
 * @module
 */
import { countUnits, TIME_UNITS } from './duration.js';

/**
 * `date` relative to `now` (milliseconds), in its largest unit, rounded:
 * `just now`, `in under a minute`, `5 minutes ago`, `in 2 weeks`. A count
 * that rounds up to the next unit is told in it (`1 hour ago`, not `60 minutes ago`).
 */
export function describeRelativeTime(date: Date, now: number): string {
  const seconds = Math.round((date.getTime() - now) / 1000);
  const span = Math.abs(seconds);
  if (span < 60) return seconds > 0 ? 'in under a minute' : 'just now';
  const index = TIME_UNITS.findIndex(([, size]) => span >= size);
  let [unit, size] = TIME_UNITS[index] ?? ['minute', 60];
  let count = Math.round(span / size);
  const larger = TIME_UNITS[index - 1];
  if (larger && count * size >= larger[1]) {
    [unit, size] = larger;
    count = 1;
  }
  const amount = countUnits(count, unit);
  return seconds > 0 ? `in ${amount}` : `${amount} ago`;
}

/** The full moment for a tooltip: `2025-06-12 14:03:05 UTC`. */
export function formatUtc(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
