/**
 * The listing part of `npm run bench:scale` (issue 13 §2): on the store grown
 * to its large size, the time of the operator's queries (first pages, a deep
 * page, one user's page, counts, the overview) and the process's memory while
 * paging through 100,000 sessions.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createAdminHandler } from '../src/admin/index.js';
import { createSessionManager } from '../src/core/index.js';
import type { SessionListOrder, SessionPage, SessionStore } from '../src/core/store.js';
import { encodeSessionCursor } from '../src/stores/page-sessions-options.js';

/** Milliseconds of each measured query: the median of its repetitions. */
export interface ListingTimes {
  firstPageCreatedMs: number;
  firstPageLastUsedMs: number;
  /** The 11th page of 50, reached by following the cursor. */
  eleventhPageMs: number;
  /** A page of 50 from a cursor in the middle of the creation order. */
  middlePageMs: number;
  userPageMs: number;
  countMs: number;
  countUserMs: number;
  describeMs: number;
}

/** The process's memory while paging through `sessions` sessions, `limit` a page. */
export interface ListingMemory {
  sessions: number;
  limit: number;
  pages: number;
  /** After a full GC, before the first page. */
  before: { rssMb: number; heapUsedMb: number };
  /** After a full GC, after the first 10 pages, after half, after all. */
  afterPages: Array<{ pages: number; rssMb: number; heapUsedMb: number }>;
  seconds: number;
}

/**
 * Milliseconds of each admin page (`createAdminHandler`, the real handler:
 * store queries and HTML), the median of its repetitions (issue 13 §3: < 1 s).
 */
export interface AdminPageTimes {
  overviewMs: number;
  sessionsMs: number;
  userSessionsMs: number;
  sessionMs: number;
}

export interface ListingResult {
  times: ListingTimes;
  admin: AdminPageTimes;
  /** What the overview answered (live sessions, users, how many sizes it measured). */
  overview: { live: number; users: number; sizesMeasured: number; topUser: number };
  memory: ListingMemory;
}

const REPETITIONS = 5;

// A full collection before each memory reading, so garbage not yet collected
// does not pass for growth (--expose-gc set at run time, as tsx starts node itself).
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.floor(sorted.length / 2)]! * 100) / 100;
}

async function time(run: () => unknown): Promise<number> {
  await run(); // warm-up: the statement prepared, the pages cached
  const samples: number[] = [];
  for (let i = 0; i < REPETITIONS; i++) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  return median(samples);
}

function memory(): { rssMb: number; heapUsedMb: number } {
  collectGarbage();
  const usage = process.memoryUsage();
  const mb = (bytes: number) => Math.round((bytes / 1_048_576) * 10) / 10;
  return { rssMb: mb(usage.rss), heapUsedMb: mb(usage.heapUsed) };
}

type Pager = (options: {
  limit: number;
  order?: SessionListOrder;
  cursor?: string;
  userId?: string;
}) => Promise<SessionPage>;

/** Measures the listing methods of `store` (which must have them). */
export async function measureListing(
  store: SessionStore,
  sample: { userId: string; middleCreatedAt: number },
  walk = 100_000,
): Promise<ListingResult> {
  const { pageSessions, countSessions, describeSessions } = store;
  if (!pageSessions || !countSessions || !describeSessions) {
    throw new Error(`${store.name} store has no pageSessions, countSessions or describeSessions`);
  }
  const page: Pager = async (options) => pageSessions.call(store, options);
  const eleventh = async () => {
    let cursor: string | undefined;
    for (let index = 0; index < 10; index++) {
      cursor = (await page({ limit: 50, ...(cursor ? { cursor } : {}) })).nextCursor ?? undefined;
    }
    const started = performance.now();
    await page({ limit: 50, ...(cursor ? { cursor } : {}) });
    return performance.now() - started;
  };
  const eleventhSamples: number[] = [];
  for (let i = 0; i < REPETITIONS; i++) eleventhSamples.push(await eleventh());
  const middle = encodeSessionCursor('created', {
    value: sample.middleCreatedAt,
    key: 'f'.repeat(64),
  });
  const describe = () => describeSessions.call(store, { hours: 72, topUsers: 10 });
  const times: ListingTimes = {
    firstPageCreatedMs: await time(() => page({ limit: 50 })),
    firstPageLastUsedMs: await time(() => page({ limit: 50, order: 'lastUsed' })),
    eleventhPageMs: median(eleventhSamples),
    middlePageMs: await time(() => page({ limit: 50, cursor: middle })),
    userPageMs: await time(() => page({ limit: 50, userId: sample.userId })),
    countMs: await time(() => countSessions.call(store)),
    countUserMs: await time(() => countSessions.call(store, { userId: sample.userId })),
    describeMs: await time(describe),
  };
  const overview = await describe();
  const admin = await measureAdminPages(store, sample.userId);

  const limit = 1000;
  const pages = Math.ceil(walk / limit);
  const before = memory();
  const afterPages: ListingMemory['afterPages'] = [];
  const started = performance.now();
  let cursor: string | undefined;
  for (let index = 1; index <= pages; index++) {
    const answer = await page({ limit, ...(cursor ? { cursor } : {}) });
    cursor = answer.nextCursor ?? undefined;
    if (index === 10 || index === Math.floor(pages / 2) || index === pages) {
      afterPages.push({ pages: index, ...memory() });
    }
    if (cursor === undefined) break;
  }
  return {
    times,
    admin,
    overview: {
      live: overview.live,
      users: overview.users,
      sizesMeasured: overview.sizesMeasured,
      topUser: overview.topUsers[0]?.sessions ?? 0,
    },
    memory: {
      sessions: walk,
      limit,
      pages,
      before,
      afterPages,
      seconds: Math.round((performance.now() - started) / 100) / 10,
    },
  };
}

/** Times the admin's pages through its real handler on `store`. */
async function measureAdminPages(store: SessionStore, userId: string): Promise<AdminPageTimes> {
  const handler = createAdminHandler({
    manager: createSessionManager({ store }),
    authorize: () => true,
  });
  const get = async (path: string): Promise<string> => {
    const response = await handler(new Request(`http://127.0.0.1${path}`));
    if (response.status !== 200) throw new Error(`admin ${path} answered ${response.status}`);
    return response.text();
  };
  const first = await store.pageSessions!({ limit: 1 });
  const key = first.sessions[0]?.key ?? 'f'.repeat(64);
  return {
    overviewMs: await time(() => get('/')),
    sessionsMs: await time(() => get('/sessions')),
    userSessionsMs: await time(() => get(`/sessions?user=${encodeURIComponent(userId)}`)),
    sessionMs: await time(() => get(`/session?key=${key}`)),
  };
}
