import type { IncomingMessage, RequestListener } from 'node:http';
import {
  checkCsrfRequest,
  checkFetchMetadataRequest,
  createSessionHandler,
  sendCsrfFailure,
  sendFetchMetadataFailure,
} from '../../../src/adapters/node/index.js';
import { listen } from '../../helpers/listen.js';
import { sendNodeReply } from './node-response.js';
import { runRoute } from './routes.js';
import type { TinyApp } from './tiny-app.js';

export const nodeApp: TinyApp = {
  name: 'node:http',
  nodeResponse: true,
  async start(options, features = {}) {
    const withSession = createSessionHandler(options);
    const handler = withSession(async (req, res, session) => {
      if (features.fetchMetadata && !checkFetchMetadataRequest(req)) {
        sendFetchMetadataFailure(res);
        return;
      }
      if (features.csrf) {
        const form = await readForm(req);
        if (!checkCsrfRequest(req, session, form?.get('_csrf') ?? undefined)) {
          sendCsrfFailure(res);
          return;
        }
      }
      sendNodeReply(res, await runRoute(session, req.url ?? '/'));
    });
    const server = await listen(handler as RequestListener);
    return { ...server, manager: withSession.manager };
  },
};

/** A urlencoded body, parsed as a hand-written node:http app would; `undefined` for other bodies. */
async function readForm(req: IncomingMessage): Promise<URLSearchParams | undefined> {
  if (!/^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? '')) {
    return undefined;
  }
  let body = '';
  for await (const chunk of req) body += String(chunk);
  return new URLSearchParams(body);
}
