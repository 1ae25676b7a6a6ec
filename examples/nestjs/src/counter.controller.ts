import { Controller, Get, Header } from '@nestjs/common';
import { Session } from 'tessera-session/nestjs';
import { renderPage } from './page.js';
import type { AppSession } from './session-data.js';

@Controller()
export class CounterController {
  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  count(@Session() session: AppSession): string {
    const visits = session.get('visits', 0) + 1;
    session.set('visits', visits);
    return renderPage(
      session,
      'Counter',
      `<p id="visits">You have visited this page ${visits} times.</p>`,
    );
  }
}
