/**
 * `@SkipCsrf()`: leaves a route or a controller out of the CSRF check.
 * @module
 */

import { type CustomDecorator, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';

/** The metadata key {@link SkipCsrf} sets and {@link CsrfGuard} reads. */
export const SKIP_CSRF_METADATA = 'tessera-session:skip-csrf';

/** Reads the marks (stateless: one for the whole process). */
const reflector = new Reflector();

/**
 * Marks a route handler, or every route of a controller, as exempt from
 * {@link CsrfGuard}: for a webhook, or an API authenticated by something else
 * than the session cookie.
 *
 * ```ts
 * @Post('webhook')
 * @SkipCsrf()
 * receive(@Body() event: unknown): void {}
 * ```
 */
export function SkipCsrf(): CustomDecorator<string> {
  return SetMetadata(SKIP_CSRF_METADATA, true);
}

/** Whether the handler or its controller class is marked {@link SkipCsrf}. */
export function isCsrfSkipped(handler: object, controller: object): boolean {
  return (
    reflector.getAllAndOverride<boolean | undefined>(SKIP_CSRF_METADATA, [
      handler as () => unknown,
      controller as () => unknown,
    ]) === true
  );
}
