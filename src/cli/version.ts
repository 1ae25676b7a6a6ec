/**
 * `tessera-session --version`: the version in the package's own package.json,
 * read when asked, so it is always the installed one.
 * @module
 */

import { readFileSync } from 'node:fs';

/**
 * The package's version. Both `src/cli/` and `dist/cli/` sit two folders
 * below the package's root, where package.json is.
 */
export function readPackageVersion(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  const { version } = JSON.parse(text) as { version?: unknown };
  if (typeof version !== 'string' || version === '') {
    throw new Error('the package.json of tessera-session has no "version"');
  }
  return version;
}
