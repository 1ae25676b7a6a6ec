import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CookieJarClient } from '../helpers/cookie-jar-client.js';
import { attributesByClass, textById, textsByClass } from '../helpers/html-query.js';
import { type RunningDemo, startDemoApp } from '../helpers/start-demo-app.js';
import { csrfTokenOf, postForm } from './forms.js';

let demo: RunningDemo;
beforeAll(async () => {
  // SQLite, so that in-place changes of the cart must really reach the store.
  demo = await startDemoApp({ store: 'sqlite' });
});
afterAll(() => demo.close());

/** The cart as shown on the page: item name → quantity. */
function cartItems(html: string): [string, number][] {
  return attributesByClass(html, 'cart-item').map((item) => [
    item['data-item'] ?? '',
    Number(item['data-qty']),
  ]);
}

async function add(client: CookieJarClient, item: string, qty: number | string) {
  return postForm(client, '/cart', { item, qty: String(qty) });
}

describe('GET /cart', () => {
  it('shows an empty cart, no orders and a form to add items', async () => {
    const response = await demo.client().get('/cart');
    expect(response.status).toBe(200);
    expect(cartItems(response.text)).toEqual([]);
    expect(response.text).toContain('Your cart is empty.');
    expect(textById(response.text, 'orders')).toBe('0');
    expect(response.text).toMatch(/<form method="post" action="\/cart"/);
    expect(response.text).toContain('name="item"');
    expect(response.text).toContain('name="qty"');
    expect(textsByClass(response.text, 'flash')).toEqual([]);
  });
});

describe('POST /cart', () => {
  it('adds the item and redirects with 303 to /cart', async () => {
    const client = demo.client();
    const response = await add(client, 'apple', 3);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/cart');
    expect(cartItems((await client.get('/cart')).text)).toEqual([['apple', 3]]);
  });

  it('adds up quantities of the same item', async () => {
    const client = demo.client();
    await add(client, 'apple', 2);
    await add(client, 'pear', 1);
    await add(client, 'apple', 5);
    expect(cartItems((await client.get('/cart')).text)).toEqual([
      ['apple', 7],
      ['pear', 1],
    ]);
  });

  it('shows the flash message once, after the redirect, then no more', async () => {
    const client = demo.client();
    const page = await postForm(client, '/cart', { item: 'apple', qty: '2' }, { follow: true });
    expect(page.redirects.map((r) => r.status)).toEqual([303]);
    expect(page.url).toMatch(/\/cart$/);
    expect(textsByClass(page.text, 'flash')).toEqual(['Added 2 × apple']);
    expect(textsByClass((await client.get('/cart')).text, 'flash')).toEqual([]);
  });

  it('shows one flash message per addition made since the last view', async () => {
    const client = demo.client();
    await add(client, 'apple', 1);
    await add(client, 'pear', 4);
    expect(textsByClass((await client.get('/cart')).text, 'flash')).toEqual([
      'Added 1 × apple',
      'Added 4 × pear',
    ]);
  });

  it('keeps the carts of two clients apart', async () => {
    const alice = demo.client();
    const bob = demo.client();
    await add(alice, 'apple', 1);
    await add(bob, 'pear', 2);
    expect(cartItems((await alice.get('/cart')).text)).toEqual([['apple', 1]]);
    expect(cartItems((await bob.get('/cart')).text)).toEqual([['pear', 2]]);
  });

  it('treats item names such as __proto__ and constructor as plain data', async () => {
    const client = demo.client();
    await add(client, '__proto__', 1);
    await add(client, 'constructor', 2);
    await add(client, '__proto__', 3);
    expect(cartItems((await client.get('/cart')).text)).toEqual([
      ['__proto__', 4],
      ['constructor', 2],
    ]);
  });

  it('escapes item names in the page and in the flash message', async () => {
    const client = demo.client();
    const name = '<script>alert("x")</script> & \'co\'';
    const page = await postForm(client, '/cart', { item: name, qty: '1' }, { follow: true });
    expect(page.text).not.toContain('<script>');
    expect(cartItems(page.text)).toEqual([[name, 1]]);
    expect(textsByClass(page.text, 'flash')).toEqual([`Added 1 × ${name}`]);
  });

  it('accepts the largest quantity, 1000, and a name of 100 characters', async () => {
    const client = demo.client();
    const name = 'x'.repeat(100);
    expect((await add(client, name, 1000)).status).toBe(303);
    expect(cartItems((await client.get('/cart')).text)).toEqual([[name, 1000]]);
  });

  describe('with bad input', () => {
    const cases: [string, Record<string, string>][] = [
      ['a missing quantity', { item: 'apple' }],
      ['a quantity of 0', { item: 'apple', qty: '0' }],
      ['a negative quantity', { item: 'apple', qty: '-1' }],
      ['a quantity over 1000', { item: 'apple', qty: '1001' }],
      ['a fractional quantity', { item: 'apple', qty: '1.5' }],
      ['a quantity that is not a number', { item: 'apple', qty: 'lots' }],
      ['a huge quantity', { item: 'apple', qty: '1e9' }],
      ['a missing item', { qty: '1' }],
      ['an empty item', { item: '', qty: '1' }],
      ['an item of blanks', { item: '   ', qty: '1' }],
      ['an item of 101 characters', { item: 'x'.repeat(101), qty: '1' }],
    ];

    it.each(cases)('answers 400 with an error page for %s', async (_, form) => {
      const client = demo.client();
      const response = await postForm(client, '/cart', form);
      expect(response.status).toBe(400);
      expect(textById(response.text, 'error')).toBeTruthy();
      expect(response.text).toContain('name="item"');
    });

    it('answers 400 for a repeated field', async () => {
      const form = new URLSearchParams([
        ['item', 'apple'],
        ['item', 'pear'],
        ['qty', '1'],
      ]);
      expect((await postForm(demo.client(), '/cart', form)).status).toBe(400);
    });

    it('answers 400 for a post without a body (token in the X-CSRF-Token header)', async () => {
      const client = demo.client();
      const token = await csrfTokenOf(client);
      const response = await client.request('/cart', {
        method: 'POST',
        headers: { 'x-csrf-token': token },
      });
      expect(response.status).toBe(400);
    });

    it('leaves the cart unchanged and flashes nothing', async () => {
      const client = demo.client();
      await add(client, 'apple', 1);
      await client.get('/cart');
      expect((await add(client, 'apple', 0)).status).toBe(400);
      const page = await client.get('/cart');
      expect(cartItems(page.text)).toEqual([['apple', 1]]);
      expect(textsByClass(page.text, 'flash')).toEqual([]);
    });

    it('keeps the input in the form, escaped', async () => {
      const response = await postForm(demo.client(), '/cart', { item: '"><b>bold</b>', qty: 'x' });
      expect(response.status).toBe(400);
      expect(response.text).toContain('value="&quot;&gt;&lt;b&gt;bold&lt;/b&gt;"');
    });
  });
});

describe('POST /cart/checkout', () => {
  it('places the order, empties the cart and flashes "Order placed"', async () => {
    const client = demo.client();
    await postForm(client, '/cart', { item: 'apple', qty: '2' }, { follow: true });
    const response = await postForm(client, '/cart/checkout');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/cart');
    const page = await client.get('/cart');
    expect(cartItems(page.text)).toEqual([]);
    expect(textsByClass(page.text, 'flash')).toEqual(['Order placed']);
    expect(textById(page.text, 'orders')).toBe('1');
  });

  it('places only one order when the checkout is submitted twice', async () => {
    const client = demo.client();
    await add(client, 'apple', 2);
    await postForm(client, '/cart/checkout', {}, { follow: true });
    const again = await postForm(client, '/cart/checkout', {}, { follow: true });
    expect(textsByClass(again.text, 'flash')).toEqual(['Your cart is empty']);
    expect(textById(again.text, 'orders')).toBe('1');
  });

  it('says "Your cart is empty" and places no order for an empty cart', async () => {
    const page = await postForm(demo.client(), '/cart/checkout', {}, { follow: true });
    expect(textsByClass(page.text, 'flash')).toEqual(['Your cart is empty']);
    expect(textById(page.text, 'orders')).toBe('0');
  });

  it('counts every order placed', async () => {
    const client = demo.client();
    await add(client, 'apple', 1);
    await postForm(client, '/cart/checkout');
    await add(client, 'pear', 1);
    await postForm(client, '/cart/checkout');
    expect(textById((await client.get('/cart')).text, 'orders')).toBe('2');
  });
});
