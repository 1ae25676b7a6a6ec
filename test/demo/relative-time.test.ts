import { describe, expect, it } from 'vitest';
import { describeRelativeTime, formatUtc } from '../../examples/demo/relative-time.js';

const MINUTE = 60;
const HOUR = 3600;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

describe('describeRelativeTime', () => {
  const now = Date.parse('2025-06-12T14:03:05.000Z');
  const at = (seconds: number) => new Date(now + seconds * 1000);

  it.each([
    [0, 'just now'],
    [-59, 'just now'],
    [30, 'in under a minute'],
    [-MINUTE, '1 minute ago'],
    [-5 * MINUTE - 20, '5 minutes ago'],
    [-HOUR + 10, '1 hour ago'],
    [-3 * HOUR, '3 hours ago'],
    [DAY - 1, 'in 1 day'],
    [-6 * DAY, '6 days ago'],
    [7 * DAY - HOUR, 'in 1 week'],
    [2 * WEEK - 2, 'in 2 weeks'],
    [26 * WEEK, 'in 26 weeks'],
  ])('tells a moment %d seconds away as %j', (seconds, words) => {
    expect(describeRelativeTime(at(seconds), now)).toBe(words);
  });
});

describe('formatUtc', () => {
  it('shows the date and time to the second, in UTC', () => {
    expect(formatUtc(new Date('2025-06-12T14:03:05.678Z'))).toBe('2025-06-12 14:03:05 UTC');
  });
});
