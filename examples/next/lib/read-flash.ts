import { headers } from 'next/headers';
import { FLASH_HEADER } from './session-data';

/**
 * The flash messages proxy.ts popped for this page (a Server Component cannot
 * pop them itself: that changes the session, and it cannot set cookies).
 */
export async function readFlash(): Promise<string[]> {
  const value = (await headers()).get(FLASH_HEADER);
  if (value === null) return [];
  try {
    const messages: unknown = JSON.parse(decodeURIComponent(value));
    return Array.isArray(messages) ? messages.map(String) : [];
  } catch {
    return [];
  }
}
