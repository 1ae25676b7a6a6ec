/**
 * The demo's "not found" page and its error handler.
 *
 * @module
 */
import type { NextFunction, Request, Response } from 'express';
import { html } from './html.js';
import { sendPage } from './layout.js';

/** Answers 404 for every request no route handled. */
export function notFound(req: Request, res: Response): void {
  sendPage(res, {
    status: 404,
    title: 'Not found',
    body: html`<p class="card">There is no page at <code>${req.path}</code>. <a href="/">Home</a></p>`,
  });
}

function statusOf(error: unknown): number {
  if (typeof error === 'object' && error !== null) {
    const { status, statusCode } = error as { status?: unknown; statusCode?: unknown };
    const code = typeof status === 'number' ? status : statusCode;
    if (typeof code === 'number' && Number.isInteger(code) && code >= 400 && code <= 599) {
      return code;
    }
  }
  return 500;
}

/**
 * Renders errors as a page with the error's HTTP status (400 for a malformed
 * body, 503 when the session store is down, …), without leaking details.
 */
export function errorHandler(
  error: unknown,
  _req: Request,
  res: Response,
  next: NextFunction,
): void {
  if (res.headersSent) {
    next(error);
    return;
  }
  const status = statusOf(error);
  if (status >= 500) console.error(error);
  const message =
    status === 503
      ? 'The session store is unavailable. Please try again in a moment.'
      : status >= 500
        ? 'Something went wrong on our side.'
        : 'The request could not be handled.';
  sendPage(res, {
    status,
    title: `Error ${status}`,
    body: html`<p class="error" id="error">${message}</p>`,
  });
}
