/**
 * `/comment`: a visitor may comment once; the session remembers that they did.
 *
 * @module
 */
import { type Request, type Response, Router } from 'express';
import { getSession } from '../../../src/adapters/express/index.js';
import { type CsrfSession, csrfField } from '../csrf-field.js';
import { formField } from '../form.js';
import { html } from '../html.js';
import { sendPage } from '../layout.js';
import type { DemoSessionData } from '../session-data.js';

/** The longest comment accepted. */
export const MAX_COMMENT_LENGTH = 2000;

function commentForm(session: CsrfSession) {
  return html`
<form method="post" action="/comment" class="card">
  ${csrfField(session)}
  <label>Your comment <textarea name="comment" rows="4" maxlength="${MAX_COMMENT_LENGTH}"></textarea></label>
  <button type="submit">Post comment</button>
</form>`;
}

export function commentRouter(): Router {
  const router = Router();

  router.get('/comment', (req: Request, res: Response) => {
    const session = getSession<DemoSessionData>(req);
    sendPage(res, { title: 'Comment', path: '/comment', body: commentForm(session) });
  });

  router.post('/comment', (req: Request, res: Response) => {
    const session = getSession<DemoSessionData>(req);
    if (session.get('has_commented')) {
      sendPage(res, {
        title: 'Comment',
        path: '/comment',
        body: html`<p class="card" id="result">You've already commented.</p>`,
      });
      return;
    }
    const comment = (formField(req, 'comment') ?? '').slice(0, MAX_COMMENT_LENGTH);
    session.set('has_commented', true);
    sendPage(res, {
      title: 'Comment',
      path: '/comment',
      body: html`
<p class="card" id="result">Thanks for your comment!</p>
${comment.trim() === '' ? '' : html`<blockquote id="comment">${comment}</blockquote>`}`,
    });
  });

  return router;
}
