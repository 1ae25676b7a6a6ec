// @ts-check
import node from '@astrojs/node';
import { defineConfig } from 'astro/config';

// Every page renders on demand (the session is per request), served by the
// Node adapter's own server: `astro build`, then `node ./dist/server/entry.mjs`
// (HOST and PORT from the environment).
export default defineConfig({
  output: 'server',
  adapter: node({ mode: 'standalone' }),
  vite: {
    // Only for this example's `file:../..` link to the repository: Vite bundles
    // linked packages, and the bundle would import `cookie` from here (Astro's
    // cookie 2) instead of Tessera's. Installed from npm, tessera-session is
    // left external anyway.
    ssr: { external: ['tessera-session'] },
  },
});
