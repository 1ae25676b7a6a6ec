/**
 * The version of tessera-session, for the tracer's and the meter's
 * instrumentation scope.
 * @module
 */

import { readFileSync } from 'node:fs';

/**
 * The `version` of the package's own package.json, or `undefined` where it
 * cannot be read (a bundle that moved the file): the scope then has no
 * version, and instrumenting still works. `src/opentelemetry/` and
 * `dist/opentelemetry/` both sit two folders below the package's root.
 */
export function readTesseraVersion(): string | undefined {
  try {
    const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
    const { name, version } = JSON.parse(text) as { name?: unknown; version?: unknown };
    return name === 'tessera-session' && typeof version === 'string' ? version : undefined;
  } catch {
    return undefined;
  }
}
