/**
 * A short, human label for the device behind a `User-Agent` header, for the
 * list of the user's sessions ("Firefox on Windows").
 *
 * @module
 */

/** The longest `User-Agent` kept in the session; longer headers are cut. */
export const MAX_USER_AGENT_LENGTH = 300;

/**
 * First match wins, so the order matters: browsers built on Chromium (Edge,
 * Opera, Samsung Internet) also say `Chrome/`, Chrome also says `Safari/`, and
 * the iOS browsers (CriOS, FxiOS, EdgiOS) say `Safari/` too.
 */
const BROWSERS: ReadonlyArray<readonly [pattern: RegExp, name: string]> = [
  [/\bEdg(?:e|A|iOS)?\//, 'Edge'],
  [/\bOPR\/|\bOPiOS\/|\bOpera\b/, 'Opera'],
  [/\bSamsungBrowser\//, 'Samsung Internet'],
  [/\bHeadlessChrome\//, 'Headless Chrome'],
  [/\bChrom(?:e|ium)\/|\bCriOS\//, 'Chrome'],
  [/\bFirefox\/|\bFxiOS\//, 'Firefox'],
  [/\bSafari\//, 'Safari'],
  [/\bcurl\//i, 'curl'],
  [/\bnode\b|\bundici\b/i, 'Node.js'],
];

const SYSTEMS: ReadonlyArray<readonly [pattern: RegExp, name: string]> = [
  [/\bAndroid\b/, 'Android'],
  [/\biPhone\b|\biPad\b|\biOS\b/, 'iOS'],
  [/\bWindows\b/, 'Windows'],
  [/\bMac OS X\b|\bMacintosh\b/, 'macOS'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bLinux\b/, 'Linux'],
];

/**
 * The `User-Agent` header as kept in the session: a single string (Node joins
 * nothing for this header, but a client may omit it), cut to
 * {@link MAX_USER_AGENT_LENGTH} characters so a huge header cannot bloat the
 * stored session. `''` when there is none.
 */
export function normalizeUserAgent(header: string | undefined): string {
  return (header ?? '').trim().slice(0, MAX_USER_AGENT_LENGTH);
}

/**
 * "Browser on System" as far as the header tells, e.g. `Chrome on Linux`;
 * `Unknown device` for an empty or unrecognized header. The label is a hint
 * for people, never a security decision: the header is whatever the client sent.
 */
export function deviceLabel(userAgent: string): string {
  const browser = BROWSERS.find(([pattern]) => pattern.test(userAgent))?.[1];
  const system = SYSTEMS.find(([pattern]) => pattern.test(userAgent))?.[1];
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? system ?? 'Unknown device';
}
