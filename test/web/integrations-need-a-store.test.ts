/**
 * Every integration built on tessera-session/web refuses to start without a
 * store (there is no Node default where they may run), naming the option and
 * what to pass, with one message (the kit's requireStore()).
 */
import { describe, expect, it } from 'vitest';
import { SessionConfigError } from '../../src/core/index.js';
import { createSessionMiddleware as createAstroMiddleware } from '../../src/integrations/astro/index.js';
import { createH3Sessions } from '../../src/integrations/h3/index.js';
import { createTesseraSessionStorage } from '../../src/integrations/react-router/index.js';
import { createSessionHandle } from '../../src/integrations/sveltekit/index.js';
import { createSessions } from '../../src/web/index.js';

const FACTORIES: [string, () => unknown][] = [
  ['tessera-session/web createSessions()', () => createSessions({} as never)],
  ['tessera-session/sveltekit createSessionHandle()', () => createSessionHandle({} as never)],
  ['tessera-session/astro createSessionMiddleware()', () => createAstroMiddleware({} as never)],
  ['tessera-session/h3 createH3Sessions()', () => createH3Sessions({} as never)],
  [
    'tessera-session/react-router createTesseraSessionStorage()',
    () => createTesseraSessionStorage({} as never),
  ],
];

describe('integrations without a store', () => {
  it.each(FACTORIES)(
    '%s throws at creation, naming "store" and the stores to pass',
    (_name, create) => {
      expect(create).toThrow(SessionConfigError);
      expect(create).toThrow(/"store" is required.*createSqliteStore\(\).*createMemoryStore\(\)/);
    },
  );
});
