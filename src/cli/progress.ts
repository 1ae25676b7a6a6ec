/**
 * Progress of a long `clear-expired` on stderr: one line redrawn in place on
 * a terminal, one plain line per report otherwise.
 * @module
 */

import type { CliOutput } from './context.js';

/** Receives running totals; `finish` tidies the terminal line. */
export interface ProgressReporter {
  report(removed: number): void;
  finish(): void;
}

/**
 * Reports totals one step late: a report is shown only once a later one
 * arrives, so a run done in a single batch (the usual cron run) prints nothing
 * on stderr, and the final total is left to the summary line.
 */
export function createProgressReporter(stderr: CliOutput): ProgressReporter {
  let pending: number | undefined;
  let redrawn = false;
  return {
    report(removed) {
      if (pending !== undefined) {
        if (stderr.isTTY === true) {
          stderr.write(`\rRemoved ${pending}…`);
          redrawn = true;
        } else {
          stderr.write(`Removed ${pending}…\n`);
        }
      }
      pending = removed;
    },
    finish() {
      if (redrawn) stderr.write('\r\x1b[K');
      redrawn = false;
      pending = undefined;
    },
  };
}
