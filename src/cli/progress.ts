/**
 * Progress of long work (`clear-expired`, `list` on a store that walks its
 * records) on stderr: one line redrawn in place on a terminal, one plain line
 * per report otherwise.
 * @module
 */

import type { CliOutput } from './context.js';

/** Receives running totals; `finish` tidies the terminal line. */
export interface ProgressReporter {
  report(count: number): void;
  finish(): void;
}

/**
 * Reports totals one step late: a report is shown only once a later one
 * arrives, so a run done in a single batch (the usual cron run) prints nothing
 * on stderr, and the final total is left to the summary line. Lines read
 * `<verb> <total>…`, e.g. `Removed 10000…`.
 */
export function createProgressReporter(stderr: CliOutput, verb: string): ProgressReporter {
  let pending: number | undefined;
  let redrawn = false;
  return {
    report(count) {
      if (pending !== undefined) {
        if (stderr.isTTY === true) {
          stderr.write(`\r${verb} ${pending}…`);
          redrawn = true;
        } else {
          stderr.write(`${verb} ${pending}…\n`);
        }
      }
      pending = count;
    },
    finish() {
      if (redrawn) stderr.write('\r\x1b[K');
      redrawn = false;
      pending = undefined;
    },
  };
}
