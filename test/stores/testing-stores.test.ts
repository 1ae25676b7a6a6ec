/**
 * `tessera-session/testing/stores`, the conformance suite store authors run:
 * runner-agnostic, skipping what does not apply, and failing a store that
 * breaks a guarantee (here, the naive rotation of issue 10).
 */
import { AssertionError } from 'node:assert';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { type StoreCheckOutcome, storeConformanceChecks } from '../../src/testing/stores/index.js';
import { createMinimalStore, createNaivelyRotatingStore } from './fixtures/minimal-store.js';

const run = promisify(execFile);
const HERE = fileURLToPath(new URL('.', import.meta.url));
const SOURCE = join(HERE, '../../src/testing/stores');

/** Runs every check on `store`, one after the other; answers each one's outcome or error. */
async function runAll(store: ReturnType<typeof createMinimalStore>) {
  const results: { name: string; outcome?: StoreCheckOutcome; error?: unknown }[] = [];
  for (const check of storeConformanceChecks()) {
    try {
      results.push({ name: check.name, outcome: await check.run({ store }) });
    } catch (error) {
      results.push({ name: check.name, error });
    }
  }
  return results;
}

describe('tessera-session/testing/stores', () => {
  it('imports no test runner', () => {
    for (const file of readdirSync(SOURCE)) {
      const source = readFileSync(join(SOURCE, file), 'utf8');
      // Imports only: the TSDoc examples show a runner's import.
      expect(source, file).not.toMatch(
        /^import .*from '(vitest|jest|@jest\/[^']*|node:test|mocha)'/m,
      );
    }
  });

  it('names every check uniquely, by its group and title', () => {
    const checks = storeConformanceChecks();
    expect(new Set(checks.map((check) => check.name)).size).toBe(checks.length);
    for (const check of checks) {
      expect(check.name).toBe(check.group === '' ? check.title : `${check.group} ${check.title}`);
    }
  });

  it('passes a store with only the required methods, skipping the checks of the optional ones', async () => {
    const results = await runAll(createMinimalStore());

    expect(results.filter((result) => result.error !== undefined)).toEqual([]);
    const skipped = results.filter((result) => result.outcome?.status === 'skipped');
    expect(skipped.length).toBeGreaterThan(0);
    for (const { outcome } of skipped) {
      expect(outcome).toEqual({
        status: 'skipped',
        reason: expect.stringMatching(
          /^the store has no (listUserSessions|destroyUserSessions|listSessions|stats|pageSessions|countSessions|describeSessions)\(\)$/,
        ),
      });
    }
  });

  it('fails a store that rotates by create then destroy, with AssertionErrors', async () => {
    const results = await runAll(createNaivelyRotatingStore());

    const failed = results.filter((result) => result.error !== undefined);
    expect(failed.map((result) => result.name)).toEqual(
      expect.arrayContaining([
        'store.rotate() answers false for a missing key and creates nothing',
        'store.rotate() answers false after destroy (a concurrent logout won), and the new key reads null',
        'store.rotate() lets exactly one of two parallel rotations of one key win',
        'through the session manager refuses the login of a request that ends after a concurrent logout, and stores no session (issue 10)',
      ]),
    );
    for (const { name, error } of failed) {
      expect(name).toMatch(/rotate|concurrent logout/);
      expect(error).toBeInstanceOf(AssertionError);
    }
  });

  it('runs under node:test, marking the checks that do not apply as skipped', async () => {
    const fixture = join(HERE, 'fixtures/conformance-node-test.ts');
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', '--test', '--test-reporter=tap', fixture],
      { env: { ...process.env, NODE_OPTIONS: '' } },
    );

    const results = await runAll(createMinimalStore());
    const skipped = results.filter((result) => result.outcome?.status === 'skipped').length;
    expect(stdout).toMatch(new RegExp(`# pass ${results.length - skipped}\\b`));
    expect(stdout).toMatch(new RegExp(`# skipped ${skipped}\\b`));
    expect(stdout).toMatch(/# fail 0\b/);
  });
});
