// Types `event.locals.session` in hooks, loads, form actions and endpoints.
import type { SessionLocals } from 'tessera-session/sveltekit';
import type { ExampleSessionData } from '#lib/session-data.ts';

declare global {
  namespace App {
    interface Locals extends SessionLocals<ExampleSessionData> {}
  }
}
