/**
 * The core, the Hono adapter, tessera-session/web and tessera-session/admin must run wherever
 * Hono runs (Bun, Deno, Workers): bundled for a neutral platform, they import no Node builtin.
 * @module
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as HonoAdapter from '../../src/adapters/hono/index.js';
import type * as MemoryStore from '../../src/stores/memory/index.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// Builtins stay external, so a forbidden import shows up in the metafile instead of failing the build.
const NODE_BUILTINS = [
  ...builtinModules,
  ...builtinModules.map((name) => `node:${name}`),
  'node:*',
];

interface NeutralBundle {
  code: string;
  /** Every import left in the bundle (externals). */
  imports: string[];
}

async function bundleNeutral(
  entry: { file: string } | { contents: string },
): Promise<NeutralBundle> {
  const result = await build({
    ...('file' in entry
      ? { entryPoints: [join(ROOT, entry.file)] }
      : { stdin: { contents: entry.contents, resolveDir: ROOT, loader: 'ts' } }),
    platform: 'neutral',
    format: 'esm',
    bundle: true,
    write: false,
    metafile: true,
    // The neutral platform reads no package.json field by default.
    mainFields: ['module', 'main'],
    external: ['hono', ...NODE_BUILTINS],
    logLevel: 'silent',
  });
  const outputs = Object.values((result.metafile as Metafile).outputs);
  return {
    code: result.outputFiles[0]!.text,
    imports: outputs.flatMap((output) => output.imports.map((imported) => imported.path)),
  };
}

const isNodeBuiltin = (path: string): boolean =>
  path.startsWith('node:') || builtinModules.includes(path.split('/')[0]!);

describe.each([
  'src/core/index.ts',
  'src/adapters/hono/index.ts',
  'src/web/index.ts',
  'src/admin/index.ts',
])('portable bundle of %s', (file) => {
  it('imports no Node builtin', async () => {
    const bundle = await bundleNeutral({ file });
    expect(bundle.imports.filter(isNodeBuiltin)).toEqual([]);
    expect(bundle.imports.filter((path) => path !== 'hono')).toEqual([]);
    expect(bundle.code).not.toMatch(/(from|import\(|require\()\s*["']node:/);
  });
});

describe('core sources', () => {
  it('import no node: module and no bare Node builtin', () => {
    const dir = join(ROOT, 'src/core');
    const offenders: string[] = [];
    for (const name of readdirSync(dir).filter((file) => file.endsWith('.ts'))) {
      const source = readFileSync(join(dir, name), 'utf8');
      for (const match of source.matchAll(
        /(?:from|import\(|import|require\()\s*['"]([^'"]+)['"]/g,
      )) {
        if (isNodeBuiltin(match[1]!)) offenders.push(`${name}: ${match[1]}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});

describe('the Hono adapter without a Node server', () => {
  let dir: string;
  let adapter: typeof HonoAdapter & typeof MemoryStore;
  beforeAll(async () => {
    // Run the neutral bundle itself, not the sources: what Bun, Deno or Workers would load.
    const bundle = await bundleNeutral({
      contents: [
        "export { createSessionMiddleware } from './src/adapters/hono/index.ts';",
        "export { createMemoryStore } from './src/stores/memory/index.ts';",
      ].join('\n'),
    });
    expect(bundle.imports).toEqual([]);
    dir = mkdtempSync(join(tmpdir(), 'tessera-portable-'));
    const file = join(dir, 'tessera-hono.mjs');
    writeFileSync(file, bundle.code);
    adapter = await import(pathToFileURL(file).href);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('counts visits through app.request() with the memory store and Web Crypto', async () => {
    const app = new Hono<HonoAdapter.SessionEnv<{ visits: number }>>();
    app.use(adapter.createSessionMiddleware({ store: adapter.createMemoryStore() }));
    app.get('/', (c) => {
      const session = c.get('session');
      session.set('visits', session.get('visits', 0) + 1);
      return c.text(String(session.get('visits')));
    });
    const first = await app.request('/');
    expect(await first.text()).toBe('1');
    const cookie = first.headers.get('set-cookie')!.split(';')[0]!;
    const second = await app.request('/', { headers: { cookie } });
    expect(await second.text()).toBe('2');
  });
});
