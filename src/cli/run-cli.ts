/**
 * The `tessera-session` command: reads the command line, runs one command and turns
 * its failures into a message and an exit code.
 * @module
 */

import { createStoreFromUrl } from '../stores/index.js';
import { CliError, EXIT_FAILURE, EXIT_USAGE } from './cli-error.js';
import { runClearExpired } from './commands/clear-expired.js';
import { runInspect } from './commands/inspect.js';
import { runMigrate } from './commands/migrate.js';
import { runStats } from './commands/stats.js';
import type { CliContext, CommandInput } from './context.js';
import { resolveStoreUrl, withStore } from './open-store.js';
import { type CommandLine, parseCommandLine } from './parse-command-line.js';
import { USAGE } from './usage.js';

export { EXIT_FAILURE, EXIT_USAGE } from './cli-error.js';
export type { CliContext, CliOutput, StoreOpener } from './context.js';

/**
 * Runs `tessera-session` with `args` (the arguments after the program name) and
 * answers the exit code: 0 done, 1 not found or store error, 2 bad command
 * line or store URL. Writes only through `context`; never exits the process
 * and never rejects.
 */
export async function runCli(args: readonly string[], context: CliContext): Promise<number> {
  try {
    const commandLine = parseCommandLine(args);
    if (commandLine.help || commandLine.command === 'help') {
      context.stdout.write(USAGE);
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
  const storeUrl = resolveStoreUrl(commandLine.store, context.env);
  const open = context.openStore ?? createStoreFromUrl;
  const input: CommandInput = {
    stdout: context.stdout,
    stderr: context.stderr,
    storeUrl,
    useStore: (work) => withStore(storeUrl, open, work),
  };
  switch (command) {
    case 'clear-expired':
      expectOperands(command, operands, 0);
      return runClearExpired(input);
    case 'inspect':
      expectOperands(command, operands, 1);
      return runInspect(operands[0]!, input);
    case 'migrate':
      expectOperands(command, operands, 0);
      return runMigrate(input);
    case 'stats':
      expectOperands(command, operands, 0);
      return runStats(input);
    default:
      throw new CliError(EXIT_USAGE, `Unknown command ${JSON.stringify(command)}.\n\n${USAGE}`);
  }
}

function expectOperands(command: string, operands: readonly string[], count: 0 | 1): void {
  if (operands.length === count) return;
  if (operands.length < count) {
    throw new CliError(
      EXIT_USAGE,
      `"tessera-session ${command}" needs a session id.\nRun "tessera-session --help" for usage.`,
    );
  }
  throw new CliError(
    EXIT_USAGE,
    `Unexpected argument ${JSON.stringify(operands[count])} for "tessera-session ${command}".\n` +
      'Run "tessera-session --help" for usage.',
  );
}
