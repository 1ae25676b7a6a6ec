// Tessera's express-session drop-in (TESSERA_DIR) with its default MemoryStore
// (express-session's callback store, JSON text per session).
import { startDropIn } from './_tessera-dropin.mjs';

export const meta = {
  framework: 'express',
  baseline: false,
  session: true,
  packages: ['express'],
  requires: ['tessera'],
  description:
    'tessera-session/express-session (TESSERA_DIR), its default MemoryStore, resave:false, saveUninitialized:false',
};

export function start(port) {
  return startDropIn(port, undefined);
}
