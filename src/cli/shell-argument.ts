/**
 * Arguments written back as a command to copy into a POSIX shell (the
 * `Next page:` line of `tessera-session list`).
 * @module
 */

/** `value` as one shell word: as is when it holds only safe characters, else single-quoted. */
export function quoteShellArgument(value: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
