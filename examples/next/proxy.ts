import { type NextRequest, NextResponse } from 'next/server';
import { FLASH_HEADER } from './lib/session-data';
import { sessions } from './lib/sessions';

/**
 * Runs before every page (Node.js runtime) and does what the pages, being
 * Server Components, cannot: change the session and set its cookie.
 * - keeps anonymous visitors out of /account (reads the session);
 * - creates the CSRF token the page's forms need, from the first visit on;
 * - sets the test cookie on the login form (checked when it is posted);
 * - pops the flash messages and hands them to the page in a request header.
 */
export async function proxy(request: NextRequest) {
  return sessions.proxy(request, (session) => {
    const { pathname } = request.nextUrl;
    if (pathname === '/account' && session.userId === null) {
      return NextResponse.redirect(new URL('/login', request.url), 303);
    }
    const forwarded = new Headers(request.headers);
    forwarded.delete(FLASH_HEADER); // only this proxy sets it
    // Server Actions are POSTs to the page: leave their session to the action.
    const isPageView = request.method === 'GET' && !request.headers.has('next-router-prefetch');
    if (isPageView) {
      session.csrfToken();
      if (pathname === '/login') session.setTestCookie();
      const flash = session.popFlash<string>();
      if (flash.length > 0) forwarded.set(FLASH_HEADER, encodeURIComponent(JSON.stringify(flash)));
    }
    return NextResponse.next({ request: { headers: forwarded } });
  });
}

export const config = {
  matcher: ['/', '/cart', '/login', '/account', '/read-only'],
};
