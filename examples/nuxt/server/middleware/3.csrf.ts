// Every POST must carry the session's token (form field _csrf or X-CSRF-Token).
// h3 v1 cannot read a body twice unless h3 reads it: readBody() caches it, so
// the routes read the same form again.
import { checkCsrfEvent, csrfFailureResponse } from 'tessera-session/h3';

export default defineEventHandler(async (event) => {
  if (event.method !== 'POST') return;
  if (!(await checkCsrfEvent(event, await readBody(event)))) return csrfFailureResponse();
});
