/**
 * The files store's options from a store URL: `file:./sessions` (relative to
 * the working directory), `file:///var/lib/app/sessions` (absolute), or
 * `file:` alone for the default directory.
 *
 * @module
 */

import { fileURLToPath } from 'node:url';
import { SessionConfigError } from '../../core/errors.js';
import { maskStoreUrl } from '../mask-url.js';
import type { FileStoreOptions } from './options.js';

/**
 * The options a `file:` URL names. Throws {@link SessionConfigError} for a
 * URL it cannot use (another scheme, a host, a query, bad escapes).
 */
export function fileStoreOptionsFromUrl(url: string): FileStoreOptions {
  const shown = JSON.stringify(maskStoreUrl(url));
  const refuse = (why: string): never => {
    throw new SessionConfigError(
      `Store URL ${shown} ${why}; use "file:./sessions" (relative to the working directory) or ` +
        '"file:///absolute/path", and pass other options to createFileStore().',
    );
  };
  if (!url.startsWith('file:')) return refuse('is not a file: URL');
  const rest = url.slice('file:'.length);
  if (/[?#]/.test(rest))
    return refuse('has a query or fragment, which the files store does not read');
  if (rest === '') return {};
  if (rest.startsWith('//')) {
    // WHATWG rules: file:///abs, file://localhost/abs (and drive letters on Windows).
    try {
      return { directory: fileURLToPath(url) };
    } catch {
      return refuse('names a host; the files store needs a local directory');
    }
  }
  // new URL() would make "file:./x" absolute ("/x"), so relative paths are read raw.
  try {
    return { directory: decodeURIComponent(rest) };
  } catch {
    return refuse('has a malformed %-escape');
  }
}
