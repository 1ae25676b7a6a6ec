/**
 * express-session's own test suite (v1.19.0, vendored unmodified in
 * test/vendor/express-session) run against the drop-in: its `require('../')`
 * and `require('../session/cookie')` resolve to src/express-session through
 * two shims, loaded from source by tsx.
 */

import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expectedUpstreamFailures, UPSTREAM_TEST_COUNT } from './known-failures.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const suite = path.join(root, 'test/vendor/express-session');
const mocha = path.join(root, 'node_modules/mocha/bin/mocha.js');

interface MochaTest {
  fullTitle: string;
  err?: { message?: string };
}
interface MochaReport {
  stats: { tests: number; passes: number; failures: number };
  passes: MochaTest[];
  failures: MochaTest[];
}

/** The suite's HTTPS cases read a self-signed certificate its gencert.sh makes with openssl. */
function ensureCertificate(): void {
  if (existsSync(path.join(suite, 'test/fixtures/server.crt'))) return;
  execFileSync('sh', ['test/support/gencert.sh'], { cwd: suite, stdio: 'ignore' });
}

function runSuite(): Promise<MochaReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        mocha,
        '--require',
        'tsx/cjs',
        '--require',
        'test/support/env',
        '--check-leaks',
        '--no-exit',
        '--reporter',
        'json',
        'test/',
      ],
      { cwd: suite, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk;
    });
    child.on('error', reject);
    child.on('close', () => {
      const start = out.indexOf('{');
      try {
        resolve(JSON.parse(out.slice(start)) as MochaReport);
      } catch {
        reject(new Error(`mocha gave no JSON report:\n${out}\n${err}`));
      }
    });
  });
}

describe("express-session's own test suite against the drop-in", () => {
  it('passes every test but the known, documented failures', async () => {
    ensureCertificate();
    const report = await runSuite();
    const failing = [...new Set(report.failures.map((test) => test.fullTitle))].sort();
    const major = Number(process.versions.node.split('.')[0]);
    expect(failing).toEqual(expectedUpstreamFailures(major));
    expect(report.stats.tests).toBe(UPSTREAM_TEST_COUNT);
    expect(report.stats.passes).toBeGreaterThanOrEqual(156);
    expect(report.stats.passes + failing.length).toBe(UPSTREAM_TEST_COUNT);
  }, 120_000);
});
