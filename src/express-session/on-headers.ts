/**
 * Running code just before a response's headers go out.
 * @module
 */

import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

/**
 * Calls `listener` once, right before `res` writes its headers (explicitly
 * with `writeHead()` or implicitly on the first write), so it can still set
 * headers. Headers passed to `writeHead()` are applied first, so the listener
 * sees them and its own `Set-Cookie` is not replaced by them.
 */
export function onHeaders(res: ServerResponse, listener: () => void): void {
  const writeHead = res.writeHead;
  let fired = false;
  res.writeHead = function patchedWriteHead(
    this: ServerResponse,
    statusCode: number,
    ...rest: unknown[]
  ): ServerResponse {
    if (fired)
      return (writeHead as (...args: unknown[]) => ServerResponse).call(this, statusCode, ...rest);
    fired = true;
    let reason: string | undefined;
    let headers: unknown = rest[0];
    if (typeof headers === 'string') {
      reason = headers;
      headers = rest[1];
    }
    this.statusCode = statusCode;
    if (reason !== undefined) this.statusMessage = reason;
    applyHeaders(this, headers);
    listener();
    return (writeHead as (...args: unknown[]) => ServerResponse).call(
      this,
      this.statusCode,
      ...(this.statusMessage ? [this.statusMessage] : []),
    );
  } as ServerResponse['writeHead'];
}

function applyHeaders(res: ServerResponse, headers: unknown): void {
  if (Array.isArray(headers)) {
    // Raw form: [name, value, name, value, …] or [[name, value], …].
    if (Array.isArray(headers[0])) {
      for (const [name, value] of headers as [string, string][]) res.setHeader(name, value);
    } else {
      for (let i = 0; i + 1 < headers.length; i += 2) {
        res.setHeader(String(headers[i]), headers[i + 1] as string);
      }
    }
    return;
  }
  if (typeof headers === 'object' && headers !== null) {
    for (const [name, value] of Object.entries(headers as OutgoingHttpHeaders)) {
      if (value !== undefined) res.setHeader(name, value);
    }
  }
}
