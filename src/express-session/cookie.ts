/**
 * express-session's `Cookie`: the session cookie's attributes, with `maxAge`
 * in milliseconds moving `expires`, kept per session (`req.session.cookie`).
 * @module
 */

import { serialize } from 'cookie';

/** The attributes a {@link Cookie} takes, as express-session's `cookie` option. */
export interface CookieOptions {
  /** Milliseconds until the cookie expires; `null`/unset: a browser-session cookie. */
  maxAge?: number | null | undefined;
  /** An absolute expiry; prefer `maxAge`. */
  expires?: Date | null | undefined;
  /** @default true */
  httpOnly?: boolean | undefined;
  /** @default '/' */
  path?: string | undefined;
  /** Domain attribute; unset means host-only. */
  domain?: string | undefined;
  /** Secure attribute; `'auto'`: set when the request is secure. */
  secure?: boolean | 'auto' | undefined;
  /** SameSite; `true` means Strict, `'auto'`: None when secure, else Lax. */
  sameSite?: boolean | 'lax' | 'strict' | 'none' | 'auto' | undefined;
  /** CHIPS `Partitioned` attribute. */
  partitioned?: boolean | undefined;
  /** `Priority` attribute. */
  priority?: 'low' | 'medium' | 'high' | undefined;
  /** The `maxAge` the cookie was created with (kept across requests). */
  originalMaxAge?: number | null | undefined;
}

/** What a cookie serialises to (`toJSON()`, `data`): as express-session stores it. */
export interface CookieData {
  originalMaxAge: number | null | undefined;
  partitioned: boolean | undefined;
  priority: 'low' | 'medium' | 'high' | undefined;
  expires: Date | null | undefined;
  secure: boolean | 'auto' | undefined;
  httpOnly: boolean | undefined;
  domain: string | undefined;
  path: string | undefined;
  sameSite: boolean | 'lax' | 'strict' | 'none' | 'auto' | undefined;
}

/**
 * A session's cookie (`req.session.cookie`), as express-session's: options
 * are applied in the order given (a later `expires` or `maxAge` wins), and
 * setting `maxAge` or `expires` during a request changes the cookie sent and
 * the session's expiry.
 */
export class Cookie {
  /** Cookie path. @default '/' */
  path: string | undefined = '/';
  /** Hide the cookie from scripts. @default true */
  httpOnly: boolean | undefined = true;
  /** Domain attribute. */
  declare domain: string | undefined;
  /** Secure attribute. */
  declare secure: boolean | 'auto' | undefined;
  /** SameSite attribute. */
  declare sameSite: boolean | 'lax' | 'strict' | 'none' | 'auto' | undefined;
  /** Partitioned attribute. */
  declare partitioned: boolean | undefined;
  /** Priority attribute. */
  declare priority: 'low' | 'medium' | 'high' | undefined;
  /** The lifetime the cookie was given, in milliseconds (`null` for a browser-session cookie). */
  declare originalMaxAge: number | null | undefined;
  /** @internal The absolute expiry (express-session's own field name, kept for code that reads it). */
  declare _expires: Date | null | undefined;

  /** Throws a `TypeError` when `options` is given and is not an object. */
  constructor(options?: CookieOptions) {
    this.maxAge = null;
    if (options !== undefined && options !== null) {
      if (typeof options !== 'object') throw new TypeError('argument options must be a object');
      for (const key of Object.keys(options)) {
        // `data` is a read-only view, never an option.
        if (key !== 'data')
          (this as Record<string, unknown>)[key] = (options as Record<string, unknown>)[key];
      }
    }
    if (this.originalMaxAge === undefined || this.originalMaxAge === null) {
      this.originalMaxAge = this.maxAge;
    }
  }

  /** The absolute expiry; setting it records the new lifetime in `originalMaxAge`. */
  get expires(): Date | null | undefined {
    return this._expires;
  }

  set expires(date: Date | null | undefined) {
    this._expires = date;
    this.originalMaxAge = this.maxAge;
  }

  /** Milliseconds left (`null` for a browser-session cookie); setting it moves `expires`. */
  get maxAge(): number | null | undefined {
    const expires = this._expires;
    return expires instanceof Date ? expires.valueOf() - Date.now() : (expires as null | undefined);
  }

  set maxAge(ms: number | Date | null | undefined) {
    if (ms && typeof ms !== 'number' && !(ms instanceof Date)) {
      throw new TypeError('maxAge must be a number or Date');
    }
    this.expires =
      typeof ms === 'number' ? new Date(Date.now() + ms) : (ms as Date | null | undefined);
  }

  /** The attributes, as stored and sent. */
  get data(): CookieData {
    return {
      originalMaxAge: this.originalMaxAge,
      partitioned: this.partitioned,
      priority: this.priority,
      expires: this._expires,
      secure: this.secure,
      httpOnly: this.httpOnly,
      domain: this.domain,
      path: this.path,
      sameSite: this.sameSite,
    };
  }

  /** `Set-Cookie` for `name=value` with these attributes (the value is URI-encoded). */
  serialize(name: string, value: string): string {
    return serializeCookie(name, value, this.data);
  }

  /** What `JSON.stringify` stores: {@link Cookie.data}. */
  toJSON(): CookieData {
    return this.data;
  }
}

/** `Set-Cookie` for `name=value` with express-session's cookie attributes (Expires, never Max-Age). */
export function serializeCookie(name: string, value: string, data: CookieData): string {
  const expires = data.expires instanceof Date ? data.expires : undefined;
  if (expires !== undefined && Number.isNaN(expires.getTime())) {
    throw new TypeError('option expires is invalid');
  }
  const sameSite = data.sameSite === 'auto' ? undefined : data.sameSite;
  return serialize(name, value, {
    ...(data.domain === undefined ? {} : { domain: data.domain }),
    ...(data.path === undefined ? {} : { path: data.path }),
    ...(expires === undefined ? {} : { expires }),
    ...(data.httpOnly ? { httpOnly: true } : {}),
    ...(data.secure === true ? { secure: true } : {}),
    ...(data.partitioned ? { partitioned: true } : {}),
    ...(data.priority === undefined ? {} : { priority: data.priority }),
    ...(sameSite === undefined || sameSite === false ? {} : { sameSite }),
  });
}
