/**
 * `/comment`: a visitor may comment once; the session remembers that they did
 * (`has_commented`, as in Django's "How to use sessions"), so the page shows
 * their comment instead of the form, and a second post is refused.
 *
 * @module
 */
import { type Request, type Response, Router } from 'express';
import { getSession } from '../../../src/adapters/express/index.js';
import { type CsrfSession, csrfField } from '../csrf-field.js';
import { formField } from '../form.js';
import { html, type SafeHtml } from '../html.js';
import { sendPage } from '../layout.js';
import type { DemoSessionData } from '../session-data.js';

/** The longest comment accepted. */
export const MAX_COMMENT_LENGTH = 2000;

function commentForm(session: CsrfSession): SafeHtml {
  return html`
<form method="post" action="/comment" class="card">
  ${csrfField(session)}
  <label>Your comment <textarea name="comment" rows="4" maxlength="${MAX_COMMENT_LENGTH}"></textarea></label>
  <button type="submit">Post comment</button>
</form>
<p class="muted">Each visitor may comment once.</p>`;
}

/**
 * `message` (`<p>` with this id) above the visitor's comment, if it had any
 * text, and what happens next.
 */
function postedComment(id: string, message: string, comment: string | undefined): SafeHtml {
  return html`
<div class="card">
  <p id="${id}">${message}</p>
  ${comment ? html`<blockquote id="comment">${comment}</blockquote>` : ''}
</div>
<p class="muted" id="comment-once">Each visitor may comment once: your session remembers that you did
(<code>has_commented</code>), so another comment gets “You've already commented.”
<a href="/counter/flush">Flushing the session</a> forgets it.</p>`;
}

export function commentRouter(): Router {
  const router = Router();

  router.get('/comment', (req: Request, res: Response) => {
    const session = getSession<DemoSessionData>(req);
    const body = session.get('has_commented')
      ? postedComment('already-commented', "You've commented. Thanks!", session.get('comment'))
      : commentForm(session);
    sendPage(res, { title: 'Comment', path: '/comment', body });
  });

  router.post('/comment', (req: Request, res: Response) => {
    const session = getSession<DemoSessionData>(req);
    if (session.get('has_commented')) {
      sendPage(res, {
        title: 'Comment',
        path: '/comment',
        body: postedComment('result', "You've already commented.", session.get('comment')),
      });
      return;
    }
    const comment = (formField(req, 'comment') ?? '').slice(0, MAX_COMMENT_LENGTH);
    session.set('has_commented', true);
    if (comment.trim() !== '') session.set('comment', comment);
    sendPage(res, {
      title: 'Comment',
      path: '/comment',
      body: postedComment('result', 'Thanks for your comment!', session.get('comment')),
    });
  });

  return router;
}
