/**
 * The express-session middleware over Tessera's store contract: express-session's
 * request lifecycle and save decisions, with Tessera's writes — per-key deltas
 * that never resurrect a destroyed session, and creates that never overwrite.
 * @module
 */

import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  describeSessionFailure,
  type SessionDelta,
  SessionInterruptedError,
  SessionStoreError,
  type StoredData,
} from '../core/index.js';
import { openBackend, type SessionBackend } from './backend.js';
import { Cookie, type CookieOptions, serializeCookie } from './cookie.js';
import { type DataImage, imageSessionData, parseImageData } from './data-image.js';
import { MemoryStore } from './memory-store.js';
import { onHeaders } from './on-headers.js';
import {
  type ExpressSessionOptions,
  type ResolvedExpressSessionOptions,
  resolveExpressSessionOptions,
} from './options.js';
import { readSessionId } from './read-session-id.js';
import {
  bindRequestHooks,
  type SessionCallback,
  type SessionRequestHooks,
} from './request-hooks.js';
import { isSecureRequest } from './secure.js';
import { Session } from './session.js';
import { type SessionSecret, signSessionId } from './sign.js';
import type { Store } from './store.js';
import { openUpgradeBackend } from './upgrade-backend.js';

/** A request the middleware handled. */
export type SessionRequestLike = IncomingMessage & {
  session?: Session | null | undefined;
  sessionID?: unknown;
  sessionStore?: unknown;
  secret?: SessionSecret;
  originalUrl?: string;
};

/** The middleware: an Express (4 and 5) / Connect handler. */
export type ExpressSessionMiddleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void;

/** How long a record of a browser-session cookie (no `expires`) is kept: a day, as connect-redis. */
const BROWSER_SESSION_TTL_MS = 86_400_000;

/** express-session's default id: 24 random bytes, base64url (32 characters). */
function generateDefaultId(): string {
  return randomBytes(24).toString('base64url');
}

/** When a session's record expires: its cookie's `expires`, else a day from now. */
function expiryOf(session: Session): number {
  const expires = session.cookie?.expires;
  const time = expires instanceof Date ? expires.getTime() : Number.NaN;
  return Number.isNaN(time) ? Date.now() + BROWSER_SESSION_TTL_MS : time;
}

/** The error an application sees: the store's own, not Tessera's wrapper. */
function unwrapStoreError(error: unknown): unknown {
  return error instanceof SessionStoreError && error.cause !== undefined ? error.cause : error;
}

function defer(next: (error?: unknown) => void, error: unknown): void {
  setImmediate(next, error);
}

/**
 * Creates the middleware (express-session's `session(options)`): sets
 * `req.session`, `req.sessionID` and `req.sessionStore`, and saves the session
 * when the response ends, with express-session's option semantics. Throws for
 * an unknown option key, a non-function `genid`, an unknown `unset` or an
 * empty `secret` array.
 */
export function createExpressSessionMiddleware(
  options: ExpressSessionOptions = {},
): ExpressSessionMiddleware {
  const config = resolveExpressSessionOptions(options);
  const store = (options.store ?? new MemoryStore()) as object;
  const backend =
    options.upgradeTo === undefined
      ? openBackend(store)
      : openUpgradeBackend(options.store, options.upgradeTo);
  const genid = config.genid ?? generateDefaultId;
  /** Ids the default generator made and no record holds yet: a plain write cannot overwrite anything. */
  const freshIds = new WeakMap<object, string>();

  const cookieOptionsFor = (req: IncomingMessage): CookieOptions =>
    typeof config.cookie === 'function' ? config.cookie(req) : config.cookie;

  /** A new, empty session for `req` under a new id (express-session's `store.generate`). */
  function generate(req: SessionRequestLike): void {
    req.sessionID = genid(req);
    if (genid === generateDefaultId) freshIds.set(req, req.sessionID as string);
    const session = new Session(req);
    session.cookie = makeCookie(req, cookieOptionsFor(req));
    req.session = session;
  }

  function makeCookie(req: IncomingMessage, cookieOptions: CookieOptions): Cookie {
    const cookie = new Cookie(cookieOptions);
    const secureAuto = cookieOptions.secure === 'auto';
    const sameSiteAuto = cookieOptions.sameSite === 'auto';
    if (!secureAuto && !sameSiteAuto) return cookie;
    const secure = isSecureRequest(req, config.proxy);
    if (secureAuto) cookie.secure = secure;
    if (sameSiteAuto) cookie.sameSite = secure ? 'none' : 'lax';
    return cookie;
  }

  // express-session sets `generate` on the store; its Store.prototype.regenerate relies on it.
  if (backend.records !== store) (store as Store).generate = generate;

  // One list per `req.secret` (cookie-parser's), so verified cookie values are cached across requests.
  let requestSecret: SessionSecret | undefined;
  let requestSecrets: readonly SessionSecret[] | undefined;
  const secretsOf = (secret: SessionSecret | undefined): readonly SessionSecret[] | undefined => {
    if (!secret) return undefined;
    if (secret !== requestSecret) {
      requestSecret = secret;
      requestSecrets = [secret];
    }
    return requestSecrets;
  };

  let storeReady = true;
  backend.events?.on('disconnect', () => {
    storeReady = false;
  });
  backend.events?.on('connect', () => {
    storeReady = true;
  });

  return function expressSession(request, res, next): void {
    const req = request as SessionRequestLike;
    if (req.session) {
      next();
      return;
    }
    if (!storeReady) {
      next();
      return;
    }
    const cookieOptions = cookieOptionsFor(req);
    const cookiePath = cookieOptions.path || '/';
    // Every pathname starts with '/': the URL is parsed only for a narrower cookie path.
    if (cookiePath !== '/' && !originalPathname(req).startsWith(cookiePath)) {
      next();
      return;
    }
    const secrets = config.secrets ?? secretsOf(req.secret);
    if (!secrets) {
      next(new Error('secret option required for sessions'));
      return;
    }
    req.sessionStore = store;
    const lifecycle = new RequestLifecycle(req, res, next, config, backend, secrets, {
      generate,
      makeCookie,
      isFresh: (id) => freshIds.get(req) === id,
      newId: () => genid(req),
    });
    lifecycle.start();
  };
}

function originalPathname(req: SessionRequestLike): string {
  const url = req.originalUrl ?? req.url ?? '';
  if (url === '') return '/';
  try {
    return new URL(url, 'http://localhost').pathname || '/';
  } catch {
    return '/';
  }
}

interface SessionFactory {
  generate(req: SessionRequestLike): void;
  makeCookie(req: IncomingMessage, options: CookieOptions): Cookie;
  /** Whether `id` is a never-stored id the default generator made for this request. */
  isFresh(id: string): boolean;
  /** A new id for this request (an upgraded legacy session's). */
  newId(): string;
}

/** One request's session: loading, the save decisions, and the writes. */
class RequestLifecycle implements SessionRequestHooks {
  readonly #req: SessionRequestLike;
  readonly #res: ServerResponse;
  readonly #next: (error?: unknown) => void;
  readonly #config: ResolvedExpressSessionOptions;
  readonly #backend: SessionBackend;
  readonly #secrets: readonly SessionSecret[];
  readonly #factory: SessionFactory;
  readonly #cookieId: string | undefined;
  #originalId: unknown;
  #originalHash: string | undefined;
  #savedHash: string | undefined;
  #touched = false;
  /** The id whose record is in the store as this request last read or wrote it. */
  #storedId: string | undefined;
  /** That record's expiry as this request last read or wrote it. */
  #storedExpiresAt: number | undefined;
  /** With `upgradeTo`: the id of a session read from the legacy store and not moved yet. */
  #legacyId: string | undefined;
  /**
   * With `upgradeTo`: a legacy id this request found moved by another request
   * or logged out: its cookie is not sent again, which would replace the
   * browser's new one.
   */
  #goneLegacyId: string | undefined;
  /** Each key's JSON as the store holds it (as this request last read or wrote it). */
  #snapshot: ReadonlyMap<string, string> = new Map<string, string>();
  /**
   * While the response ends: the session's image, serialised once for every
   * decision (modified? saved? cookie?) and the write of that moment.
   */
  #endImage: { session: Session; image: DataImage } | undefined;
  #ending = false;
  /** Writes of this request, one after the other. */
  #writes: Promise<void> = Promise.resolve();

  constructor(
    req: SessionRequestLike,
    res: ServerResponse,
    next: (error?: unknown) => void,
    config: ResolvedExpressSessionOptions,
    backend: SessionBackend,
    secrets: readonly SessionSecret[],
    factory: SessionFactory,
  ) {
    this.#req = req;
    this.#res = res;
    this.#next = next;
    this.#config = config;
    this.#backend = backend;
    this.#secrets = secrets;
    this.#factory = factory;
    this.#cookieId = readSessionId(req, config.name, secrets);
    req.sessionID = this.#cookieId;
  }

  start(): void {
    const req = this.#req;
    bindRequestHooks(req, this);
    onHeaders(this.#res, () => this.#sendCookie());
    this.#patchEnd();
    const id = this.#cookieId;
    if (!id) {
      this.#generate();
      this.#next();
      return;
    }
    this.#readRecord(id).then(
      (record) => {
        if (record) this.#inflate(id, record as RecordLike);
        else this.#generate();
        this.#next();
      },
      (error: unknown) => this.#failLoad(error),
    );
  }

  /** The record of `id`; with `upgradeTo`, from the legacy store when the Tessera store has none. */
  async #readRecord(id: string): Promise<unknown> {
    const record = await this.#backend.records.read(this.#backend.keyOf(id));
    const { legacy } = this.#backend;
    if (record || !legacy) return record;
    const legacyRecord = await legacy.read(id);
    if (legacyRecord) this.#legacyId = id;
    return legacyRecord;
  }

  // ---- express-session's decisions ------------------------------------------------------

  /** The session's data serialised; once for all the decisions while the response ends. */
  #image(session: Session): DataImage {
    const held = this.#endImage;
    if (held !== undefined && held.session === session) return held.image;
    const image = imageSessionData(session);
    if (this.#ending) this.#endImage = { session, image };
    return image;
  }

  /** express-session's change hash: the data's JSON, without `cookie`. */
  #hash(session: Session): string {
    return this.#image(session).json;
  }

  #isModified(session: Session): boolean {
    return this.#originalId !== session.id || this.#originalHash !== this.#hash(session);
  }

  #isSaved(session: Session): boolean {
    return this.#originalId === session.id && this.#savedHash === this.#hash(session);
  }

  #shouldDestroy(): boolean {
    return Boolean(this.#req.sessionID) && this.#config.unsetDestroys && this.#req.session == null;
  }

  #shouldSave(): boolean {
    const req = this.#req;
    if (typeof req.sessionID !== 'string' || !req.session) return false;
    return !this.#config.saveUninitialized &&
      this.#savedHash === undefined &&
      this.#cookieId !== req.sessionID
      ? this.#isModified(req.session)
      : !this.#isSaved(req.session);
  }

  #shouldTouch(): boolean {
    const req = this.#req;
    if (typeof req.sessionID !== 'string') return false;
    return this.#cookieId === req.sessionID && !this.#shouldSave();
  }

  #shouldSetCookie(): boolean {
    const req = this.#req;
    const session = req.session;
    if (typeof req.sessionID !== 'string' || !session) return false;
    return this.#cookieId !== req.sessionID
      ? this.#config.saveUninitialized || this.#isModified(session)
      : this.#config.rolling || (session.cookie.expires != null && this.#isModified(session));
  }

  // ---- loading ------------------------------------------------------------------------------

  #generate(): void {
    this.#factory.generate(this.#req);
    const session = this.#req.session!;
    this.#originalId = this.#req.sessionID;
    this.#originalHash = this.#hash(session);
    this.#storedId = undefined;
    this.#snapshot = new Map();
  }

  #inflate(id: string, record: RecordLike): void {
    this.#originalId = id;
    this.#originalHash = this.#revive(id, record).json;
    if (!this.#config.resave) this.#savedHash = this.#originalHash;
  }

  /**
   * Makes `record` `req.session`, with a cookie of the configured attributes
   * expiring when the record does; answers the session's data image.
   */
  #revive(id: string, record: RecordLike): DataImage {
    const req = this.#req;
    req.sessionID = id;
    const cookieOptions =
      typeof this.#config.cookie === 'function' ? this.#config.cookie(req) : this.#config.cookie;
    const cookie = this.#factory.makeCookie(req, cookieOptions);
    // A browser-session cookie stays one; otherwise the cookie expires with the record.
    if (cookie.expires != null) {
      const originalMaxAge = cookie.originalMaxAge;
      cookie.expires = new Date(record.expiresAt);
      cookie.originalMaxAge = originalMaxAge;
    }
    const data: Record<string, unknown> = {};
    for (const key of Object.keys(record.data)) {
      if (key !== 'cookie') data[key] = record.data[key];
    }
    const session = new Session(req, data);
    session.cookie = cookie;
    req.session = session;
    this.#storedId = id;
    this.#storedExpiresAt = record.expiresAt;
    const image = imageSessionData(session);
    this.#snapshot = image.values;
    return image;
  }

  #failLoad(error: unknown): void {
    if (this.#config.storeErrors === 'respond') {
      const failure = describeSessionFailure(
        error instanceof SessionStoreError
          ? error
          : new SessionStoreError(this.#backend.records.name, 'read', error),
      );
      const res = this.#res;
      if (!res.headersSent) {
        res.statusCode = failure.status;
        for (const [name, value] of Object.entries(failure.headers)) res.setHeader(name, value);
      }
      res.end(failure.body);
      return;
    }
    this.#next(unwrapStoreError(error));
  }

  // ---- the response -------------------------------------------------------------------------

  #sendCookie(): void {
    const req = this.#req;
    const session = req.session;
    if (!session) return;
    if (!this.#shouldSetCookie()) return;
    if (req.sessionID === this.#goneLegacyId) return;
    if (session.cookie.secure && !isSecureRequest(req, this.#config.proxy)) return;
    if (!this.#touched) {
      session.touch();
      this.#touched = true;
    }
    try {
      const value = `s:${signSessionId(req.sessionID as string, this.#secrets[0]!)}`;
      const setCookie = serializeCookie(this.#config.name, value, session.cookie.data);
      const previous = this.#res.getHeader('Set-Cookie');
      const all =
        previous === undefined
          ? [setCookie]
          : Array.isArray(previous)
            ? [...previous, setCookie]
            : [String(previous), setCookie];
      this.#res.setHeader('Set-Cookie', all);
    } catch (error) {
      defer(this.#next, error);
    }
  }

  /**
   * Holds back the end of the response until the session is written (the body
   * but its last byte goes out at once), so a redirect never overtakes the
   * write; a second `end()` answers `false`.
   */
  #patchEnd(): void {
    const res = this.#res;
    const end = res.end as (...args: unknown[]) => ServerResponse;
    const write = res.write as (...args: unknown[]) => boolean;
    let ended = false;
    const lifecycle = this;
    res.end = function patchedEnd(this: ServerResponse, chunk?: unknown, encoding?: unknown) {
      if (ended) return false as unknown as ServerResponse;
      ended = true;
      let body = chunk;
      let bodyEncoding = encoding;
      let holding = true;
      let answer: unknown;
      const finish = (): void => {
        if (holding) {
          answer = end.call(res, body, bodyEncoding);
          holding = false;
          return;
        }
        end.call(res);
      };
      const writeAhead = (): unknown => {
        if (!holding) return answer;
        if (!res.headersSent) {
          const implicit = (res as unknown as { _implicitHeader?: () => void })._implicitHeader;
          if (implicit) implicit.call(res);
          else res.writeHead(res.statusCode);
        }
        if (body == null) {
          answer = true;
          return answer;
        }
        const contentLength = Number(res.getHeader('Content-Length'));
        if (!Number.isNaN(contentLength) && contentLength > 0) {
          const bytes = Buffer.isBuffer(body)
            ? body
            : Buffer.from(body as string, bodyEncoding as BufferEncoding | undefined);
          bodyEncoding = undefined;
          if (bytes.length !== 0) {
            // With a known length the last byte waits for the write, so the client waits too.
            answer = write.call(res, bytes.subarray(0, bytes.length - 1));
            body = bytes.subarray(bytes.length - 1);
            return answer;
          }
          body = bytes;
        }
        answer = write.call(res, body, bodyEncoding);
        holding = false;
        return answer;
      };
      const after = (error?: unknown): void => {
        // A session destroyed by a concurrent request stays destroyed: nothing to report.
        if (error && !(error instanceof SessionInterruptedError)) {
          defer(lifecycle.#next, unwrapStoreError(error));
        }
        finish();
      };

      lifecycle.#ending = true;
      try {
        return lifecycle.#endResponse(chunk, encoding, end, writeAhead, after);
      } finally {
        lifecycle.#ending = false;
        lifecycle.#endImage = undefined;
      }
    } as ServerResponse['end'];
  }

  /** express-session's decisions when the response ends: destroy, save, touch or nothing. */
  #endResponse(
    chunk: unknown,
    encoding: unknown,
    end: (...args: unknown[]) => ServerResponse,
    writeAhead: () => unknown,
    after: (error?: unknown) => void,
  ): ServerResponse {
    const res = this.#res;
    const req = this.#req;
    if (this.#shouldDestroy()) {
      this.#destroyRecord(req.sessionID as string).then(() => after(), after);
      return writeAhead() as ServerResponse;
    }
    const session = req.session;
    if (!session) return end.call(res, chunk, encoding);
    if (!this.#touched) {
      session.touch();
      this.#touched = true;
    }
    // A legacy session may move to a new id: its cookie waits for the write.
    const holdAll = this.#legacyId !== undefined;
    if (this.#shouldSave()) {
      session.save(after);
      return (holdAll ? res : writeAhead()) as ServerResponse;
    }
    if (
      this.#backend.canTouch &&
      this.#shouldTouch() &&
      !this.#skipsLegacyTouch(session) &&
      this.#isTouchDue(session)
    ) {
      this.#touchRecord(session).then(() => after(), after);
      return (holdAll ? res : writeAhead()) as ServerResponse;
    }
    return end.call(res, chunk, encoding);
  }

  // ---- the writes -----------------------------------------------------------------------------

  /** Runs `write` after this request's earlier writes. */
  #queue(write: () => Promise<void>): Promise<void> {
    const run = this.#writes.then(write, write);
    this.#writes = run.catch(() => {});
    return run;
  }

  #destroyRecord(id: string): Promise<void> {
    return this.#queue(async () => {
      const { legacy } = this.#backend;
      if (legacy && this.#legacyId === id) {
        await legacy.destroy(id);
        this.#legacyId = undefined;
      } else {
        await this.#backend.records.destroy(this.#backend.keyOf(id));
      }
      if (this.#storedId === id) this.#storedId = undefined;
    });
  }

  #touchRecord(session: Session): Promise<void> {
    const id = session.id;
    const expiresAt = expiryOf(session);
    const { touchStored, records, keyOf, legacy } = this.#backend;
    // Only a legacy session's touch may move it, with its data as it is now.
    const image = legacy ? this.#image(session) : undefined;
    return this.#queue(async () => {
      if (image && this.#legacyId === id && this.#storedId === id) {
        await this.#moveLegacy(session, id, image, { set: {}, remove: [], expiresAt });
        return;
      }
      if (touchStored) await touchStored(id, session);
      else await records.touch(keyOf(id), expiresAt);
      if (this.#storedId === id) this.#storedExpiresAt = expiresAt;
    });
  }

  /**
   * Writes `session`: the keys that changed since it was read or last written
   * (a concurrent request's other keys survive), or the whole record when it
   * is new. A record destroyed meanwhile is not brought back.
   */
  #persist(session: Session, image: DataImage): Promise<void> {
    const id = session.id;
    const expiresAt = expiryOf(session);
    const { storeFresh } = this.#backend;
    const cookie: unknown = storeFresh ? JSON.parse(JSON.stringify(session.cookie)) : undefined;
    return this.#queue(async () => {
      const { records, keyOf } = this.#backend;
      const key = keyOf(id);
      if (this.#storedId === id) {
        const set: StoredData = {};
        const remove: string[] = [];
        for (const [name, json] of image.values) {
          if (this.#snapshot.get(name) !== json) set[name] = JSON.parse(json);
        }
        for (const name of this.#snapshot.keys()) if (!image.values.has(name)) remove.push(name);
        if (this.#legacyId === id) {
          await this.#moveLegacy(session, id, image, { set, remove, expiresAt });
          return;
        }
        if (!(await records.update(key, { set, remove, expiresAt }))) {
          this.#storedId = undefined;
          throw new SessionInterruptedError();
        }
      } else if (storeFresh && this.#factory.isFresh(id)) {
        const data = parseImageData<StoredData>(image);
        const record = { data, expiresAt, createdAt: Date.now(), userId: null };
        await storeFresh(id, record, cookie as object);
      } else {
        const data = parseImageData<StoredData>(image);
        const record = { data, expiresAt, createdAt: Date.now(), userId: null };
        if (!(await records.create(key, record))) {
          throw new Error(
            `Session id "${id}" is already in use: Tessera never overwrites another session; make genid() return unique ids.`,
          );
        }
      }
      this.#storedId = id;
      this.#storedExpiresAt = expiresAt;
      this.#snapshot = image.values;
    });
  }

  /**
   * With `upgradeTo`: writes a legacy session by moving it into the Tessera
   * store under a fresh id (see upgrade-legacy-sessions.ts); in place when the
   * response can no longer carry a new cookie; nothing when it was destroyed meanwhile.
   */
  async #moveLegacy(session: Session, id: string, image: DataImage, delta: SessionDelta) {
    const { legacy, keyOf } = this.#backend;
    const newId = this.#factory.newId();
    const req = this.#req;
    const outcome = await legacy!.move({
      id,
      newKey: keyOf(newId),
      delta,
      canHandOver: () =>
        !this.#res.headersSent &&
        req.session === session &&
        !(session.cookie.secure && !isSecureRequest(req, this.#config.proxy)),
      handOver: () => {
        Object.defineProperty(session, 'id', { value: newId });
        req.sessionID = newId;
        this.#legacyId = undefined;
        this.#storedId = newId;
        this.#storedExpiresAt = delta.expiresAt;
        this.#snapshot = image.values;
      },
    });
    if (outcome === 'kept') {
      this.#storedId = id;
      this.#storedExpiresAt = delta.expiresAt;
      this.#snapshot = image.values;
    } else if (outcome === 'gone') {
      this.#goneLegacyId = id;
      this.#legacyId = undefined;
      this.#storedId = undefined;
      throw new SessionInterruptedError();
    }
  }

  /**
   * With `upgradeTo`, a legacy session is not touched when the touch cannot
   * extend what the browser holds: without `rolling`, a cookie with an expiry
   * is not sent again, and it expires when the legacy record does. The session
   * then stays where it is until a write that matters moves it.
   */
  #skipsLegacyTouch(session: Session): boolean {
    return this.#legacyId === session.id && !this.#config.rolling && session.cookie.expires != null;
  }

  /**
   * Whether an unchanged session's stored expiry lags enough behind its
   * cookie's to be refreshed: always on an express-session store (as
   * express-session); on a Tessera store once it lags by `touchAfterMs` (or a
   * tenth of the session's lifetime, when shorter), as Tessera's own
   * `touchAfter`, and whenever the request shortened the expiry.
   */
  #isTouchDue(session: Session): boolean {
    const stored = this.#storedExpiresAt;
    const { touchAfterMs } = this.#backend;
    if (touchAfterMs === 0 || stored === undefined || this.#storedId !== session.id) return true;
    if (this.#legacyId === session.id) return true;
    const expiresAt = expiryOf(session);
    const lag = expiresAt - stored;
    return lag < 0 || lag >= Math.min(touchAfterMs, (expiresAt - Date.now()) / 10);
  }

  // ---- the session's methods (SessionRequestHooks) --------------------------------------------

  save(session: Session, callback: SessionCallback): void {
    const image = this.#image(session);
    this.#savedHash = image.json;
    this.#persist(session, image).then(() => callback(), callback);
  }

  reload(session: Session, callback: SessionCallback): void {
    const id = session.id;
    this.#readRecord(id).then(
      (record) => {
        if (!record) {
          callback(new Error('failed to load session'));
          return;
        }
        this.#revive(id, record as RecordLike);
        callback();
      },
      (error: unknown) => callback(unwrapStoreError(error)),
    );
  }

  regenerate(session: Session, callback: SessionCallback): void {
    this.#destroyRecord(session.id).then(
      () => {
        this.#factory.generate(this.#req);
        this.#storedId = undefined;
        this.#snapshot = new Map();
        callback();
      },
      (error: unknown) => {
        this.#factory.generate(this.#req);
        callback(unwrapStoreError(error));
      },
    );
  }

  destroy(session: Session, callback: SessionCallback): void {
    delete this.#req.session;
    this.#destroyRecord(session.id).then(
      () => callback(),
      (error: unknown) => callback(unwrapStoreError(error)),
    );
  }
}

/** What the lifecycle reads of a stored record. */
interface RecordLike {
  data: StoredData;
  expiresAt: number;
}
