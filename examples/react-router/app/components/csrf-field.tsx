/** The hidden field carrying the session's CSRF token, in every form. */
export function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}
