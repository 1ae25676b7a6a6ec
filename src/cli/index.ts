#!/usr/bin/env node
/**
 * The `tessera-session` executable: runs {@link runCli} on the process's arguments,
 * streams and environment, and sets the exit code (leaving output to flush).
 * @module
 */

import { runCli } from './run-cli.js';

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
