import type { FastifyReply } from 'fastify';
import { addCookieToVary, type SessionCommitResult } from '../../core/index.js';

type HeaderValue = number | string | string[] | undefined;

/**
 * Adds the session's `Set-Cookie` and `Vary: Cookie` to a reply, keeping the
 * app's own (Fastify appends `set-cookie` values, so `@fastify/cookie`'s
 * cookies stay). A hijacked reply is written through its raw response.
 */
export function applySessionHeaders(reply: FastifyReply, result: SessionCommitResult): void {
  if (reply.sent) {
    applyRawSessionHeaders(reply, result);
    return;
  }
  if (result.setCookie !== undefined) reply.header('set-cookie', result.setCookie);
  if (result.vary) {
    const vary = addCookieToVary(headerText(reply.getHeader('vary')));
    if (vary !== undefined) reply.header('vary', vary);
  }
}

function applyRawSessionHeaders(reply: FastifyReply, result: SessionCommitResult): void {
  const res = reply.raw;
  if (result.setCookie !== undefined) {
    res.setHeader('set-cookie', [...toList(res.getHeader('set-cookie')), result.setCookie]);
  }
  if (result.vary) {
    const vary = addCookieToVary(headerText(res.getHeader('vary')));
    if (vary !== undefined) res.setHeader('vary', vary);
  }
}

function toList(value: HeaderValue): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? [...value] : [String(value)];
}

function headerText(value: HeaderValue): string | undefined {
  return value === undefined ? undefined : toList(value).join(', ');
}
