import adapter from '@sveltejs/adapter-node';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [
    sveltekit({
      // `node build` serves the app; PORT and HOST choose where it listens.
      adapter: adapter(),
      // SvelteKit's own CSRF protection stays on (csrf.trustedOrigins: []):
      // cross-origin form posts are refused (403) before the hooks run.
      // Tessera's tokens are checked in the form actions (src/lib/server/csrf.ts).
    }),
  ],
});
