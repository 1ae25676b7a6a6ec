/**
 * The `tessera-session` command: reads the command line, runs one command and turns
 * its failures into a message and an exit code.
 * @module
 */

import { CliError, EXIT_FAILURE, EXIT_USAGE } from './cli-error.js';
import { runAdmin } from './commands/admin.js';
import { runClearExpired } from './commands/clear-expired.js';
import { runInspect } from './commands/inspect.js';
import { runLegacyCount } from './commands/legacy-count.js';
import { runList } from './commands/list.js';
import { runMigrate } from './commands/migrate.js';
import { runRevoke } from './commands/revoke.js';
import { runStats } from './commands/stats.js';
import type { CliContext, CommandInput } from './context.js';
import { openStoreFromUrl, resolveStoreUrl, withStore } from './open-store.js';
import {
  type CommandLine,
  type CommandOption,
  OPTION_FLAGS,
  parseCommandLine,
} from './parse-command-line.js';
import { USAGE } from './usage.js';
import { readPackageVersion } from './version.js';

export { EXIT_FAILURE, EXIT_USAGE } from './cli-error.js';
export type { CliContext, CliOutput, StoreOpener, StoreOpenMode } from './context.js';

/** What one command takes and how it runs. */
interface CommandSpec {
  /** Its positional arguments: none, exactly one (a session), or at most one. */
  readonly operands: 'none' | 'session' | 'optional session';
  /** The options it takes beside `--store`. */
  readonly options: readonly CommandOption[];
  run(operands: readonly string[], input: CommandInput): Promise<number>;
}

const COMMANDS: Readonly<Record<string, CommandSpec>> = Object.freeze({
  admin: { operands: 'none', options: ['port', 'host'], run: (_, input) => runAdmin(input) },
  'clear-expired': { operands: 'none', options: [], run: (_, input) => runClearExpired(input) },
  inspect: {
    operands: 'session',
    options: ['json'],
    run: (operands, input) => runInspect(operands[0]!, input),
  },
  'legacy-count': {
    operands: 'none',
    options: ['json'],
    run: (_, input) => runLegacyCount(input),
  },
  list: {
    operands: 'none',
    options: ['json', 'user', 'limit', 'showData', 'order', 'cursor', 'count', 'paged'],
    run: (_, input) => runList(input),
  },
  migrate: { operands: 'none', options: [], run: (_, input) => runMigrate(input) },
  revoke: {
    operands: 'optional session',
    options: ['user', 'dryRun'],
    run: (operands, input) => runRevoke(operands[0], input),
  },
  stats: { operands: 'none', options: ['json'], run: (_, input) => runStats(input) },
});

/**
 * Runs `tessera-session` with `args` (the arguments after the program name) and
 * answers the exit code: 0 done; 1 the store failed (cannot be opened or
 * reached, refused the credentials, lacks its database, directory or table),
 * or `inspect` found no live session; 2 bad command line or store URL.
 * Writes only through `context`; never exits the process and never rejects.
 */
export async function runCli(args: readonly string[], context: CliContext): Promise<number> {
  try {
    const commandLine = parseCommandLine(args);
    if (commandLine.help || commandLine.command === 'help') {
      context.stdout.write(USAGE);
      return 0;
    }
    if (commandLine.version) {
      context.stdout.write(`${readPackageVersion()}\n`);
      return 0;
    }
    return await runCommand(commandLine, context);
  } catch (error) {
    if (error instanceof CliError) {
      context.stderr.write(`${error.message}\n`);
      return error.exitCode;
    }
    // A bug, not a user's or a store's failure: the stack is worth having.
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    context.stderr.write(`Unexpected error in tessera: ${detail}\n`);
    return EXIT_FAILURE;
  }
}

async function runCommand(commandLine: CommandLine, context: CliContext): Promise<number> {
  const { command, operands } = commandLine;
  if (command === undefined) throw new CliError(EXIT_USAGE, `No command given.\n\n${USAGE}`);
  const spec = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (spec === undefined) {
    throw new CliError(EXIT_USAGE, `Unknown command ${JSON.stringify(command)}.\n\n${USAGE}`);
  }
  checkOptions(command, spec, commandLine);
  checkOperands(command, spec, operands);
  const storeUrl = resolveStoreUrl(commandLine.store, context.env);
  const open = context.openStore ?? openStoreFromUrl;
  return spec.run(operands, {
    stdout: context.stdout,
    stderr: context.stderr,
    commandLine,
    storeUrl,
    useStore: (work, mode) => withStore(storeUrl, open, work, mode),
  });
}

/** Refuses an option the command does not take, before anything is opened. */
function checkOptions(command: string, spec: CommandSpec, commandLine: CommandLine): void {
  const given: Record<CommandOption, boolean> = {
    json: commandLine.json,
    user: commandLine.user !== undefined,
    limit: commandLine.limit !== undefined,
    showData: commandLine.showData,
    order: commandLine.order !== undefined,
    cursor: commandLine.cursor !== undefined,
    count: commandLine.count,
    paged: commandLine.paged,
    dryRun: commandLine.dryRun,
    port: commandLine.port !== undefined,
    host: commandLine.host !== undefined,
  };
  for (const option of Object.keys(given) as CommandOption[]) {
    if (!given[option] || spec.options.includes(option)) continue;
    throw new CliError(
      EXIT_USAGE,
      `Option ${OPTION_FLAGS[option]} does not apply to "tessera-session ${command}".\n` +
        'Run "tessera-session --help" for usage.',
    );
  }
}

function checkOperands(command: string, spec: CommandSpec, operands: readonly string[]): void {
  const most = spec.operands === 'none' ? 0 : 1;
  if (spec.operands === 'session' && operands.length === 0) {
    throw new CliError(
      EXIT_USAGE,
      `"tessera-session ${command}" needs a session id or store key.\nRun "tessera-session --help" for usage.`,
    );
  }
  if (operands.length <= most) return;
  throw new CliError(
    EXIT_USAGE,
    `Unexpected argument ${JSON.stringify(operands[most])} for "tessera-session ${command}".\n` +
      'Run "tessera-session --help" for usage.',
  );
}
