import {
  CSRF_FAILURE,
  CSRF_FIELD,
  CSRF_HEADER,
  checkCsrf,
  isSafeMethod,
  type Session,
} from '../core/index.js';
import type { RequestLike } from './request-info.js';

const FORM_TYPES = /^\s*(application\/x-www-form-urlencoded|multipart\/form-data)\s*(;|$)/i;

/** A request as {@link checkCsrfRequest} reads it. */
export interface CsrfCheckedRequest extends RequestLike {
  readonly method: string;
  /** Read from a clone, so the handler can still read the body. */
  clone?(): {
    /** The body as a form. */
    formData(): Promise<FormData>;
  };
}

/**
 * The CSRF check for a Web request: `true` for a safe method (GET, HEAD,
 * OPTIONS, TRACE), otherwise only when the `X-CSRF-Token` header or the
 * form field `_csrf` holds the session's token (`session.csrfToken()`).
 * The form is `form` when the caller has parsed it, else read from a clone of
 * a form-typed request. Bad input is `false`, never an exception: answer it
 * with {@link csrfFailureResponse}.
 */
export async function checkCsrfRequest(
  request: CsrfCheckedRequest,
  session: Session,
  form?: FormData,
): Promise<boolean> {
  const method = request.method;
  if (isSafeMethod(method)) return true;
  const headerToken = request.headers.get(CSRF_HEADER) ?? undefined;
  if (session.isValidCsrfToken(headerToken)) return true;
  // One checkCsrf() per request, with every candidate: it reports a refusal (issue 13 §1).
  const fields = form ?? (await readForm(request));
  return checkCsrf(
    { method, headerToken, formToken: fields?.get(CSRF_FIELD) ?? undefined },
    session,
  );
}

/** The 403 answer to a failed CSRF check: "Invalid or missing CSRF token; reload the form and try again." */
export function csrfFailureResponse(): Response {
  return new Response(CSRF_FAILURE.body, {
    status: CSRF_FAILURE.status,
    headers: CSRF_FAILURE.headers,
  });
}

async function readForm(request: CsrfCheckedRequest): Promise<FormData | undefined> {
  if (!FORM_TYPES.test(request.headers.get('Content-Type') ?? '') || !request.clone) {
    return undefined;
  }
  try {
    return await request.clone().formData();
  } catch {
    return undefined; // a malformed body is the client's mistake: no token, so 403
  }
}
