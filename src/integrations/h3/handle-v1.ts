import type { SessionManager } from '../../core/index.js';
import { setEventSession } from './event-session.js';
import type { H3EventV1Like } from './h3-event.js';

type NodeAdapter = typeof import('../../adapters/node/index.js');
let nodeAdapter: Promise<NodeAdapter> | undefined;

/**
 * The h3 v1 handler: h3 v1 has no onion middleware, and `sendRedirect()`,
 * `sendNoContent()` or a handler writing to `event.node.res` end the response
 * without passing `onBeforeResponse`. So the session is held on the Node
 * response itself, as Tessera's node:http adapter does: `res.end()` waits for
 * the save, `Set-Cookie` joins the head, a streamed body carries the cookie
 * decided when it starts. Answers `undefined` (h3 goes on to the next
 * handler), or `null` after a 503 (store outage) was sent, which ends the chain.
 */
export async function handleV1(
  manager: SessionManager,
  event: H3EventV1Like,
): Promise<null | undefined> {
  // Loaded on first use, so the h3 v2 path (Workers, Deno, Bun) never imports node:http.
  nodeAdapter ??= import('../../adapters/node/index.js');
  const { openRequestSession } = await nodeAdapter;
  const session = await openRequestSession(manager, event.node.req, event.node.res);
  if (session === undefined) return null;
  setEventSession(event, session);
  return undefined;
}
