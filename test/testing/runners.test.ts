import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const HERE = fileURLToPath(new URL('.', import.meta.url));
const SOURCE = join(HERE, '../../src/testing');

describe('tessera-session/testing under any test runner', () => {
  it('imports no test runner', () => {
    const files = readdirSync(SOURCE, { recursive: true, encoding: 'utf8' });
    for (const file of files.filter((name) => name.endsWith('.ts'))) {
      const source = readFileSync(join(SOURCE, file), 'utf8');
      // Import statements only: the doc comments show how a runner's functions are passed in.
      expect(source, file).not.toMatch(
        /^(?:import|export)\b[^;]*from '(vitest|jest|@jest\/[^']*|node:test|mocha)'/m,
      );
    }
  });

  it('runs under node:test, with failed expectations reported as AssertionError', async () => {
    const fixture = join(HERE, 'fixtures/node-test-runner.ts');
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', '--test', '--test-reporter=tap', fixture],
      {
        env: { ...process.env, NODE_OPTIONS: '' },
      },
    );
    expect(stdout).toMatch(/# pass 2\b/);
    expect(stdout).toMatch(/# fail 0\b/);
  });
});
