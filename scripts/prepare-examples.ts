/**
 * Installs every example app (examples/<name>/ with a package.json, the demo
 * aside) with the packed tarball `TESSERA_TARBALL`, without building: CI runs
 * it in the background while the other checks run, and `npm run test:examples`
 * then finds the installs done.
 *
 *   TESSERA_TARBALL=/tmp/tessera-session-0.1.0.tgz npx tsx scripts/prepare-examples.ts
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { prepareExample } from '../test/examples/harness.js';

const examples = path.resolve(import.meta.dirname, '../examples');
const names = readdirSync(examples).filter(
  (name) => name !== 'demo' && existsSync(path.join(examples, name, 'package.json')),
);
for (const name of names) {
  const started = Date.now();
  await prepareExample(name, { build: false });
  console.log(`${name}: installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}
