/**
 * Session data as the CLI prints it: values decoded as the session would see
 * them (dates as ISO strings in JSON), or only their names and size.
 * @module
 */

import { decodeValue, type StoredData } from '../core/index.js';

/** Every data key (reserved `_…` ones too), decoded. */
export function decodeData(data: StoredData): Record<string, unknown> {
  const decoded: Record<string, unknown> = {};
  for (const name of Object.keys(data)) {
    // defineProperty, so a "__proto__" key stays plain data.
    Object.defineProperty(decoded, name, {
      value: decodeValue(data[name]!),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return decoded;
}

/** The data's keys and its size as stored (UTF-8 bytes of its JSON), without the values. */
export function describeDataShape(data: StoredData): { keys: string[]; bytes: number } {
  return { keys: Object.keys(data), bytes: Buffer.byteLength(JSON.stringify(data), 'utf8') };
}
