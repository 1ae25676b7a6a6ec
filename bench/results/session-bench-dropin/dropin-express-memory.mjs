// Tessera's express-session drop-in (TESSERA_DIR) on Tessera's memory store.
import { importTessera } from '../lib/tessera.mjs';
import { startDropIn } from './_tessera-dropin.mjs';

export const meta = {
  framework: 'express',
  baseline: false,
  session: true,
  packages: ['express'],
  requires: ['tessera'],
  description:
    'tessera-session/express-session (TESSERA_DIR), createMemoryStore(), resave:false, saveUninitialized:false',
};

export async function start(port) {
  const { createMemoryStore } = await importTessera('stores/memory');
  return startDropIn(port, createMemoryStore());
}
