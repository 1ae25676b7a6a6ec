/**
 * Compiles the servers (and the library they use) to plain JavaScript with tsc
 * before measuring, so every competitor runs as it would in production: no
 * TypeScript loader in the server process (tsx's esbuild transform adds a
 * `__name()` call to every function it creates, which taxes closure-heavy code).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));
/** Where the compiled bench lives: `bench/.build/` (git-ignored). */
export const BUILD_DIR = join(BENCH_DIR, '.build');

/** The compiled file of a bench module given relative to `bench/`, e.g. `servers/express-bare`. */
export function compiledFile(relative: string): string {
  return join(BUILD_DIR, 'bench', `${relative}.js`);
}

export function compileBench(): void {
  rmSync(BUILD_DIR, { recursive: true, force: true });
  const tsc = join(BENCH_DIR, '..', 'node_modules', 'typescript', 'bin', 'tsc');
  execFileSync(process.execPath, [tsc, '-p', join(BENCH_DIR, 'tsconfig.json')], {
    stdio: 'inherit',
  });
  const modules = join(BUILD_DIR, 'node_modules');
  if (!existsSync(modules)) symlinkSync(join(BENCH_DIR, '..', 'node_modules'), modules, 'dir');
}
