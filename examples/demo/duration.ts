/**
 * Spans of time in words, for people: `3 minutes 12 seconds`, `2 weeks`.
 *
 * @module
 */

/** The units spans are told in, largest first, with their length in seconds. */
export const TIME_UNITS: ReadonlyArray<readonly [unit: string, seconds: number]> = [
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

/** `1 minute`, `3 minutes`. */
export function countUnits(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

/**
 * A number of seconds in words, exactly, every non-zero unit from weeks down
 * to seconds: `192` → `3 minutes 12 seconds`, `1209600` → `2 weeks`.
 * Fractions of a second are dropped; `0` and negative spans are `0 seconds`.
 */
export function describeDuration(totalSeconds: number): string {
  let rest = Math.max(0, Math.floor(totalSeconds));
  const parts: string[] = [];
  for (const [unit, seconds] of TIME_UNITS) {
    const count = Math.floor(rest / seconds);
    rest -= count * seconds;
    if (count > 0) parts.push(countUnits(count, unit));
  }
  return parts.length === 0 ? '0 seconds' : parts.join(' ');
}
