/**
 * The commit planner decides, without a store, what committing a session
 * writes. Each rule of "what does this request write" is one case here.
 */
import { describe, expect, it } from 'vitest';
import { type CommitPolicy, planCommit } from '../../src/core/commit-plan.js';
import type { SessionChanges } from '../../src/core/session-state.js';

const NOW = 1_800_000_000_000;
const POLICY: CommitPolicy = {
  cookieAge: 3600,
  idleTimeout: undefined,
  absoluteTimeout: undefined,
  expireAtBrowserClose: false,
  refreshesExpiry: false,
  touchAfter: 60,
};

/** A session as the planner sees it: loaded, unchanged, unless `fields` say otherwise. */
function changes(
  fields: Partial<SessionChanges> & { set?: Record<string, string> } = {},
): SessionChanges {
  const { set, ...rest } = fields;
  return {
    key: 'k1',
    storedExpiresAt: NOW + 3_000_000,
    rotateFrom: undefined,
    doomed: [],
    size: 1,
    forceModified: false,
    removed: new Set(),
    userChanged: false,
    userId: null,
    createdAt: NOW - 1000,
    hadCookie: true,
    expiry: undefined,
    encodeChanges: () => set,
    encodeAll: () => ({ a: '1', ...set }),
    ...rest,
  };
}

describe('planCommit', () => {
  it('writes nothing for an unchanged session', () => {
    expect(planCommit(changes(), POLICY, NOW)).toEqual({ action: 'nothing', clearCookie: false });
  });

  it('writes nothing for a new empty session, and deletes a cookie that named no session', () => {
    const fresh = { key: undefined, storedExpiresAt: undefined, size: 0 };
    expect(planCommit(changes({ ...fresh, hadCookie: false }), POLICY, NOW).action).toBe('nothing');
    expect(planCommit(changes({ ...fresh, hadCookie: true }), POLICY, NOW)).toEqual({
      action: 'nothing',
      clearCookie: true,
    });
  });

  it('writes only the changed keys of a stored session (a delta), with the new expiry', () => {
    const plan = planCommit(changes({ set: { b: '2' }, removed: new Set(['c']) }), POLICY, NOW);
    expect(plan).toMatchObject({
      action: 'delta',
      key: 'k1',
      delta: { set: { b: '2' }, remove: ['c'], expiresAt: NOW + 3_600_000 },
      maxAge: 3600,
    });
    expect(plan.action === 'delta' && 'userId' in plan.delta).toBe(false);
  });

  it('sends a new owner with the delta', () => {
    const plan = planCommit(changes({ userChanged: true, userId: 'ann' }), POLICY, NOW);
    expect(plan).toMatchObject({ action: 'delta', delta: { userId: 'ann' } });
  });

  it('creates a new record for a session that has none', () => {
    const plan = planCommit(
      changes({ key: undefined, storedExpiresAt: undefined, hadCookie: false }),
      POLICY,
      NOW,
    );
    expect(plan).toMatchObject({
      action: 'create',
      record: { data: { a: '1' }, createdAt: NOW - 1000, userId: null },
    });
  });

  it('moves a cycled session from the record it was loaded from (a rotation, never a plain create)', () => {
    const from = { key: 'k1', expiresAt: NOW + 5000 };
    const plan = planCommit(
      changes({ key: undefined, rotateFrom: from, userId: 'ann' }),
      POLICY,
      NOW,
    );
    expect(plan).toMatchObject({ action: 'rotate', from, record: { userId: 'ann' } });
  });

  it('destroys a flushed session, and the record a cycled-then-emptied one came from', () => {
    const doomed = [{ key: 'k1', expiresAt: NOW + 5000 }];
    expect(planCommit(changes({ key: undefined, size: 0, doomed }), POLICY, NOW)).toEqual({
      action: 'destroy',
      doomed,
      clearCookie: true,
    });
    const cycled = planCommit(
      changes({ key: undefined, size: 0, rotateFrom: doomed[0] }),
      POLICY,
      NOW,
    );
    expect(cycled).toEqual({ action: 'destroy', doomed, clearCookie: true });
  });

  it('creates the refilled session of a flush and destroys the flushed record', () => {
    const doomed = [{ key: 'k1', expiresAt: NOW + 5000 }];
    const plan = planCommit(changes({ key: undefined, doomed }), POLICY, NOW);
    expect(plan).toMatchObject({ action: 'create', doomed });
  });

  it('refreshes an unchanged session’s expiry only when asked, and not more often than touchAfter', () => {
    const refreshing = { ...POLICY, refreshesExpiry: true };
    const recent = changes({ storedExpiresAt: NOW + 3_600_000 - 30_000 });
    expect(planCommit(recent, refreshing, NOW).action).toBe('nothing');
    const due = changes({ storedExpiresAt: NOW + 3_600_000 - 61_000 });
    expect(planCommit(due, refreshing, NOW)).toEqual({
      action: 'touch',
      key: 'k1',
      expiresAt: NOW + 3_600_000,
      maxAge: 3600,
    });
    expect(planCommit(due, POLICY, NOW).action).toBe('nothing');
  });

  it('seals again a cookie opened with an older secret (reissue), even unchanged', () => {
    expect(planCommit(changes(), POLICY, NOW, true).action).toBe('delta');
  });

  it('caps the expiry by the idle and absolute timeouts, and sends a browser-session cookie when asked', () => {
    const capped = planCommit(
      changes({ set: { b: '2' } }),
      { ...POLICY, idleTimeout: 600, absoluteTimeout: 100 },
      NOW,
    );
    expect(capped).toMatchObject({ delta: { expiresAt: NOW - 1000 + 100_000 } });
    const browser = planCommit(changes({ set: { b: '2' }, expiry: 0 }), POLICY, NOW);
    expect(browser).toMatchObject({ action: 'delta', maxAge: undefined });
  });
});
