import { getRequestListener } from '@hono/node-server';
import { createMemoryStore } from '../../../src/stores/memory/index.js';
import {
  checkCsrfRequest,
  createFetchMetadataCheck,
  createSessions,
  csrfFailureResponse,
  type Session,
} from '../../../src/web/index.js';
import { listen } from '../../helpers/listen.js';
import { type Reply, runRoute } from './routes.js';
import type { TinyApp } from './tiny-app.js';

/** A reply as a Web `Response`. */
function toResponse(reply: Reply): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(reply.headers ?? {})) {
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  return new Response(reply.body ?? '', { status: reply.status ?? 200, headers });
}

/** The routes as one plain `fetch` handler on tessera-session/web, served by Node. */
export const webApp: TinyApp = {
  name: 'web',
  nodeResponse: false,
  async start(options, features = {}) {
    // The suite's "default store" scenario is Node-only: the Web entry always names its store.
    const sessions = createSessions({ ...options, store: options.store ?? createMemoryStore() });
    const refuseCrossSite = features.fetchMetadata ? createFetchMetadataCheck() : undefined;
    async function handle(request: Request): Promise<Response> {
      const refused = refuseCrossSite?.(request);
      if (refused) return refused;
      let session: Session;
      try {
        session = await sessions.get(request);
      } catch (error) {
        return answerFailure(error);
      }
      if (features.csrf && !(await checkCsrfRequest(request, session)))
        return csrfFailureResponse();
      let response: Response;
      try {
        response = toResponse(await runRoute(session, request.url));
      } catch (error) {
        // A handler error is a 500: committing with that status saves nothing.
        response =
          sessions.failureResponse(error) ?? new Response('Internal Server Error', { status: 500 });
      }
      try {
        return await sessions.commit(session, response);
      } catch (error) {
        return answerFailure(error);
      }
    }
    function answerFailure(error: unknown): Response {
      const failure = sessions.failureResponse(error);
      if (failure) return failure;
      throw error;
    }
    const server = await listen(getRequestListener(handle));
    return { ...server, manager: sessions.manager };
  },
};
