/**
 * Prototype keys are data: session keys, nested keys and values named
 * `__proto__`, `constructor`, `prototype` round-trip unchanged through every
 * server-side store and the codec, and `Object.prototype` gains nothing.
 * Ids shaped like those words are "no session", never a store lookup of them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSessionManager,
  digestSessionIdWebCrypto,
  generateSessionId,
  type SessionManager,
  type StoredData,
} from '../../src/core/index.js';
import { type OpenedStore, serverSideStores } from '../helpers/security-stores.js';
import { describeWithServer } from '../helpers/servers.js';

const NAME = 'sessionid';
/** Top-level session keys (`__proto__` starts with "_", so it is a reserved key: refused). */
const WORDS = ['constructor', 'prototype', 'toString', 'hasOwnProperty'] as const;
const kinds = await serverSideStores();

/** A nested value carrying every prototype word as own keys (built with JSON.parse: real own keys). */
function hostileValue(): Record<string, unknown> {
  return JSON.parse(
    '{"__proto__":{"polluted":true,"isAdmin":true},"constructor":{"prototype":{"polluted":true}},' +
      '"prototype":"p","list":[{"__proto__":{"x":1}}],"toString":"not a function"}',
  ) as Record<string, unknown>;
}

/** JSON with keys sorted at every level (PostgreSQL's jsonb reorders keys), own keys only. */
function canonical(value: unknown): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

function prototypeSnapshot(): string[] {
  return Object.getOwnPropertyNames(Object.prototype).sort();
}

for (const kind of kinds) {
  const body = () => {
    let opened: OpenedStore;
    let manager: SessionManager;
    let protoBefore: string[];
    beforeAll(async () => {
      protoBefore = prototypeSnapshot();
      opened = await kind.open();
      manager = createSessionManager({ store: opened.store });
    });
    afterAll(async () => {
      await opened.cleanup();
      expect(prototypeSnapshot()).toEqual(protoBefore);
    });

    const load = (id: string) => manager.load({ cookie: `${NAME}=${id}`, secure: false });

    it('round-trips prototype words as session keys and nested keys, on create and on update', async () => {
      const session = await manager.open();
      for (const word of WORDS) session.set(word, { word, nested: hostileValue() });
      session.set('plain', hostileValue());
      await manager.save(session);

      const loaded = await load(session.id!);
      for (const word of WORDS) {
        expect(Object.hasOwn(Object.fromEntries(loaded.entries()), word)).toBe(true);
        expect(canonical(loaded.get(word))).toBe(canonical({ word, nested: hostileValue() }));
      }
      const plain = loaded.get('plain') as Record<string, unknown>;
      expect(Object.getPrototypeOf(plain)).toBe(Object.prototype);
      expect(Object.hasOwn(plain, '__proto__')).toBe(true);
      expect((plain as { polluted?: unknown }).polluted).toBeUndefined();
      expect(canonical(plain)).toBe(canonical(hostileValue()));

      // A delta update with the same words (stores that patch JSON in place).
      loaded.set('prototype', { updated: true, __proto__nested: hostileValue() });
      loaded.delete('constructor');
      await manager.commit(loaded, { status: 200 });
      const again = await load(session.id!);
      expect(again.keys().sort()).toEqual(['hasOwnProperty', 'plain', 'prototype', 'toString']);
      expect(canonical(again.get('prototype'))).toBe(
        canonical({ updated: true, __proto__nested: hostileValue() }),
      );
      expect(typeof again.entries).toBe('function'); // the session object itself is intact

      const probe: Record<string, unknown> = {};
      expect(probe.polluted).toBeUndefined();
      expect(probe.isAdmin).toBeUndefined();
      expect(Object.keys(Object.prototype)).toEqual([]);
      expect(prototypeSnapshot()).toEqual(protoBefore);
    });

    it('refuses "__proto__" as a top-level session key with a TypeError naming it', async () => {
      const session = await manager.open();
      expect(() => session.set('__proto__' as string, 1)).toThrow(/"__proto__" is reserved/);
    });

    it('stores and returns a record whose own top-level and nested keys are "__proto__"', async () => {
      const key = await digestSessionIdWebCrypto(generateSessionId());
      const data = JSON.parse(
        '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"x":{"__proto__":[1]}}',
      ) as StoredData;
      const now = Date.now();
      expect(
        await opened.store.create(key, {
          data,
          createdAt: now,
          expiresAt: now + 60_000,
          userId: null,
        }),
      ).toBe(true);
      const set = JSON.parse(
        '{"__proto__":{"again":true},"prototype":{"__proto__":{"p":1}}}',
      ) as StoredData;
      expect(await opened.store.update(key, { set, remove: ['x'], expiresAt: now + 60_000 })).toBe(
        true,
      );
      const record = await opened.store.read(key);
      expect(record).not.toBeNull();
      expect(Object.getPrototypeOf(record!.data)).toBe(Object.prototype);
      expect(Object.keys(record!.data).sort()).toEqual(['__proto__', 'constructor', 'prototype']);
      expect(
        JSON.stringify(Object.getOwnPropertyDescriptor(record!.data, '__proto__')?.value),
      ).toBe('{"again":true}');
      expect((record!.data as { again?: unknown }).again).toBeUndefined();
      expect(JSON.stringify(record!.data.prototype)).toBe('{"__proto__":{"p":1}}');
      expect(({} as { polluted?: unknown; again?: unknown }).polluted).toBeUndefined();
      expect(Object.keys(Object.prototype)).toEqual([]);
      await opened.store.destroy(key);
    });

    it('reads ids named like prototype keys as "no session"', async () => {
      for (const word of ['__proto__', ...WORDS]) {
        const session = await load(word);
        expect(session.isNew).toBe(true);
        expect(session.isEmpty).toBe(true);
      }
    });
  };
  if (kind.probe) describeWithServer(kind.probe, `prototype pollution: ${kind.name} store`, body);
  else describe(`prototype pollution: ${kind.name} store`, body);
}
