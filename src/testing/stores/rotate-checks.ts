/**
 * The checks of `rotate()` (issue 10 §1): rotating an id (`cycleKey()`,
 * `login()`) by `create(new)` then `destroy(old)` let a slow request bring
 * back, under a new id, a session a concurrent logout had destroyed.
 * `rotate()` checks and moves in one step.
 * @module
 */

import assert from 'node:assert/strict';
import type { SessionRecord, StoredData } from '../../core/store.js';
import { group, lacks, type StoreCheck } from './check.js';
import {
  delta,
  expiredRecord,
  keysOf,
  liveRecord,
  MINUTE,
  randomKey,
  randomUserId,
  richData,
} from './fixtures.js';
import { assertProtoKeptAsData, present } from './record-checks.js';

/** The checks of `rotate()`. */
export function rotateChecks(): StoreCheck[] {
  return group('store.rotate()', [
    [
      'moves data, createdAt, owner and expiry to the new key; the old key reads null',
      async (store) => {
        const [oldKey, newKey] = [randomKey(), randomKey()];
        const userId = randomUserId();
        await store.create(oldKey, liveRecord({ before: true }, { userId }));
        const record = liveRecord(richData(), {
          userId,
          createdAt: Date.now() - 5000,
          expiresAt: Date.now() + 7 * MINUTE,
        });

        assert.equal(await store.rotate(oldKey, newKey, record), true);

        assert.deepEqual(await store.read(newKey), {
          data: richData(),
          createdAt: record.createdAt,
          expiresAt: record.expiresAt,
          userId,
        } satisfies SessionRecord);
        assert.equal(await store.read(oldKey), null);
        assert.equal(await store.update(oldKey, delta({ late: true })), false);
        assert.equal(await store.read(oldKey), null);
      },
    ],
    [
      'stores a copy, keeping "__proto__" as plain data',
      async (store) => {
        const [oldKey, newKey] = [randomKey(), randomKey()];
        await store.create(oldKey, liveRecord({ a: 1 }));
        const data = JSON.parse('{"__proto__": {"x": true}, "list": [1]}') as StoredData;
        const record = liveRecord(data);

        assert.equal(await store.rotate(oldKey, newKey, record), true);
        (record.data.list as number[]).push(2);

        const read = present(await store.read(newKey), 'the rotated record');
        assertProtoKeptAsData(read.data, { x: true });
        assert.deepEqual(read.data.list, [1]);
        assert.equal(({} as Record<string, unknown>).x, undefined);
      },
    ],
    [
      'answers false for a missing key and creates nothing',
      async (store) => {
        const [oldKey, newKey] = [randomKey(), randomKey()];

        assert.equal(await store.rotate(oldKey, newKey, liveRecord({ a: 1 })), false);

        assert.equal(await store.read(newKey), null);
        assert.equal(await store.read(oldKey), null);
      },
    ],
    [
      'answers false for an expired record and writes nothing',
      async (store) => {
        const [oldKey, newKey] = [randomKey(), randomKey()];
        await store.create(oldKey, expiredRecord({ a: 1 }));

        assert.equal(await store.rotate(oldKey, newKey, liveRecord({ a: 1 })), false);

        assert.equal(await store.read(newKey), null);
        assert.equal(await store.read(oldKey), null);
        // The expired record was not revived by the attempt either.
        assert.equal(await store.touch(oldKey, Date.now() + MINUTE), false);
      },
    ],
    [
      'answers false after destroy (a concurrent logout won), and the new key reads null',
      async (store) => {
        const [oldKey, newKey] = [randomKey(), randomKey()];
        const userId = randomUserId();
        await store.create(oldKey, liveRecord({ user: 'ann' }, { userId }));
        await store.destroy(oldKey);

        assert.equal(
          await store.rotate(oldKey, newKey, liveRecord({ user: 'ann' }, { userId })),
          false,
        );

        assert.equal(await store.read(newKey), null);
        assert.equal(await store.read(oldKey), null);
        if (store.listUserSessions !== undefined) {
          assert.deepEqual(await store.listUserSessions(userId), []);
        }
      },
    ],
    [
      'answers false after destroyUserSessions of its owner',
      async (store) => {
        if (store.destroyUserSessions === undefined) return lacks('destroyUserSessions');
        const [oldKey, newKey] = [randomKey(), randomKey()];
        const userId = randomUserId();
        await store.create(oldKey, liveRecord({ device: 'laptop' }, { userId }));
        await store.destroyUserSessions(userId);

        assert.equal(
          await store.rotate(oldKey, newKey, liveRecord({ device: 'laptop' }, { userId })),
          false,
        );

        assert.equal(await store.read(newKey), null);
        if (store.listUserSessions !== undefined) {
          assert.deepEqual(await store.listUserSessions(userId), []);
        }
      },
    ],
    [
      'never overwrites a live record under the new key: rejects or answers false, and writes nothing',
      async (store) => {
        const [oldKey, newKey] = [randomKey(), randomKey()];
        await store.create(oldKey, liveRecord({ which: 'old' }));
        await store.create(newKey, liveRecord({ which: 'taken' }));

        const outcome = await (async () =>
          store.rotate(oldKey, newKey, liveRecord({ which: 'moved' })))()
          .then((answer) => ({ answer }))
          .catch((error: unknown) => ({ error }));

        if ('answer' in outcome) assert.equal(outcome.answer, false);
        assert.deepEqual(present(await store.read(newKey), 'the record under the new key').data, {
          which: 'taken',
        });
        assert.deepEqual(present(await store.read(oldKey), 'the old record').data, {
          which: 'old',
        });
      },
    ],
    [
      'moves the key in its owner’s listing',
      async (store) => {
        if (store.listUserSessions === undefined) return lacks('listUserSessions');
        const [oldKey, newKey] = [randomKey(), randomKey()];
        const userId = randomUserId();
        await store.create(oldKey, liveRecord({ a: 1 }, { userId }));

        await store.rotate(oldKey, newKey, liveRecord({ a: 1 }, { userId }));

        assert.deepEqual(keysOf(await store.listUserSessions(userId)), [newKey]);
      },
    ],
    [
      'indexes the new owner when the rotation changes it (anonymous → user → another user)',
      async (store) => {
        if (store.listUserSessions === undefined) return lacks('listUserSessions');
        const [anonymousKey, firstKey, secondKey] = [randomKey(), randomKey(), randomKey()];
        const [first, second] = [randomUserId(), randomUserId()];
        await store.create(anonymousKey, liveRecord({ step: 'browse' }));

        const login = liveRecord({ step: 'login' }, { userId: first });
        assert.equal(await store.rotate(anonymousKey, firstKey, login), true);
        assert.deepEqual(keysOf(await store.listUserSessions(first)), [firstKey]);
        assert.equal(present(await store.read(firstKey), 'the rotated record').userId, first);

        const switched = liveRecord({ step: 'switch' }, { userId: second });
        assert.equal(await store.rotate(firstKey, secondKey, switched), true);
        assert.deepEqual(await store.listUserSessions(first), []);
        assert.deepEqual(keysOf(await store.listUserSessions(second)), [secondKey]);
      },
    ],
    [
      'lets a destroyUserSessions after the rotation reach the new key',
      async (store) => {
        if (store.destroyUserSessions === undefined) return lacks('destroyUserSessions');
        const [oldKey, newKey] = [randomKey(), randomKey()];
        const userId = randomUserId();
        await store.create(oldKey, liveRecord({}));

        await store.rotate(oldKey, newKey, liveRecord({ signedIn: true }, { userId }));

        assert.equal(await store.destroyUserSessions(userId), 1);
        assert.equal(await store.read(newKey), null);
      },
    ],
    [
      'lets exactly one of two parallel rotations of one key win',
      async (store) => {
        const oldKey = randomKey();
        const userId = randomUserId();
        await store.create(oldKey, liveRecord({ a: 1 }, { userId }));
        const newKeys = [randomKey(), randomKey()] as const;

        const answers = await Promise.all(
          newKeys.map((newKey) =>
            store.rotate(oldKey, newKey, liveRecord({ to: newKey }, { userId })),
          ),
        );

        assert.deepEqual(
          answers.filter((answer) => answer),
          [true],
          `both rotations answered ${JSON.stringify(answers)}`,
        );
        const winner = answers[0] ? newKeys[0] : newKeys[1];
        const loser = answers[0] ? newKeys[1] : newKeys[0];
        assert.deepEqual(present(await store.read(winner), 'the winner’s record').data, {
          to: winner,
        });
        assert.equal(await store.read(loser), null);
        assert.equal(await store.read(oldKey), null);
        if (store.listUserSessions !== undefined) {
          assert.deepEqual(keysOf(await store.listUserSessions(userId)), [winner]);
        }
      },
    ],
    [
      'lets a rotation and a parallel destroy of the old key leave no live session behind, or only the new one',
      async (store) => {
        const [oldKey, newKey] = [randomKey(), randomKey()];
        await store.create(oldKey, liveRecord({ a: 1 }));

        const [rotated] = await Promise.all([
          store.rotate(oldKey, newKey, liveRecord({ a: 2 })),
          store.destroy(oldKey),
        ]);

        assert.equal(await store.read(oldKey), null);
        // Either the rotation came first (and the destroy found nothing), or the destroy did.
        if (rotated)
          assert.deepEqual(present(await store.read(newKey), 'the new record').data, { a: 2 });
        else assert.equal(await store.read(newKey), null);
      },
    ],
  ]);
}
