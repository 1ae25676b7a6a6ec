// The express-session competitors' app (lib/express-session-routes.mjs: the same options,
// the same four routes and the same req.session code) with only the import switched to
// Tessera's drop-in, tessera-session/express-session, from TESSERA_DIR.
import express from 'express';
import { closeServer, listen, SECRET } from '../lib/contract.mjs';
import { importTessera } from '../lib/tessera.mjs';

export async function startDropIn(port, store, onClose) {
  const { default: session } = await importTessera('express-session');
  const app = express();
  app.use(
    session({
      secret: SECRET,
      resave: false,
      saveUninitialized: false,
      ...(store ? { store } : {}), // no store => the drop-in's default MemoryStore
    }),
  );
  app.get('/seed', (req, res) => {
    req.session.counter = 0;
    res.send('ok');
  });
  app.get('/hit', (req, res) => {
    if (typeof req.session.counter !== 'number') return res.status(404).send('no session');
    req.session.counter++;
    res.send(String(req.session.counter));
  });
  app.get('/read', (req, res) => {
    if (typeof req.session.counter !== 'number') return res.status(404).send('no session');
    res.send(String(req.session.counter));
  });
  app.get('/plain', (_req, res) => {
    res.send('plain');
  });
  const server = await listen(app, port);
  return {
    async close() {
      await closeServer(server);
      if (onClose) await onClose();
    },
  };
}
