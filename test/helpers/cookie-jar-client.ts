/**
 * A tiny HTTP client with a cookie jar, over global `fetch`: it sends the
 * cookies it was given back on every request, honours `Max-Age=0` and past
 * `Expires` as deletion, and can follow redirects itself (fetch runs with
 * `redirect: 'manual'`, so every `Set-Cookie` along the way is seen).
 *
 * One jar stands for one browser talking to one server; cookie paths and
 * domains are not tracked.
 *
 * @module
 */

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

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Follow redirects (303 and 301/302 become GET; 307/308 keep the method). @default false */
  follow?: boolean;
}

/** One parsed `Set-Cookie` header. */
export interface ParsedSetCookie {
  name: string;
  value: string;
  /** Lower-cased attribute names and their values (`''` for flags). */
  attributes: Map<string, string>;
  /** Whether this header deletes the cookie (Max-Age ≤ 0 or Expires in the past). */
  deletes: boolean;
}

const MAX_REDIRECTS = 10;

/** Parses one `Set-Cookie` header value (RFC 6265 §5.2, leniently). */
export function parseSetCookie(header: string, now = Date.now()): ParsedSetCookie {
  const [pair = '', ...parts] = header.split(';');
  const eq = pair.indexOf('=');
  const name = (eq === -1 ? '' : pair.slice(0, eq)).trim();
  const value = (eq === -1 ? pair : pair.slice(eq + 1)).trim();
  const attributes = new Map<string, string>();
  for (const part of parts) {
    const at = part.indexOf('=');
    const key = (at === -1 ? part : part.slice(0, at)).trim().toLowerCase();
    if (key !== '') attributes.set(key, at === -1 ? '' : part.slice(at + 1).trim());
  }
  const maxAge = attributes.get('max-age');
  const expires = attributes.get('expires');
  let deletes = false;
  if (maxAge !== undefined && /^-?[0-9]+$/.test(maxAge)) deletes = Number(maxAge) <= 0;
  else if (expires !== undefined) deletes = Date.parse(expires) <= now;
  return { name, value, attributes, deletes };
}

export class CookieJarClient {
  readonly #baseUrl: string;
  readonly #cookies = new Map<string, string>();

  /** @param baseUrl e.g. `http://127.0.0.1:3000` */
  constructor(baseUrl: string) {
    this.#baseUrl = baseUrl;
  }

  /** The value of a cookie in the jar. */
  cookie(name: string): string | undefined {
    return this.#cookies.get(name);
  }

  /** All cookies in the jar, as a fresh object. */
  cookies(): Record<string, string> {
    return Object.fromEntries(this.#cookies);
  }

  /** Puts a cookie in the jar, as if the server had set it. */
  setCookie(name: string, value: string): void {
    this.#cookies.set(name, value);
  }

  /** Removes one cookie from the jar. */
  deleteCookie(name: string): void {
    this.#cookies.delete(name);
  }

  /** Empties the jar. */
  clearCookies(): void {
    this.#cookies.clear();
  }

  /** The `Cookie` header the next request will send, or `undefined`. */
  cookieHeader(): string | undefined {
    if (this.#cookies.size === 0) return undefined;
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

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
        throw new Error(`More than ${MAX_REDIRECTS} redirects`);
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
    const cookie = this.cookieHeader();
    const response = await fetch(url, {
      method,
      redirect: 'manual',
      headers: cookie === undefined ? headers : { ...headers, cookie },
      ...(body === undefined ? {} : { body }),
    });
    const setCookies = response.headers.getSetCookie();
    for (const header of setCookies) {
      const parsed = parseSetCookie(header);
      if (parsed.name === '') continue;
      if (parsed.deletes) this.#cookies.delete(parsed.name);
      else this.#cookies.set(parsed.name, parsed.value);
    }
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
