// `Astro.locals.session` and `context.locals.session`, typed: the session the
// Tessera middleware puts there, holding AppSessionData.
declare namespace App {
  interface Locals {
    session: import('tessera-session/astro').Session<import('./session').AppSessionData>;
  }
}
