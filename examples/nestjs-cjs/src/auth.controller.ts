import {
  BadRequestException,
  Body,
  Controller,
  ForbiddenException,
  Get,
  Header,
  Post,
  Redirect,
} from '@nestjs/common';
import { Session, SessionManagerHost, SkipCsrf } from 'tessera-session/nestjs';
import { csrfField, renderPage } from './page';
import type { AppSession } from './session-data';

@Controller()
export class AuthController {
  constructor(private readonly sessions: SessionManagerHost) {}

  /** The login form; it sets the test cookie, checked when the form comes back. */
  @Get('login')
  @Header('Content-Type', 'text/html; charset=utf-8')
  showLogin(@Session() session: AppSession): string {
    session.setTestCookie();
    return renderPage(
      session,
      'Log in',
      `<form method="post" action="/login">
  ${csrfField(session)}
  <label>Username <input name="username" required></label> <button>Log in</button>
</form>`,
    );
  }

  /**
   * Logs in: a new session id (no fixation) and a new CSRF token. No password: a demo.
   * A browser that refuses cookies has no session, so no CSRF token can match: the
   * test cookie is checked first, to tell it "Please enable cookies" rather than the
   * global guard's 403; the CSRF token is checked right after (this check only ever
   * refuses, so running it first lets no forged request through).
   */
  @Post('login')
  @SkipCsrf()
  @Redirect('/', 303)
  login(
    @Session() session: AppSession,
    @Body() form: { username?: unknown; _csrf?: unknown },
  ): void {
    if (!session.testCookieWorked()) {
      throw new BadRequestException('Please enable cookies and try again.');
    }
    if (!session.isValidCsrfToken(form?._csrf)) {
      throw new ForbiddenException('Invalid or missing CSRF token; reload the form and try again.');
    }
    session.deleteTestCookie();
    const username = typeof form?.username === 'string' ? form.username.trim() : '';
    if (!username) throw new BadRequestException('Please enter a username.');
    session.login(username);
    session.flash(`Welcome, ${username}!`);
  }

  /** Logs out: the session is emptied and its id dies in the store. */
  @Post('logout')
  @Redirect('/', 303)
  logout(@Session() session: AppSession): void {
    session.logout();
  }

  /** Ends the user's other sessions (their cookies stop working at once), keeping this one. */
  @Post('logout/others')
  @Redirect('/', 303)
  async logoutOthers(@Session() session: AppSession): Promise<void> {
    const userId = session.userId;
    if (userId === null) return;
    const ended = await this.sessions.manager.destroyUserSessions(userId, { except: session });
    session.flash(`Logged out ${ended} other session(s).`);
  }
}
