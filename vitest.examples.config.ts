import { defineConfig } from 'vitest/config';

// The example apps (examples/<framework>/) on their frameworks' production builds:
// `npm run test:examples`. Each file prepares its app (install, build) in
// beforeAll, so files run one at a time: two framework builds at once only
// slow each other down.
export default defineConfig({
  test: {
    include: ['test/examples/**/*.test.ts'],
    globalSetup: ['test/examples/pack-tarball.ts'],
    testTimeout: 60_000,
    hookTimeout: 900_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
