/**
 * React Router's own session tests (`sessions-test.ts`, vendored unmodified in
 * test/vendor/react-router) against `tessera-session/react-router`: its
 * imports load shims over Tessera's storage, its jest globals are vitest's.
 * Each test listed in upstream-known-failures.ts must fail (with the reason
 * in its title); every other must pass.
 *
 * vitest's summary then reads "Snapshots 2 failed" in red while every test
 * passes: two of the expected failures fail on an inline snapshot (React
 * Router's exact deletion cookie), and vitest counts the mismatch even inside
 * `it.fails`. That line is theirs, not a failure of this suite.
 *
 * The upstream file is kept as `sessions-test.ts.txt`, so that this project's
 * compiler and linter (whose settings it was not written for) leave it alone;
 * it runs from a copy of test/vendor/react-router in test-artifacts/vendor/react-router,
 * at the same depth, so every relative import resolves as in place.
 */
import { createHash } from 'node:crypto';
import { cpSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { KNOWN_FAILURES } from './upstream-known-failures.js';

/** Git's blob id of packages/react-router/__tests__/server-runtime/sessions-test.ts at cab1a6905 (v8.3.0). */
const UPSTREAM_BLOB = '41fef683f07962592ed9693bff281d1088b96478';
const TEST_PATH = 'packages/react-router/__tests__/server-runtime/sessions-test.ts';

const root = path.resolve(import.meta.dirname, '../..');
const vendored = path.join(root, 'test/vendor/react-router');
const copy = path.join(root, 'test-artifacts/vendor/react-router');

type Body = () => unknown;

/** The `describe` path of the suite being collected (vitest collects nested suites after their parent's body). */
let currentPath: readonly string[] = [];
const upstreamTests = new Set<string>();

function upstreamDescribe(name: string, body: () => void): void {
  const path = [...currentPath, name];
  describe(name, () => {
    const parent = currentPath;
    currentPath = path;
    try {
      body();
    } finally {
      currentPath = parent;
    }
  });
}

function upstreamIt(name: string, body: Body): void {
  const fullName = [...currentPath, name].join(' > ');
  upstreamTests.add(fullName);
  const reason = KNOWN_FAILURES.get(fullName);
  if (reason === undefined) it(name, async () => void (await body()));
  else it.fails(`${name} — known failure: ${reason}`, async () => void (await body()));
}

Object.assign(globalThis, {
  describe: upstreamDescribe,
  it: upstreamIt,
  test: upstreamIt,
  expect,
  beforeAll,
  beforeEach,
  afterAll,
  afterEach,
  jest: vi,
});

const upstreamText = readFileSync(path.join(vendored, `${TEST_PATH}.txt`));
rmSync(copy, { recursive: true, force: true });
cpSync(vendored, copy, { recursive: true });
renameSync(path.join(copy, `${TEST_PATH}.txt`), path.join(copy, TEST_PATH));
await import(pathToFileURL(path.join(copy, TEST_PATH)).href);

describe('the vendored file', () => {
  it('is the upstream file, unmodified (its git blob id)', () => {
    const blob = createHash('sha1')
      .update(`blob ${upstreamText.length}\0`)
      .update(upstreamText)
      .digest('hex');
    expect(blob).toBe(UPSTREAM_BLOB);
  });
});

describe('the known-failures list', () => {
  it('names only tests the upstream file has', () => {
    expect([...KNOWN_FAILURES.keys()].filter((name) => !upstreamTests.has(name))).toEqual([]);
  });

  it('leaves most of the upstream tests passing', () => {
    expect(upstreamTests.size).toBe(15);
    expect(KNOWN_FAILURES.size).toBe(5);
  });
});
