/**
 * A tiny HTTP client with a cookie jar: it sends the jar's cookies on every
 * request, stores the cookies the server sets, and can follow redirects
 * itself (requests run with `redirect: 'manual'`, so every `Set-Cookie` along
 * the way is seen).
 * @module
 */

import { CookieJar } from './cookie-jar.js';

/** A response, its body already read. */
export interface JarResponse {
  status: number;
  headers: Headers;
  /** The body as text. */
  text: string;
  /** The URL that answered (after redirects). */
  url: string;
  /** The `Set-Cookie` headers of this response only. */
  setCookies: string[];
  /** The responses that redirected to this one, oldest first (when following). */
  redirects: JarResponse[];
}

/** Options of {@link CookieJarClient.request}. */
export interface RequestOptions {
  /** @default 'GET' */
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Follow redirects (303 and 301/302 become GET; 307/308 keep the method). @default false */
  follow?: boolean;
}

/** How requests are sent: global `fetch`, or anything with its shape. */
export type FetchFunction = (url: string, init: RequestInit) => Promise<Response>;

/** Options of the {@link CookieJarClient} constructor. */
export interface CookieJarClientOptions {
  /** The jar to use, e.g. one shared with a test client. @default a new, empty jar */
  jar?: CookieJar;
  /** Sends the requests. @default global `fetch` */
  fetch?: FetchFunction;
}

const MAX_REDIRECTS = 10;

/**
 * One browser talking to one server.
 *
 * @example
 * ```ts
 * const client = new CookieJarClient('http://127.0.0.1:3000');
 * await client.post('/login', { username: 'ann' }, { follow: true });
 * client.cookie('sessionid'); // the session cookie the server set
 * ```
 */
export class CookieJarClient {
  /** The cookies this client sends. */
  readonly jar: CookieJar;
  readonly #baseUrl: string;
  readonly #fetch: FetchFunction;

  /** @param baseUrl e.g. `http://127.0.0.1:3000` */
  constructor(baseUrl: string, options: CookieJarClientOptions = {}) {
    this.#baseUrl = baseUrl;
    this.jar = options.jar ?? new CookieJar();
    this.#fetch = options.fetch ?? ((url, init) => fetch(url, init));
  }

  /** The value of a cookie in the jar. */
  cookie(name: string): string | undefined {
    return this.jar.get(name);
  }

  /** All cookies in the jar, as a fresh object. */
  cookies(): Record<string, string> {
    return this.jar.toObject();
  }

  /** Puts a cookie in the jar, as if the server had set it. */
  setCookie(name: string, value: string): void {
    this.jar.set(name, value);
  }

  /** Removes one cookie from the jar. */
  deleteCookie(name: string): void {
    this.jar.delete(name);
  }

  /** Empties the jar. */
  clearCookies(): void {
    this.jar.clear();
  }

  /** The `Cookie` header the next request will send, or `undefined`. */
  cookieHeader(): string | undefined {
    return this.jar.header();
  }

  /** Sends a GET request. */
  get(path: string, options: Omit<RequestOptions, 'method' | 'body'> = {}): Promise<JarResponse> {
    return this.request(path, { ...options, method: 'GET' });
  }

  /** Posts an urlencoded form. */
  post(
    path: string,
    form: Record<string, string> | URLSearchParams = {},
    options: Omit<RequestOptions, 'method' | 'body'> = {},
  ): Promise<JarResponse> {
    return this.request(path, {
      ...options,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...options.headers },
      body: new URLSearchParams(form).toString(),
    });
  }

  /** Sends a request with the jar's cookies and stores the cookies the server sets. */
  async request(path: string, options: RequestOptions = {}): Promise<JarResponse> {
    const redirects: JarResponse[] = [];
    let url = new URL(path, this.#baseUrl).toString();
    let method = options.method ?? 'GET';
    let body = options.body;
    let headers = { ...options.headers };
    for (;;) {
      const response = await this.#send(url, method, headers, body);
      const location = response.headers.get('location');
      if (!options.follow || location === null || response.status < 300 || response.status > 399) {
        return { ...response, redirects };
      }
      if (redirects.length >= MAX_REDIRECTS)
        throw new Error(`More than ${MAX_REDIRECTS} redirects, the last to ${location}`);
      redirects.push(response);
      url = new URL(location, url).toString();
      if (response.status !== 307 && response.status !== 308) {
        method = 'GET';
        body = undefined;
        headers = Object.fromEntries(
          Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'content-type'),
        );
      }
    }
  }

  async #send(
    url: string,
    method: string,
    headers: Record<string, string>,
    body: string | undefined,
  ): Promise<JarResponse> {
    const cookie = this.jar.header();
    const response = await this.#fetch(url, {
      method,
      redirect: 'manual',
      headers: cookie === undefined ? headers : { ...headers, cookie },
      ...(body === undefined ? {} : { body }),
    });
    const setCookies = response.headers.getSetCookie();
    this.jar.storeSetCookies(setCookies);
    return {
      status: response.status,
      headers: response.headers,
      text: await response.text(),
      url,
      setCookies,
      redirects: [],
    };
  }
}
