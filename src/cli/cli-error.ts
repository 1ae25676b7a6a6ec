/**
 * An expected failure of a CLI run: its message is printed as is (no stack
 * trace) and the run ends with its exit code.
 * @module
 */

/** Exit code of a run that failed on the user's input or configuration. */
export const EXIT_USAGE = 2;
/** Exit code of a run that failed on the data or the store. */
export const EXIT_FAILURE = 1;

/** A failure to report as one message and an exit code. */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(exitCode: number, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

/** The message of anything thrown, without its stack. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
