/**
 * Adapters, the Web entry point, the framework integrations and the
 * OpenTelemetry entry point are built on public entry points only: a new
 * adapter or integration needs nothing the package does not export. Each file may import the core's, the kit's and the
 * Web entry point, another adapter's entry point, a store's entry point, and
 * files of its own folder.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = new URL('../../src/', import.meta.url).pathname;
const PACKAGES = /^[a-z@]/; // node:http, express, fastify, …
const OWN_FILE = /^\.\/[a-z0-9-]+\.js$/;

/** Folders under src/ whose files may only import public entry points, with what they may import. */
const FOLDERS: { folder: string; allowed: RegExp[] }[] = [
  ...subfolders('adapters').map((folder) => ({
    folder,
    allowed: [
      /^\.\.\/\.\.\/(core|kit)\/index\.js$/,
      /^\.\.\/[a-z]+\/index\.js$/,
      /^\.\.\/\.\.\/stores\/sqlite\/index\.js$/,
    ],
  })),
  { folder: 'web', allowed: [/^\.\.\/(core|kit)\/index\.js$/] },
  { folder: 'opentelemetry', allowed: [/^\.\.\/core\/index\.js$/] },
  { folder: 'admin', allowed: [/^\.\.\/(core|kit)\/index\.js$/] },
  ...subfolders('integrations').map((folder) => ({
    folder,
    allowed: [
      /^\.\.\/\.\.\/(core|kit|web)\/index\.js$/,
      /^\.\.\/\.\.\/adapters\/[a-z]+\/index\.js$/,
      /^\.\.\/\.\.\/stores\/[a-z-]+\/index\.js$/,
    ],
  })),
];

function subfolders(parent: string): string[] {
  const dir = join(SRC, parent);
  return existsSync(dir) ? readdirSync(dir).map((name) => `${parent}/${name}`) : [];
}

function importsOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(/^(?:import|export)[^;]*?from '([^']+)'/gms)].map((m) => m[1]!);
}

describe('adapters, the Web entry point and integrations use only public entry points', () => {
  for (const { folder, allowed } of FOLDERS) {
    it(`${folder}: every import is a public entry point or its own file`, () => {
      const dir = join(SRC, folder);
      const offending = readdirSync(dir, { recursive: true, encoding: 'utf8' })
        .filter((name) => name.endsWith('.ts'))
        .flatMap((name) =>
          importsOf(join(dir, name))
            .filter(
              (spec) =>
                !PACKAGES.test(spec) &&
                !(name.includes('/') ? /^\.\.?\/[a-z0-9-/]+\.js$/ : OWN_FILE).test(spec) &&
                !allowed.some((pattern) => pattern.test(spec)),
            )
            .map((spec) => `${name}: ${spec}`),
        );
      expect(offending).toEqual([]);
    });
  }
});
