import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textById } from '../helpers/html-query.js';
import { type RunningDemo, startDemoApp } from '../helpers/start-demo-app.js';
import { postForm } from './forms.js';

let demo: RunningDemo;
beforeAll(async () => {
  demo = await startDemoApp({ store: 'memory' });
});
afterAll(() => demo.close());

describe('GET /comment', () => {
  it('shows a form to post a comment', async () => {
    const response = await demo.client().get('/comment');
    expect(response.status).toBe(200);
    expect(response.text).toMatch(/<form method="post" action="\/comment"/);
    expect(response.text).toContain('name="comment"');
  });
});

describe('POST /comment', () => {
  it('thanks for the first comment and refuses every later one', async () => {
    const client = demo.client();
    expect(
      textById((await postForm(client, '/comment', { comment: 'Nice!' })).text, 'result'),
    ).toBe('Thanks for your comment!');
    expect(
      textById((await postForm(client, '/comment', { comment: 'Again' })).text, 'result'),
    ).toBe("You've already commented.");
    expect(
      textById((await postForm(client, '/comment', { comment: 'And again' })).text, 'result'),
    ).toBe("You've already commented.");
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
