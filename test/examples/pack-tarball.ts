/**
 * Packs this repository once for every example test (vitest globalSetup), as a
 * user's app gets it: `npm run build`, then `npm pack`. `TESSERA_TARBALL`, when
 * set, names a tarball already packed (CI packs once for every check).
 * @module
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

export default function setup(): void {
  const given = process.env.TESSERA_TARBALL;
  if (given !== undefined && given !== '') {
    if (!existsSync(given)) throw new Error(`TESSERA_TARBALL=${given} does not exist`);
    return;
  }
  const destination = path.join(root, 'test-artifacts', 'examples');
  mkdirSync(destination, { recursive: true });
  execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });
  const name = execFileSync(
    'npm',
    ['pack', '--silent', '--ignore-scripts', '--pack-destination', destination],
    { cwd: root, encoding: 'utf8' },
  )
    .trim()
    .split('\n')
    .pop()!;
  process.env.TESSERA_TARBALL = path.join(destination, name);
}
