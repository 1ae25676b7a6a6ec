import type { LayoutServerLoad } from './$types';

// Reading the session costs nothing without a session cookie (no store I/O).
export const load: LayoutServerLoad = ({ locals }) => {
  const user = locals.session.get('user') ?? null;
  return { user, logoutToken: user === null ? null : locals.session.csrfToken() };
};
