/**
 * The Prometheus example of docs/opentelemetry.md, run: the docs show
 * examples/prometheus/server.ts as it is (with the package's import paths),
 * and that server, started as `node --import tsx` on port 0, serves sessions
 * and answers Prometheus' scrape of /metrics with the session counters and
 * the store latency histogram of the requests made.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Brings the example into the project's typecheck (npm run typecheck); erased at run time.
import type {} from '../../examples/prometheus/server.js';
import { DB_CLIENT_DURATION_BUCKETS } from '../../src/opentelemetry/index.js';
import { CookieJarClient } from '../helpers/cookie-jar-client.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const EXAMPLE = 'examples/prometheus/server.ts';

/** The example's imports of the repository's sources, and the package's entry points the docs show instead. */
const PUBLIC_IMPORTS: Readonly<Record<string, string>> = {
  '../../src/adapters/node/index.js': 'tessera-session/node',
  '../../src/opentelemetry/index.js': 'tessera-session/opentelemetry',
  '../../src/stores/sqlite/index.js': 'tessera-session/stores/sqlite',
};

/** The ts block of docs/opentelemetry.md whose docs-test marker names the example. */
function exampleBlockOfDocs(): string {
  const lines = readFileSync(`${ROOT}docs/opentelemetry.md`, 'utf8').split('\n');
  const marker = lines.findIndex(
    (line) => line.startsWith('<!-- docs-test:') && line.includes(EXAMPLE),
  );
  expect(marker, `a docs-test marker naming ${EXAMPLE}`).toBeGreaterThanOrEqual(0);
  expect(lines[marker + 1]).toBe('```ts');
  const end = lines.indexOf('```', marker + 2);
  return `${lines.slice(marker + 2, end).join('\n')}\n`;
}

describe('docs/opentelemetry.md', () => {
  it(`shows ${EXAMPLE} verbatim, with the package's import paths`, () => {
    let source = readFileSync(`${ROOT}${EXAMPLE}`, 'utf8');
    for (const [local, published] of Object.entries(PUBLIC_IMPORTS)) {
      expect(source).toContain(`'${local}'`);
      source = source.replace(`'${local}'`, `'${published}'`);
    }
    expect(source).not.toMatch(/from '\.\.?\//);
    expect(exampleBlockOfDocs()).toBe(source);
  });
});

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a Prometheus text exposition (version 0.0.4). */
function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const [, name, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
      labels[name!] = value!;
    }
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

/** The samples named `name` with `labels` among theirs. */
function samplesOf(samples: Sample[], name: string, labels: Record<string, string> = {}): Sample[] {
  return samples.filter(
    (sample) =>
      sample.name === name &&
      Object.entries(labels).every(([label, value]) => sample.labels[label] === value),
  );
}

describe(`${EXAMPLE} under a Prometheus scrape`, () => {
  let child: ReturnType<typeof spawn>;
  let output = '';
  let baseUrl: string;
  let exited: Promise<number | null>;

  beforeAll(async () => {
    child = spawn(process.execPath, ['--import', 'tsx', EXAMPLE], {
      cwd: ROOT,
      env: { ...process.env, PORT: '0', SESSION_DB: ':memory:' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    baseUrl = await new Promise<string>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
        if (url) resolve(url);
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      void exited.then((code) =>
        reject(new Error(`exited with ${code} before listening:\n${output}`)),
      );
    });
  });

  afterAll(async () => {
    if (child?.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  });

  it('answers the scrape with the sessions created, rotated and destroyed, and the store latency histogram', async () => {
    const browser = new CookieJarClient(baseUrl);
    expect((await browser.get('/')).text).toBe('visits: 1\n');
    expect((await browser.get('/')).text).toBe('visits: 2\n');
    expect((await browser.request('/login', { method: 'POST' })).status).toBe(200);
    expect((await browser.request('/logout', { method: 'POST' })).text).toBe('visits: 0\n');
    expect((await new CookieJarClient(baseUrl).get('/')).text).toBe('visits: 1\n');

    const scrape = await fetch(`${baseUrl}/metrics`);
    expect(scrape.status).toBe(200);
    expect(scrape.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await scrape.text();
    const samples = parseExposition(text);

    const store = { tessera_store: 'sqlite', otel_scope_name: 'tessera-session' };
    expect(samplesOf(samples, 'tessera_sessions_created_total', store).map((s) => s.value)).toEqual(
      [2],
    );
    expect(samplesOf(samples, 'tessera_sessions_rotated_total', store).map((s) => s.value)).toEqual(
      [1],
    );
    expect(
      samplesOf(samples, 'tessera_sessions_destroyed_total', store).map((s) => s.value),
    ).toEqual([1]);
    const commits = (plan: string) =>
      samplesOf(samples, 'tessera_session_commits_total', {
        tessera_commit_plan: plan,
        tessera_commit_outcome: 'saved',
      }).map((s) => s.value);
    expect(commits('create')).toEqual([2]);
    expect(commits('delta')).toEqual([1]);

    expect(text).toContain('# TYPE db_client_operation_duration histogram');
    expect(text).toContain('# UNIT db_client_operation_duration s');
    const reads = { db_system_name: 'sqlite', db_operation_name: 'read' };
    expect(
      samplesOf(samples, 'db_client_operation_duration_count', reads).map((s) => s.value),
    ).toEqual([3]);
    const buckets = samplesOf(samples, 'db_client_operation_duration_bucket', reads);
    expect(buckets.map((bucket) => bucket.labels.le)).toEqual([
      ...DB_CLIENT_DURATION_BUCKETS.map(String),
      '+Inf',
    ]);
    expect(buckets.at(-1)?.value).toBe(3);
    const [sum] = samplesOf(samples, 'db_client_operation_duration_sum', reads);
    expect(sum!.value).toBeGreaterThan(0);
  });

  it('stops on SIGTERM, closing the store', async () => {
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
