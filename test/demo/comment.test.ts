import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textById } from '../helpers/html-query.js';
import { type RunningDemo, startDemoApp } from '../helpers/start-demo-app.js';
import { csrfTokenOf, postForm } from './forms.js';

const COMMENT_FORM = /<form method="post" action="\/comment"/;

let demo: RunningDemo;
beforeAll(async () => {
  demo = await startDemoApp({ store: 'memory' });
});
afterAll(() => demo.close());

describe('GET /comment', () => {
  it('shows a form to post a comment', async () => {
    const response = await demo.client().get('/comment');
    expect(response.status).toBe(200);
    expect(response.text).toMatch(COMMENT_FORM);
    expect(response.text).toContain('name="comment"');
  });

  it('shows the comment instead of the form once the visitor has commented', async () => {
    const client = demo.client();
    await postForm(client, '/comment', { comment: 'Nice!' });
    const { status, text } = await client.get('/comment');
    expect(status).toBe(200);
    expect(text).not.toMatch(COMMENT_FORM);
    expect(text).not.toContain('name="comment"');
    expect(textById(text, 'already-commented')).toBe("You've commented. Thanks!");
    expect(textById(text, 'comment')).toBe('Nice!');
    expect(textById(text, 'comment-once')).toContain(
      "another comment gets “You've already commented.”",
    );
    expect(text).toContain('href="/counter/flush"');
  });

  it('escapes the comment it shows', async () => {
    const client = demo.client();
    await postForm(client, '/comment', { comment: '<img src=x onerror=alert(1)>' });
    const { text } = await client.get('/comment');
    expect(text).not.toContain('<img');
    expect(textById(text, 'comment')).toBe('<img src=x onerror=alert(1)>');
  });

  it('shows no empty quote for a comment without text', async () => {
    const client = demo.client();
    await postForm(client, '/comment', { comment: '   ' });
    const { text } = await client.get('/comment');
    expect(textById(text, 'already-commented')).toBe("You've commented. Thanks!");
    expect(textById(text, 'comment')).toBeUndefined();
  });

  it('offers the form again once the session is flushed', async () => {
    const client = demo.client();
    await postForm(client, '/comment', { comment: 'Nice!' });
    await client.get('/counter/flush');
    const { text } = await client.get('/comment');
    expect(text).toMatch(COMMENT_FORM);
    expect(textById(text, 'comment')).toBeUndefined();
  });
});

describe('POST /comment', () => {
  it('thanks for the first comment and refuses every later one, keeping the first', async () => {
    const client = demo.client();
    // The form of a second tab, opened before the first comment.
    const secondTab = await csrfTokenOf(client);
    expect(
      textById((await postForm(client, '/comment', { comment: 'Nice!' })).text, 'result'),
    ).toBe('Thanks for your comment!');
    for (const comment of ['Again', 'And again']) {
      const response = await client.post('/comment', { comment, _csrf: secondTab });
      expect(response.status).toBe(200);
      expect(textById(response.text, 'result')).toBe("You've already commented.");
      expect(textById(response.text, 'comment')).toBe('Nice!');
    }
    expect(textById((await client.get('/comment')).text, 'comment')).toBe('Nice!');
  });

  it('lets every visitor comment once', async () => {
    const alice = demo.client();
    const bob = demo.client();
    await postForm(alice, '/comment', { comment: 'first' });
    expect(textById((await postForm(bob, '/comment', { comment: 'second' })).text, 'result')).toBe(
      'Thanks for your comment!',
    );
  });

  it('echoes the comment escaped', async () => {
    const response = await postForm(demo.client(), '/comment', {
      comment: '<script>alert(1)</script>',
    });
    expect(response.text).not.toContain('<script>alert');
    expect(textById(response.text, 'comment')).toBe('<script>alert(1)</script>');
  });
});
