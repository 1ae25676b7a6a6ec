import { error, type RequestEvent } from '@sveltejs/kit';
import { checkCsrfEvent } from 'tessera-session/sveltekit';

/**
 * The posted form, once its `_csrf` field (or `X-CSRF-Token` header) holds
 * the session's token; otherwise a 403 and the action does nothing.
 */
export async function readCheckedForm(event: RequestEvent): Promise<FormData> {
  const form = await event.request.formData();
  if (!(await checkCsrfEvent(event, form))) {
    error(403, 'Invalid or missing CSRF token; reload the form and try again.');
  }
  return form;
}
