/**
 * A session's data serialised once: each key's JSON (to find the keys a
 * request changed) and, built from them, the JSON of the whole data (the
 * change hash express-session computes, and the record a new session stores).
 * @module
 */

/** A session's data as JSON, at one moment. */
export interface DataImage {
  /** The data without `cookie` as `JSON.stringify` writes it: equal strings, equal data. */
  readonly json: string;
  /** Each key's JSON, in the data's order; keys JSON leaves out (`undefined`, functions) are absent. */
  readonly values: ReadonlyMap<string, string>;
}

/** The image of `session`'s own enumerable keys but `cookie`, each value serialised once. */
export function imageSessionData(session: object): DataImage {
  const values = new Map<string, string>();
  const fields = session as Record<string, unknown>;
  let json = '';
  for (const key of Object.keys(session)) {
    if (key === 'cookie') continue;
    const value = JSON.stringify(fields[key]);
    if (value === undefined) continue;
    json += `${json === '' ? '' : ','}${JSON.stringify(key)}:${value}`;
    values.set(key, value);
  }
  return { json: `{${json}}`, values };
}

/** The data of an image as the stored record holds it: a copy the request can no longer change. */
export function parseImageData<Data>(image: DataImage): Data {
  return JSON.parse(image.json) as Data;
}
