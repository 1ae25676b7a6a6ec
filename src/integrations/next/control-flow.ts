/**
 * Whether `error` is one of Next.js's control-flow throws rather than a
 * failure: `redirect()` / `permanentRedirect()` (digest `NEXT_REDIRECT;…`) or
 * `notFound()` / `forbidden()` / `unauthorized()` (digest
 * `NEXT_HTTP_ERROR_FALLBACK;…`). The session is saved before such a throw goes
 * on; after any other error nothing is saved, as after a 5xx.
 */
export function isNextControlFlowError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const digest = (error as { digest?: unknown }).digest;
  return (
    typeof digest === 'string' &&
    (digest.startsWith('NEXT_REDIRECT') ||
      digest.startsWith('NEXT_HTTP_ERROR_FALLBACK;') ||
      digest === 'NEXT_NOT_FOUND')
  );
}
