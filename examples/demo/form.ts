/**
 * Reading fields of urlencoded form posts.
 *
 * @module
 */
import type { Request } from 'express';

/**
 * The value of one form field, or `undefined` when it is missing or not a
 * single string (the body is absent, the field repeated, …).
 */
export function formField(req: Request, name: string): string | undefined {
  const body: unknown = req.body;
  if (typeof body !== 'object' || body === null || !Object.hasOwn(body, name)) return undefined;
  const value: unknown = (body as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}
