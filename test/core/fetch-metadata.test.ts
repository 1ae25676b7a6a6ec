import { describe, expect, it } from 'vitest';
import { SessionConfigError } from '../../src/core/errors.js';
import {
  checkFetchMetadata,
  DEFAULT_FETCH_METADATA_OPTIONS,
  FETCH_METADATA_FAILURE,
  type FetchMetadataOptions,
  isCrossSiteRequest,
  readFetchMetadata,
  resolveFetchMetadataOptions,
} from '../../src/core/fetch-metadata.js';

/** A browser's top-level navigation from `site`. */
const navigation = (site: string, method = 'GET') => ({
  site,
  mode: 'navigate',
  dest: 'document',
  method,
});

describe('checkFetchMetadata() with the defaults', () => {
  it.each([
    ['no header (an older browser, curl)', { site: undefined }],
    ['an empty header', { site: '' }],
    ['same-origin', navigation('same-origin')],
    ['none (typed address, bookmark)', navigation('none')],
    [
      'a same-origin fetch() POST',
      { site: 'same-origin', mode: 'cors', dest: 'empty', method: 'POST' },
    ],
  ])('allows %s', (_name, request) => {
    expect(checkFetchMetadata(request)).toBe(true);
  });

  it.each([
    ['a cross-site link (top-level GET navigation)', navigation('cross-site')],
    ['a cross-site form POST', navigation('cross-site', 'POST')],
    ['a cross-site <img>', { site: 'cross-site', mode: 'no-cors', dest: 'image', method: 'GET' }],
    ['a cross-site fetch()', { site: 'cross-site', mode: 'cors', dest: 'empty', method: 'GET' }],
    ['same-site (a sibling subdomain)', navigation('same-site')],
    ['an unknown value (fail closed)', navigation('same-origin, cross-site')],
    ['a value in another case', navigation('Same-Origin')],
  ])('refuses %s', (_name, request) => {
    expect(checkFetchMetadata(request)).toBe(false);
  });
});

describe('checkFetchMetadata() options', () => {
  it('allowSameSite lets a sibling subdomain through, and still refuses cross-site', () => {
    const options = resolveFetchMetadataOptions({ allowSameSite: true });
    expect(checkFetchMetadata(navigation('same-site', 'POST'), options)).toBe(true);
    expect(checkFetchMetadata(navigation('cross-site'), options)).toBe(false);
  });

  it('allowCrossSiteNavigation lets only GET navigations through (the web.dev resource-isolation policy)', () => {
    const options = resolveFetchMetadataOptions({ allowCrossSiteNavigation: true });
    expect(checkFetchMetadata(navigation('cross-site'), options)).toBe(true);
    expect(checkFetchMetadata({ ...navigation('cross-site'), dest: 'iframe' }, options)).toBe(true);
    expect(checkFetchMetadata(navigation('cross-site', 'POST'), options)).toBe(false);
    expect(checkFetchMetadata({ ...navigation('cross-site'), dest: 'object' }, options)).toBe(
      false,
    );
    expect(checkFetchMetadata({ ...navigation('cross-site'), dest: 'embed' }, options)).toBe(false);
    expect(
      checkFetchMetadata(
        { site: 'cross-site', mode: 'no-cors', dest: 'image', method: 'GET' },
        options,
      ),
    ).toBe(false);
  });

  it('has frozen defaults that refuse same-site and cross-site navigations', () => {
    expect(Object.isFrozen(DEFAULT_FETCH_METADATA_OPTIONS)).toBe(true);
    expect(DEFAULT_FETCH_METADATA_OPTIONS).toEqual({
      allowSameSite: false,
      allowCrossSiteNavigation: false,
    });
    expect(Object.isFrozen(resolveFetchMetadataOptions({ allowSameSite: true }))).toBe(true);
  });

  it('rejects an unknown key with a SessionConfigError naming it', () => {
    const typo = { allowSamesite: true } as unknown as FetchMetadataOptions;
    expect(() => resolveFetchMetadataOptions(typo)).toThrow(SessionConfigError);
    expect(() => resolveFetchMetadataOptions(typo)).toThrow(/unknown option "allowSamesite"/);
  });

  it('rejects a value that is not a boolean, naming the option', () => {
    const options = { allowSameSite: 'yes' } as unknown as FetchMetadataOptions;
    expect(() => resolveFetchMetadataOptions(options)).toThrow(
      /option "allowSameSite" must be true or false, got "yes"/,
    );
    expect(() => resolveFetchMetadataOptions(null as unknown as FetchMetadataOptions)).toThrow(
      SessionConfigError,
    );
  });

  it('leaves the options object unchanged', () => {
    const options = Object.freeze({ allowSameSite: true, allowCrossSiteNavigation: undefined });
    resolveFetchMetadataOptions(options);
    expect(options).toEqual({ allowSameSite: true, allowCrossSiteNavigation: undefined });
  });
});

describe('reading the headers', () => {
  it('reads a Web Headers object and a Node header record alike', () => {
    const web = new Headers({ 'Sec-Fetch-Site': 'cross-site', 'Sec-Fetch-Mode': 'navigate' });
    const node = { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' };
    const expected = { site: 'cross-site', mode: 'navigate', dest: undefined, method: 'GET' };
    expect(readFetchMetadata(web, 'GET')).toEqual(expected);
    expect(readFetchMetadata(node, 'GET')).toEqual(expected);
    expect(isCrossSiteRequest(web)).toBe(true);
    expect(isCrossSiteRequest(node)).toBe(true);
    expect(isCrossSiteRequest({ 'sec-fetch-site': 'same-origin' })).toBe(false);
    expect(isCrossSiteRequest({})).toBe(false);
  });

  it('refuses a header sent twice (joined, it is no valid value)', () => {
    const request = readFetchMetadata({ 'sec-fetch-site': ['same-origin', 'cross-site'] });
    expect(request.site).toBe('same-origin, cross-site');
    expect(checkFetchMetadata(request)).toBe(false);
  });

  it('is not fooled by a header named "get"', () => {
    expect(isCrossSiteRequest({ get: 'x', 'sec-fetch-site': 'cross-site' })).toBe(true);
  });
});

it('answers 403 plain text that varies on Sec-Fetch-Site and is never cached', () => {
  expect(FETCH_METADATA_FAILURE.status).toBe(403);
  expect(FETCH_METADATA_FAILURE.body).toBe('Cross-site request refused.\n');
  expect(FETCH_METADATA_FAILURE.headers).toEqual({
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
    Vary: 'Sec-Fetch-Site',
  });
  expect(Object.isFrozen(FETCH_METADATA_FAILURE.headers)).toBe(true);
});
