import { describe, expect, it } from 'vitest';
import { describeDuration } from '../../examples/demo/duration.js';

const MINUTE = 60;
const HOUR = 3600;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

describe('describeDuration', () => {
  it.each([
    [192, '3 minutes 12 seconds'],
    [1, '1 second'],
    [0, '0 seconds'],
    [-5, '0 seconds'],
    [59.9, '59 seconds'],
    [HOUR + MINUTE + 1, '1 hour 1 minute 1 second'],
    [2 * DAY + 3 * HOUR, '2 days 3 hours'],
    [2 * WEEK, '2 weeks'],
    [2 * WEEK - 1, '1 week 6 days 23 hours 59 minutes 59 seconds'],
  ])('tells %d seconds as %j', (seconds, words) => {
    expect(describeDuration(seconds)).toBe(words);
  });
});
