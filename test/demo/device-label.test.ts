import { describe, expect, it } from 'vitest';
import {
  deviceLabel,
  MAX_USER_AGENT_LENGTH,
  normalizeUserAgent,
} from '../../examples/demo/device-label.js';

describe('deviceLabel', () => {
  it.each([
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0',
      'Firefox on Windows',
    ],
    [
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36',
      'Chrome on Linux',
    ],
    [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
      'Safari on macOS',
    ],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0',
      'Edge on Windows',
    ],
    [
      'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36',
      'Chrome on Android',
    ],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
      'Safari on iOS',
    ],
    ['curl/8.5.0', 'curl'],
    ['', 'Unknown device'],
    ['something odd', 'Unknown device'],
  ])('labels %j as %j', (userAgent, label) => {
    expect(deviceLabel(userAgent)).toBe(label);
  });
});

describe('normalizeUserAgent', () => {
  it('answers "" for a missing header and trims blanks', () => {
    expect(normalizeUserAgent(undefined)).toBe('');
    expect(normalizeUserAgent('  curl/8.5.0 ')).toBe('curl/8.5.0');
  });

  it('cuts a huge header so it cannot bloat the stored session', () => {
    expect(normalizeUserAgent('x'.repeat(10_000))).toHaveLength(MAX_USER_AGENT_LENGTH);
  });
});
