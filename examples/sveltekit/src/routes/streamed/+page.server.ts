import type { PageServerLoad } from './$types';

// A load that streams: `summary` is sent after the page's first bytes. It may
// read the session; a change made there would come too late to be saved (the
// response's headers, and its Set-Cookie, are already gone).
export const load: PageServerLoad = ({ locals }) => {
  const session = locals.session;
  const summary = new Promise<string>((resolve) => setTimeout(resolve, 50)).then(
    () => `Streamed: ${session.get('cart', []).length} items, ${session.get('visits', 0)} visits`,
  );
  return { user: session.get('user') ?? 'anonymous', summary };
};
