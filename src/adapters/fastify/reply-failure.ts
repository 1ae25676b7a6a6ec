import type { FastifyReply } from 'fastify';
import type { SessionKit } from '../../kit/index.js';

/** The `done` of an `onSend` hook: an error, or the payload to send. */
export type SendDone = (error?: Error | null, payload?: unknown) => void;

/** The load failed (`onRequest`): reports it and answers the failure response there. */
export function failRequest(kit: SessionKit, reply: FastifyReply, error: unknown): void {
  kit.report(error, 'load');
  const failure = kit.describeFailure(error);
  replaceReply(reply, failure.status, failure.headers);
  reply.send(failure.body);
}

/**
 * The save failed (`onSend`): reports it and turns the app's reply into the
 * failure response (status, headers and payload replaced).
 */
export function failReply(
  kit: SessionKit,
  reply: FastifyReply,
  payload: unknown,
  error: unknown,
  done: SendDone,
): void {
  kit.report(error, 'commit');
  discardPayload(payload);
  const failure = kit.describeFailure(error);
  replaceReply(reply, failure.status, failure.headers);
  done(null, failure.body);
}

function replaceReply(
  reply: FastifyReply,
  status: number,
  headers: Readonly<Record<string, string>>,
): void {
  for (const name of Object.keys(reply.getHeaders())) reply.removeHeader(name);
  reply.code(status).headers(headers);
}

/** Releases a streamed payload that will not be sent (an open file, a web stream). */
function discardPayload(payload: unknown): void {
  if (typeof payload !== 'object' || payload === null) return;
  if (typeof (payload as { destroy?: unknown }).destroy === 'function') {
    (payload as { destroy(): void }).destroy();
  } else if (payload instanceof ReadableStream) {
    payload.cancel().catch(ignore);
  } else if (payload instanceof Response) {
    payload.body?.cancel().catch(ignore);
  }
}

function ignore(): void {}
