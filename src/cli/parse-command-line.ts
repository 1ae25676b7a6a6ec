/**
 * Reads the command line with `node:util`'s `parseArgs`: one command, its
 * positional arguments and options, in any order.
 * @module
 */

import { parseArgs } from 'node:util';
import { isValidSessionId } from '../core/index.js';
import { CliError, EXIT_USAGE, errorMessage } from './cli-error.js';

/** The command line, read. */
export interface CommandLine {
  /** The first positional argument, e.g. `"stats"`; `undefined` when there is none. */
  command: string | undefined;
  /** The positional arguments after the command. */
  operands: string[];
  /** `--store`, when given. */
  store: string | undefined;
  /** `--help` or `-h` was given. */
  help: boolean;
  /** `--version` was given. */
  version: boolean;
  /** `--json` was given. */
  json: boolean;
  /** `--user`, when given. */
  user: string | undefined;
  /** `--limit`, as written, when given. */
  limit: string | undefined;
  /** `--show-data` was given. */
  showData: boolean;
  /** `--order`, as written, when given. */
  order: string | undefined;
  /** `--cursor`, when given. */
  cursor: string | undefined;
  /** `--count` was given. */
  count: boolean;
  /** `--paged` was given. */
  paged: boolean;
  /** `--dry-run` was given. */
  dryRun: boolean;
  /** `--port`, as written, when given. */
  port: string | undefined;
  /** `--host`, when given. */
  host: string | undefined;
}

/** The options a command may take, beside `--store`, `--help` and `--version`. */
export type CommandOption =
  | 'json'
  | 'user'
  | 'limit'
  | 'showData'
  | 'order'
  | 'cursor'
  | 'count'
  | 'paged'
  | 'dryRun'
  | 'port'
  | 'host';

/** How each option is spelled on the command line. */
export const OPTION_FLAGS: Readonly<Record<CommandOption, string>> = Object.freeze({
  json: '--json',
  user: '--user',
  limit: '--limit',
  showData: '--show-data',
  order: '--order',
  cursor: '--cursor',
  count: '--count',
  paged: '--paged',
  dryRun: '--dry-run',
  port: '--port',
  host: '--host',
});

const OPTIONS = {
  store: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
  json: { type: 'boolean' },
  user: { type: 'string' },
  limit: { type: 'string' },
  'show-data': { type: 'boolean' },
  order: { type: 'string' },
  cursor: { type: 'string' },
  count: { type: 'boolean' },
  paged: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  port: { type: 'string' },
  host: { type: 'string' },
} as const;

/** Options followed by a value: that value is never an option, even when it starts with "-". */
const VALUED = new Set(
  Object.entries(OPTIONS)
    .filter(([, option]) => option.type === 'string')
    .map(([name]) => `--${name}`),
);

/** Reads `args`; an unknown option or a missing value throws a {@link CliError} with exit code 2. */
export function parseCommandLine(args: readonly string[]): CommandLine {
  // One id in 64 starts with "-": take such an argument as the id it is, not as options.
  const ids = new Map<string, string>();
  const prepared = args.map((arg, index) => {
    if (!arg.startsWith('-') || !isValidSessionId(arg) || VALUED.has(args[index - 1] ?? '')) {
      return arg;
    }
    if (args.slice(0, index).includes('--')) return arg;
    const placeholder = `\0id${ids.size}`;
    ids.set(placeholder, arg);
    return placeholder;
  });
  let parsed: ReturnType<
    typeof parseArgs<{ args: string[]; options: typeof OPTIONS; allowPositionals: true }>
  >;
  try {
    parsed = parseArgs({ args: prepared, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new CliError(
      EXIT_USAGE,
      `${describeParseError(error)}\nRun "tessera-session --help" for usage.`,
    );
  }
  const [command, ...operands] = parsed.positionals.map((value) => ids.get(value) ?? value);
  const { values } = parsed;
  return {
    command,
    operands,
    store: values.store,
    help: values.help === true,
    version: values.version === true,
    json: values.json === true,
    user: values.user,
    limit: values.limit,
    showData: values['show-data'] === true,
    order: values.order,
    cursor: values.cursor,
    count: values.count === true,
    paged: values.paged === true,
    dryRun: values['dry-run'] === true,
    port: values.port,
    host: values.host,
  };
}

/** parseArgs' message, without its advice on "--" for an unknown option (the usage covers ids). */
function describeParseError(error: unknown): string {
  const message = errorMessage(error);
  if ((error as { code?: unknown }).code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return message;
  const option = /'([^']*)'/.exec(message)?.[1];
  return option === undefined ? message : `Unknown option ${JSON.stringify(option)}.`;
}
