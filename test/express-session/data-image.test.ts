/**
 * The session data's image: each key serialised once, and the whole data's
 * JSON built from those pieces equal to what `JSON.stringify` writes for the
 * data without `cookie` (express-session's change hash).
 */

import { describe, expect, it } from 'vitest';
import { imageSessionData, parseImageData } from '../../src/express-session/data-image.js';

describe('imageSessionData', () => {
  const session = {
    user: 'ann',
    cookie: { maxAge: 1000 },
    cart: { items: [1, 2, { sku: 'a"b' }] },
    seen: new Date(0),
    gone: undefined,
    method: () => 1,
    'odd "key"': null,
  };
  const { cookie: _cookie, ...data } = session;

  it('answers the JSON JSON.stringify writes for the data without cookie', () => {
    expect(imageSessionData(session).json).toBe(JSON.stringify(data));
  });

  it("answers each kept key's JSON, in order, leaving out what JSON leaves out", () => {
    expect([...imageSessionData(session).values]).toEqual([
      ['user', '"ann"'],
      ['cart', JSON.stringify(data.cart)],
      ['seen', '"1970-01-01T00:00:00.000Z"'],
      ['odd "key"', 'null'],
    ]);
  });

  it('answers {} for a session without data, and parses back to a detached copy', () => {
    expect(imageSessionData({ cookie: {} }).json).toBe('{}');
    const copy = parseImageData<typeof data>(imageSessionData(session));
    expect(copy).toEqual(JSON.parse(JSON.stringify(data)));
    expect(copy.cart).not.toBe(session.cart);
  });
});
