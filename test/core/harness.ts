import { digestSessionIdNode } from '../../src/adapters/node/digest.js';
import {
  createSessionManager,
  type Session,
  type SessionCommitResult,
  type SessionData,
  type SessionManager,
  type SessionOptions,
} from '../../src/core/index.js';
import { createMemoryStore } from '../../src/stores/memory/index.js';

/** A manager over a fresh memory store, with the Node digest. */
export function createTestManager(options: SessionOptions = {}): SessionManager {
  return createSessionManager(
    { store: createMemoryStore(), ...options },
    { digestId: digestSessionIdNode },
  );
}

export interface RoundTrip<T> extends SessionCommitResult {
  /** `name=value` of the cookie to send next, or undefined when it was deleted/not set. */
  cookie: string | undefined;
  result: T;
  session: Session;
}

/** One simulated request: load with `cookie`, run `handle`, commit. */
export async function request<T = void, Data extends SessionData = SessionData>(
  manager: SessionManager,
  cookie: string | undefined,
  handle: (session: Session<Data>) => T | Promise<T> = () => undefined as T,
  status?: number,
): Promise<RoundTrip<T>> {
  const session = await manager.load<Data>({ cookie, secure: false });
  const result = await handle(session);
  const committed = await manager.commit(
    session as unknown as Session,
    status === undefined ? undefined : { status },
  );
  let next = cookie;
  if (committed.setCookie !== undefined) {
    const pair = committed.setCookie.split(';')[0]!;
    next = /Max-Age=0/.test(committed.setCookie) ? undefined : pair;
  }
  return { ...committed, cookie: next, result, session: session as unknown as Session };
}

/** A store key as the manager derives it from a `sessionid=…` pair. */
export function keyOf(cookie: string): string {
  return digestSessionIdNode(cookie.split('=')[1]!);
}
