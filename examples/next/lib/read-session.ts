import { cache } from 'react';
import { sessions } from './sessions';

/** The session for Server Components (read-only), loaded once per render. */
export const readSession = cache(() => sessions.read());
