/**
 * Fetch Metadata protection, framework-free: refuses cross-site requests to
 * the routes it guards, from the `Sec-Fetch-*` headers browsers send with
 * every request (W3C Fetch Metadata Request Headers;
 * https://web.dev/articles/fetch-metadata).
 *
 * Why, beside the CSRF token (issue 10 §3 "Hardening"): the token guards
 * unsafe methods only, and `SameSite=Lax` still sends the session cookie on a
 * top-level GET from another site. So a link elsewhere to a state-changing
 * GET (the demo's `GET /counter/flush`) logged a visitor out. Browsers mark
 * that navigation `Sec-Fetch-Site: cross-site`, which a page cannot forge
 * (`Sec-` headers are forbidden to scripts).
 *
 * The policy, for the routes it is applied to:
 * - no `Sec-Fetch-Site` header: allowed (browsers before 2020–2023, and
 *   clients that are not browsers, which do not carry a victim's cookie);
 * - `same-origin`: allowed;
 * - `none` (the user typed the address, opened a bookmark): allowed;
 * - `same-site` (a sibling subdomain): refused unless `allowSameSite`;
 * - `cross-site`, or any other value: refused, unless
 *   `allowCrossSiteNavigation` and the request is a top-level GET navigation
 *   (the web.dev resource-isolation policy, for an app-wide check).
 *
 * No `node:` import: it runs on every runtime the core does.
 * @module
 */

import { reportCsrfRejection } from './csrf.js';
import { createDebugOutput, type DebugOutput } from './debug-output.js';
import { SessionConfigError } from './errors.js';

/** The request header that says where a request comes from, relative to its target. */
export const FETCH_SITE_HEADER = 'Sec-Fetch-Site';

/** What an adapter answers when the check fails: 403, plain text, never cached. */
export const FETCH_METADATA_FAILURE = Object.freeze({
  status: 403,
  body: 'Cross-site request refused.\n',
  headers: Object.freeze({
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
    // The answer depends on this request header: a cache must not serve this
    // 403 to a same-origin request (RFC 9110 §12.5.5).
    Vary: FETCH_SITE_HEADER,
  }) as Readonly<Record<string, string>>,
});

/** How the check is configured. Every option may be left out. */
export interface FetchMetadataOptions {
  /**
   * Allow `Sec-Fetch-Site: same-site`: requests from another origin of the
   * same site, such as a sibling subdomain (`blog.example.com` to
   * `app.example.com`). Off, because a sibling subdomain is another party as
   * far as state changes go (user content, a forgotten subdomain taken over),
   * as in Go's `net/http.CrossOriginProtection`. Turn it on when your own
   * pages on other subdomains link or post to the guarded routes.
   *
   * @defaultValue `false`
   */
  readonly allowSameSite?: boolean | undefined;
  /**
   * Allow a cross-site request that is a top-level navigation with GET
   * (`Sec-Fetch-Mode: navigate`, a destination other than `object`/`embed`):
   * the web.dev resource-isolation policy, for a check mounted on a whole app
   * whose pages other sites may link to. Leave it off on a route whose GET
   * changes state: such a link is exactly the attack.
   *
   * @defaultValue `false`
   */
  readonly allowCrossSiteNavigation?: boolean | undefined;
}

/** The options the check runs with once defaults are filled in. */
export type ResolvedFetchMetadataOptions = Readonly<{
  [Name in keyof FetchMetadataOptions]-?: Exclude<FetchMetadataOptions[Name], undefined>;
}>;

/** Defaults of {@link FetchMetadataOptions}: only same-origin requests and direct visits pass. */
export const DEFAULT_FETCH_METADATA_OPTIONS: ResolvedFetchMetadataOptions = Object.freeze({
  allowSameSite: false,
  allowCrossSiteNavigation: false,
});

const OPTION_KEYS: readonly string[] = Object.keys(DEFAULT_FETCH_METADATA_OPTIONS);

/**
 * Merges `options` over the defaults (without changing `options`) and checks
 * them. Adapters call it when their middleware is created.
 *
 * @throws {@link SessionConfigError} naming the option, for an unknown key or
 *   a value that is not a boolean.
 */
export function resolveFetchMetadataOptions(
  options: FetchMetadataOptions = {},
  factoryName = 'createFetchMetadataMiddleware()',
): ResolvedFetchMetadataOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new SessionConfigError(`${factoryName}: the options must be an object.`);
  }
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.includes(key)) {
      throw new SessionConfigError(
        `${factoryName}: unknown option ${JSON.stringify(key)}. Known options: ${OPTION_KEYS.join(', ')}.`,
      );
    }
  }
  const resolved = { ...DEFAULT_FETCH_METADATA_OPTIONS };
  for (const key of OPTION_KEYS as (keyof ResolvedFetchMetadataOptions)[]) {
    const value = options[key];
    if (value === undefined) continue;
    if (typeof value !== 'boolean') {
      throw new SessionConfigError(
        `${factoryName}: option "${key}" must be true or false, got ${typeof value === 'string' ? JSON.stringify(value) : String(value)}.`,
      );
    }
    resolved[key] = value;
  }
  return Object.freeze(resolved);
}

/** The Fetch Metadata of one request, as an adapter reads it. */
export interface FetchMetadataRequest {
  /** `Sec-Fetch-Site`: `same-origin`, `same-site`, `cross-site`, `none`, or absent. */
  readonly site: string | null | undefined;
  /** `Sec-Fetch-Mode`: `navigate`, `cors`, `no-cors`, `same-origin`, `websocket`. */
  readonly mode?: string | null | undefined;
  /** `Sec-Fetch-Dest`: `document`, `iframe`, `image`, `object`, `embed`, `empty`, … */
  readonly dest?: string | null | undefined;
  /** The request method. */
  readonly method?: string | undefined;
}

/** Request headers as frameworks give them: a Web `Headers`, or Node's lower-case record. */
export type HeadersLike =
  | {
      /** The header's value (a Web `Headers`, Hono's `c.req.header`-like getter). */
      get(name: string): string | null | undefined;
    }
  | Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * One request header, from a `Headers` or a record. An array (a header sent
 * twice, as Node gives some) is joined with `, `, which no valid value
 * contains: the check then refuses it.
 */
function readHeader(headers: HeadersLike, name: string): string | undefined {
  if (typeof headers.get === 'function') {
    return (headers as { get(name: string): string | null | undefined }).get(name) ?? undefined;
  }
  const value = (headers as Readonly<Record<string, string | readonly string[] | undefined>>)[
    name.toLowerCase()
  ];
  return Array.isArray(value) ? value.join(', ') : (value as string | undefined);
}

/** The Fetch Metadata of a request from its headers and method. */
export function readFetchMetadata(
  headers: HeadersLike,
  method?: string | undefined,
): FetchMetadataRequest {
  return {
    site: readHeader(headers, 'Sec-Fetch-Site'),
    mode: readHeader(headers, 'Sec-Fetch-Mode'),
    dest: readHeader(headers, 'Sec-Fetch-Dest'),
    method,
  };
}

/** Whether the browser says the request comes from another site (`Sec-Fetch-Site: cross-site`). */
export function isCrossSiteRequest(headers: HeadersLike): boolean {
  return readHeader(headers, 'Sec-Fetch-Site') === 'cross-site';
}

/**
 * The check: whether a request may reach a guarded route (see the module's
 * policy). Never throws on client input; an unknown `Sec-Fetch-Site` value is
 * refused (fail closed).
 *
 * A refusal is published on the `tessera:csrf:rejected` diagnostics channel
 * with reason `'cross-site'` (so the OpenTelemetry CSRF rejection counter
 * sees it), and written as a debug line under `NODE_DEBUG=tessera`: the check
 * has no session, so a manager's `debug` option does not reach it.
 *
 * @param options - resolved options ({@link resolveFetchMetadataOptions}); the defaults when left out.
 */
export function checkFetchMetadata(
  request: FetchMetadataRequest,
  options: ResolvedFetchMetadataOptions = DEFAULT_FETCH_METADATA_OPTIONS,
): boolean {
  if (isAllowedByFetchMetadata(request, options)) return true;
  reportCsrfRejection('cross-site', findNodeDebugOutput());
  return false;
}

function isAllowedByFetchMetadata(
  request: FetchMetadataRequest,
  options: ResolvedFetchMetadataOptions,
): boolean {
  const { site } = request;
  if (site === undefined || site === null || site === '') return true;
  if (site === 'same-origin' || site === 'none') return true;
  if (site === 'same-site' && options.allowSameSite) return true;
  return options.allowCrossSiteNavigation && isGetNavigation(request);
}

// The check belongs to no manager: only NODE_DEBUG turns its line on, read at
// the first refusal (as Node's util.debuglog reads it at first use), not per refusal.
let nodeDebugOutput: { output: DebugOutput | undefined } | undefined;

function findNodeDebugOutput(): DebugOutput | undefined {
  nodeDebugOutput ??= { output: createDebugOutput(undefined) };
  return nodeDebugOutput.output;
}

/** A navigation by GET that is not loading a plugin (web.dev: `object`/`embed` are resources). */
function isGetNavigation(request: FetchMetadataRequest): boolean {
  return (
    request.mode === 'navigate' &&
    request.method === 'GET' &&
    request.dest !== 'object' &&
    request.dest !== 'embed'
  );
}

/**
 * @internal The `Vary` value with `Sec-Fetch-Site` added to `current` (a
 * header set earlier, such as `Cookie`), or `current` when it already names
 * it or is `*`.
 */
export function varyOnFetchSite(current: string | null | undefined): string {
  if (current === null || current === undefined || current.trim() === '') return FETCH_SITE_HEADER;
  const names = current.split(',').map((name) => name.trim().toLowerCase());
  if (names.includes('*') || names.includes('sec-fetch-site')) return current;
  return `${current}, ${FETCH_SITE_HEADER}`;
}
