// Loads each entry point named on the command line with require() and prints
// one JSON line: { "<specifier>": { "exports": [...], "type": typeof value } | { "error": "…" } }.
'use strict';
const result = {};
for (const specifier of process.argv.slice(2)) {
  try {
    const loaded = require(specifier);
    result[specifier] = { exports: Object.keys(loaded), type: typeof loaded };
  } catch (error) {
    result[specifier] = { error: `${error.code ?? ''} ${error.message}`.trim() };
  }
}
process.stdout.write(`${JSON.stringify(result)}\n`);
