import { describe, expect, it } from 'vitest';
import { createTestManager, request } from './harness.js';

async function freshSession() {
  const manager = createTestManager();
  return manager.load({ cookie: undefined, secure: false });
}

describe('session.get()', () => {
  it('returns undefined when the key is missing', async () => {
    const session = await freshSession();
    expect(session.get('missing')).toBeUndefined();
  });
  it('returns the default when the key is missing', async () => {
    const session = await freshSession();
    expect(session.get('missing', 42)).toBe(42);
  });
  it('marks the session accessed but not modified', async () => {
    const session = await freshSession();
    session.get('x');
    expect(session.accessed).toBe(true);
    expect(session.modified).toBe(false);
  });
});

describe('session.set()', () => {
  it('stores a value and marks the session modified', async () => {
    const session = await freshSession();
    session.set('fav_color', 'blue');
    expect(session.get('fav_color')).toBe('blue');
    expect(session.modified).toBe(true);
  });
  it.each([
    ['a function', () => 1, /function cannot be stored/],
    ['a symbol', Symbol('s'), /symbol cannot be stored/],
    ['a bigint', 10n, /bigint cannot be stored/],
    ['a Map', new Map(), /Map instance cannot be stored/],
    ['a class instance', new (class Cart {})(), /Cart instance cannot be stored/],
    ['NaN', Number.NaN, /not a finite number/],
    ['undefined', undefined, /use session.delete/],
  ])('refuses %s with an error that names the key', async (_label, value, message) => {
    const session = await freshSession();
    expect(() => session.set('thing', value)).toThrow(message);
    expect(() => session.set('thing', value)).toThrow(/"thing"/);
    expect(session.has('thing')).toBe(false);
  });
  it('refuses a cycle, naming the key and the path', async () => {
    const session = await freshSession();
    const cart: Record<string, unknown> = { items: [] };
    (cart.items as unknown[]).push(cart);
    expect(() => session.set('cart', cart)).toThrow(/"cart".*cart\.items\[0\].*cycle/);
  });
  it('refuses keys starting with "_", which are reserved', async () => {
    const session = await freshSession();
    expect(() => session.set('_private', 1)).toThrow(/reserved/);
  });
});

describe('session.has() / session.delete()', () => {
  it('answers whether a key is present and removes it', async () => {
    const session = await freshSession();
    session.set('a', 1);
    expect(session.has('a')).toBe(true);
    expect(session.delete('a')).toBe(true);
    expect(session.has('a')).toBe(false);
  });
  it('answers false when deleting a missing key and does not mark modified', async () => {
    const session = await freshSession();
    expect(session.delete('nope')).toBe(false);
    expect(session.modified).toBe(false);
  });
});

describe('session.pop()', () => {
  it('removes the key and returns its value', async () => {
    const session = await freshSession();
    session.set('counter', 3);
    expect(session.pop('counter')).toBe(3);
    expect(session.has('counter')).toBe(false);
  });
  it('returns the default when the key is missing', async () => {
    const session = await freshSession();
    expect(session.pop('counter', 0)).toBe(0);
  });
  it('does not mark the session modified when the key was missing', async () => {
    const session = await freshSession();
    session.pop('counter', 0);
    expect(session.modified).toBe(false);
  });
});

describe('session.setDefault()', () => {
  it('inserts and returns the value when absent', async () => {
    const session = await freshSession();
    expect(session.setDefault('cart', { items: [] })).toEqual({ items: [] });
    expect(session.modified).toBe(true);
  });
  it('returns the existing value and leaves the session unmodified when present', async () => {
    const manager = createTestManager();
    const first = await request(manager, undefined, (s) => s.set('n', 1));
    const second = await request(manager, first.cookie, (s) => s.setDefault('n', 5));
    expect(second.result).toBe(1);
    expect(second.setCookie).toBeUndefined();
  });
});

describe('session.update() / keys() / values() / entries() / size / iteration', () => {
  it('behaves like a dict', async () => {
    const session = await freshSession();
    session.update({ a: 1, b: 'two' });
    expect(session.keys()).toEqual(['a', 'b']);
    expect(session.values()).toEqual([1, 'two']);
    expect(session.entries()).toEqual([
      ['a', 1],
      ['b', 'two'],
    ]);
    expect([...session]).toEqual(session.entries());
    expect(session.size).toBe(2);
  });
  it("hides Tessera's reserved keys", async () => {
    const session = await freshSession();
    session.setTestCookie();
    session.flash('hi');
    session.set('visible', true);
    expect(session.keys()).toEqual(['visible']);
    expect(session.size).toBe(1);
  });
});

describe('session.clear() / session.isEmpty', () => {
  it('removes all data', async () => {
    const session = await freshSession();
    session.update({ a: 1, b: 2 });
    session.clear();
    expect(session.isEmpty).toBe(true);
    expect(session.size).toBe(0);
  });
});

describe('session.modified', () => {
  it('can be set to force a save, as in Django', async () => {
    const manager = createTestManager();
    const first = await request(manager, undefined, (s) => s.set('n', 1));
    const second = await request(manager, first.cookie, (s) => {
      s.modified = true;
    });
    expect(second.setCookie).toMatch(/^sessionid=/);
  });
});

describe('session.isNew / session.id / session.createdAt', () => {
  it('is new with no id until saved, then keeps its id', async () => {
    const manager = createTestManager();
    const first = await request(manager, undefined, (s) => {
      expect(s.isNew).toBe(true);
      expect(s.id).toBeUndefined();
      s.set('n', 1);
    });
    expect(first.session.id).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const second = await request(manager, first.cookie, (s) => ({
      isNew: s.isNew,
      id: s.id,
      createdAt: s.createdAt,
    }));
    expect(second.result.isNew).toBe(false);
    expect(second.result.id).toBe(first.session.id);
    expect(second.result.createdAt.getTime()).toBe(first.session.createdAt.getTime());
  });
  it('has a read-only id', async () => {
    const session = await freshSession();
    expect(() => {
      (session as unknown as { id: string }).id = 'forged';
    }).toThrow(TypeError);
  });
});

describe('session test cookie', () => {
  it('works only on a later request', async () => {
    const manager = createTestManager();
    const first = await request(manager, undefined, (s) => {
      s.setTestCookie();
      return s.testCookieWorked();
    });
    expect(first.result).toBe(true); // same request sees its own marker, as Django
    const second = await request(manager, first.cookie, (s) => s.testCookieWorked());
    expect(second.result).toBe(true);
    const withoutCookie = await request(manager, undefined, (s) => s.testCookieWorked());
    expect(withoutCookie.result).toBe(false);
  });
  it('deleteTestCookie() removes the marker', async () => {
    const manager = createTestManager();
    const first = await request(manager, undefined, (s) => s.setTestCookie());
    await request(manager, first.cookie, (s) => {
      s.set('keep', 1);
      s.deleteTestCookie();
    });
    const third = await request(manager, first.cookie, (s) => s.testCookieWorked());
    expect(third.result).toBe(false);
  });
});

describe('session.flash()', () => {
  it('shows messages on a later request, once', async () => {
    const manager = createTestManager();
    const post = await request(manager, undefined, (s) => s.flash('Added 2 × apple'));
    const page = await request(manager, post.cookie, (s) => s.popFlash());
    expect(page.result).toEqual(['Added 2 × apple']);
    const reload = await request(manager, post.cookie, (s) => s.popFlash());
    expect(reload.result).toEqual([]);
  });
  it('keeps queues apart', async () => {
    const session = await freshSession();
    session.flash('info');
    session.flash('bad', { queue: 'error' });
    expect(session.popFlash('error')).toEqual(['bad']);
    expect(session.popFlash()).toEqual(['info']);
  });
  it('skips a duplicate when allowDuplicate is false', async () => {
    const session = await freshSession();
    session.flash('once', { allowDuplicate: false });
    session.flash('once', { allowDuplicate: false });
    session.flash('once');
    expect(session.peekFlash()).toEqual(['once', 'once']);
  });
  it('peekFlash() leaves the messages in place', async () => {
    const session = await freshSession();
    session.flash('x');
    expect(session.peekFlash()).toEqual(['x']);
    expect(session.popFlash()).toEqual(['x']);
  });
});
