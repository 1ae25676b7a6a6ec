// Loads each entry point named on the command line with import() and prints
// one JSON line: { "<specifier>": { "exports": [...] } | { "error": "…" } }.
const result = {};
for (const specifier of process.argv.slice(2)) {
  try {
    result[specifier] = { exports: Object.keys(await import(specifier)) };
  } catch (error) {
    result[specifier] = { error: `${error.code ?? ''} ${error.message}`.trim() };
  }
}
process.stdout.write(`${JSON.stringify(result)}\n`);
