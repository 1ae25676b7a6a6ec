/**
 * Unknown option keys are rejected when a factory is called, naming the key
 * and the factory, and saying what to do: the option of another session
 * library it looks like ({@link PEER_OPTION_HINTS}), or the known key it is a
 * typo of. Each factory derives its known keys from its frozen defaults
 * ({@link optionKeys}), so an option added later is known without more code.
 * @module
 */

import { SessionConfigError } from './errors.js';
import { type OptionHintScope, PEER_OPTION_HINTS } from './peer-option-hints.js';

/** Where an options object sits, for the message and the hints. */
export interface OptionKeysContext {
  /** Which peer hints apply ({@link OptionHintScope}); none when left out. */
  readonly scope?: OptionHintScope | undefined;
  /** The object's place in the factory's options, e.g. `'cookie'`: the message then names `cookie.maxAge`. */
  readonly path?: string | undefined;
}

/**
 * The keys a factory knows: those of its frozen defaults plus those without a
 * default (`store`, `onError`, …). Checked by the compiler against the
 * options interface: a key of `Options` in neither list, or a listed key that
 * `Options` lacks, does not compile (the error names it).
 *
 * ```ts
 * const KEYS = optionKeys<MemoryStoreOptions>()(DEFAULT_MEMORY_STORE_OPTIONS, []);
 * ```
 */
export function optionKeys<Options extends object>(): <
  Defaults extends object,
  const Extra extends readonly string[],
>(
  defaults: Defaults,
  // Keys of `Options` in neither list, or listed keys `Options` lacks: named by the compiler's error.
  extra: Extra &
    ([
      | Exclude<keyof Options, keyof Defaults | Extra[number]>
      | Exclude<keyof Defaults | Extra[number], keyof Options>,
    ] extends [never]
      ? unknown
      : {
          mismatchedOptionKeys:
            | Exclude<keyof Options, keyof Defaults | Extra[number]>
            | Exclude<keyof Defaults | Extra[number], keyof Options>;
        }),
) => ReadonlySet<string> {
  return (defaults: object, extra: readonly string[]) =>
    new Set([...Object.keys(defaults), ...extra]);
}

/**
 * Throws a {@link SessionConfigError} when `options` has a key outside
 * `knownKeys`, naming the key and `factoryName`, with the peer library's
 * equivalent or the known key it is a typo of. Keys whose value is
 * `undefined` count. `undefined` options pass; `options` is only read.
 */
export function checkOptionKeys(
  options: unknown,
  knownKeys: ReadonlySet<string> | readonly string[],
  factoryName: string,
  context: OptionKeysContext = {},
): void {
  if (options === undefined) return;
  const where = context.path === undefined ? 'the options' : `option "${context.path}"`;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new SessionConfigError(
      `${factoryName}: ${where} must be an object, got ${describe(options)}.`,
    );
  }
  if (typeof (options as { use?: unknown }).use === 'function') {
    throw new SessionConfigError(
      `${factoryName}: ${where} must be a plain options object, got an object with a use() method (an app?). ` +
        'Pass options such as { store }, and mount the middleware with app.use().',
    );
  }
  const known: ReadonlySet<string> = 'has' in knownKeys ? knownKeys : new Set(knownKeys);
  for (const key of Object.keys(options)) {
    if (!known.has(key)) {
      throw new SessionConfigError(unknownOptionMessage(key, known, factoryName, context));
    }
  }
}

function unknownOptionMessage(
  key: string,
  known: ReadonlySet<string>,
  factoryName: string,
  context: OptionKeysContext,
): string {
  const qualify = (name: string) => (context.path === undefined ? name : `${context.path}.${name}`);
  const unknown = `${factoryName}: unknown option "${qualify(key)}"`;
  const peerHint = context.scope === undefined ? undefined : findHint(context.scope, key);
  if (peerHint !== undefined) return `${unknown}. ${peerHint}`;
  const suggestion = closestKey(key, known);
  if (suggestion !== undefined) return `${unknown}; did you mean ${qualify(suggestion)}?`;
  if (known.size === 0) return `${unknown}; it takes no options.`;
  return `${unknown}. Known options: ${[...known].join(', ')}.`;
}

/** The hint for `key` in `scope`, matched exactly, else ignoring case (`saveuninitialized`). */
function findHint(scope: OptionHintScope, key: string): string | undefined {
  const hints = PEER_OPTION_HINTS[scope];
  if (Object.hasOwn(hints, key)) return hints[key]!.message;
  const lower = key.toLowerCase();
  const match = Object.keys(hints).find((name) => name.toLowerCase() === lower);
  return match === undefined ? undefined : hints[match]!.message;
}

/** The known key `key` is most likely a typo of: a small edit distance, case ignored. */
function closestKey(key: string, known: ReadonlySet<string>): string | undefined {
  const lower = key.toLowerCase();
  const allowed = Math.min(3, Math.max(1, Math.floor(key.length / 4)));
  let best: string | undefined;
  let bestDistance = allowed + 1;
  for (const candidate of known) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance && distance < candidate.length / 2) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Damerau–Levenshtein distance (optimal string alignment): a swap of neighbours counts once. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let distance = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        distance = Math.min(distance, rows[i - 2]![j - 2]! + 1);
      }
      row.push(distance);
    }
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}
