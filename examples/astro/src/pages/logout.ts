import type { APIRoute } from 'astro';

/**
 * Logs out (the CSRF middleware has checked the token): the data, the stored
 * record and the cookie are gone, so a copied cookie replayed afterwards gets
 * a fresh, empty session.
 */
export const POST: APIRoute = ({ locals, redirect }) => {
  locals.session.logout();
  return redirect('/', 303);
};
