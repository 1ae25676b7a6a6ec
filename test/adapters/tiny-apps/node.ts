import type { RequestListener } from 'node:http';
import { createSessionHandler } from '../../../src/adapters/node/index.js';
import { listen } from '../../helpers/listen.js';
import { sendNodeReply } from './node-response.js';
import { runRoute } from './routes.js';
import type { TinyApp } from './tiny-app.js';

export const nodeApp: TinyApp = {
  name: 'node:http',
  nodeResponse: true,
  async start(options) {
    const withSession = createSessionHandler(options);
    const handler = withSession(async (req, res, session) =>
      sendNodeReply(res, await runRoute(session, req.url ?? '/')),
    );
    const server = await listen(handler as RequestListener);
    return { ...server, manager: withSession.manager };
  },
};
