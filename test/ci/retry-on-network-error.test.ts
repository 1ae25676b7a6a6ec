/**
 * The wrapper CI puts around every registry command (npm ci, npm install,
 * npm pack, npx -y node@N): a failure of the network is tried again, a failure
 * of the project is reported at once with its own exit code.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const script = path.resolve(import.meta.dirname, '../../scripts/retry-on-network-error.sh');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'tessera-retry-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A command that fails `failures` times with `stderr` and exit code 1, then
 * prints "installed" and succeeds; it counts its runs in a file.
 */
function flakyCommand(failures: number, stderr: string): string[] {
  const counter = path.join(dir, 'runs');
  writeFileSync(counter, '0');
  const body = `n=$(( $(cat '${counter}') + 1 )); echo $n > '${counter}'
if [ $n -le ${failures} ]; then echo '${stderr}' >&2; exit 1; fi
echo installed`;
  return ['bash', '-c', body];
}

function runWrapped(command: string[]) {
  const result = spawnSync('bash', [script, ...command], {
    encoding: 'utf8',
    env: { ...process.env, RETRY_DELAY_SECONDS: '0' },
  });
  const runs = Number(readFileSync(path.join(dir, 'runs'), 'utf8'));
  return { ...result, runs };
}

describe('scripts/retry-on-network-error.sh', () => {
  it('runs a command that succeeds once, passing its output through', () => {
    const result = runWrapped(flakyCommand(0, ''));
    expect(result.status).toBe(0);
    expect(result.runs).toBe(1);
    expect(result.stdout).toBe('installed\n');
  });

  it("tries again when npm's body stalled (the EIDLETIMEOUT that once failed CI)", () => {
    const stalled =
      'npm error code EIDLETIMEOUT\nnpm error Invalid response body while trying to fetch https://registry.npmjs.org/x: Idle timeout reached';
    const result = runWrapped(flakyCommand(2, stalled));
    expect(result.status).toBe(0);
    expect(result.runs).toBe(3);
    expect(result.stdout).toBe('installed\n');
    expect(result.stderr).toContain('failed on the network (attempt 2 of 3)');
  });

  it.each([
    'npm error code ECONNRESET',
    'npm error code ETIMEDOUT',
    'npm error code EAI_AGAIN',
    'npm error code E503',
  ])('tries again after "%s"', (stderr) => {
    expect(runWrapped(flakyCommand(1, stderr)).runs).toBe(2);
  });

  it('gives up after three network failures, with the exit code of the last', () => {
    const result = runWrapped(flakyCommand(5, 'npm error code ECONNRESET'));
    expect(result.status).toBe(1);
    expect(result.runs).toBe(3);
  });

  it('reports a failure that is not the network at once (a missing package is not retried)', () => {
    const result = runWrapped(flakyCommand(5, 'npm error code E404\nnpm error 404 Not Found'));
    expect(result.status).toBe(1);
    expect(result.runs).toBe(1);
    expect(result.stderr).toContain('E404');
    expect(result.stderr).not.toContain('failed on the network');
  });
});
