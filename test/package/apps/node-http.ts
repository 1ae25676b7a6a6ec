import { createServer } from 'node:http';
import { DEFAULT_COOKIE_OPTIONS } from 'tessera-session';
import { createSessionHandler } from 'tessera-session/node';
import { createStoreFromUrl } from 'tessera-session/stores';
import { listen, type RunningApp } from './listen.js';

export async function startNodeHttp(): Promise<RunningApp> {
  const withSession = createSessionHandler({
    store: await createStoreFromUrl('memory:'),
    cookie: { name: DEFAULT_COOKIE_OPTIONS.name },
  });
  const handler = withSession<{ count: number }>((_req, res, session) => {
    const count = session.get('count', 0) + 1;
    session.set('count', count);
    res.setHeader('Content-Type', 'text/plain');
    res.end(`count=${count}`);
  });
  return listen(createServer(handler), () => withSession.close());
}
