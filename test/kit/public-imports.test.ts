/**
 * Adapters are built on public entry points only: a new adapter (or a framework
 * integration) needs nothing the package does not export. Each adapter file may
 * import the core's and the kit's entry points, another adapter's entry point,
 * its own folder, and the SQLite store's entry point (the Node default).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ADAPTERS = new URL('../../src/adapters/', import.meta.url).pathname;
const PUBLIC = [
  /^\.\.\/\.\.\/core\/index\.js$/,
  /^\.\.\/\.\.\/kit\/index\.js$/,
  /^\.\.\/[a-z]+\/index\.js$/,
  /^\.\.\/\.\.\/stores\/sqlite\/index\.js$/,
  /^\.\/[a-z-]+\.js$/,
  /^[a-z@]/, // packages: node:http, express, fastify, …
];

function importsOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(/^(?:import|export)[^;]*?from '([^']+)'/gms)].map((m) => m[1]!);
}

describe('adapters use only public entry points', () => {
  for (const adapter of readdirSync(ADAPTERS)) {
    it(`${adapter}: every import is a public entry point or its own file`, () => {
      const dir = join(ADAPTERS, adapter);
      const offending = readdirSync(dir)
        .filter((name) => name.endsWith('.ts'))
        .flatMap((name) =>
          importsOf(join(dir, name))
            .filter((spec) => !PUBLIC.some((allowed) => allowed.test(spec)))
            .map((spec) => `${name}: ${spec}`),
        );
      expect(offending).toEqual([]);
    });
  }
});
