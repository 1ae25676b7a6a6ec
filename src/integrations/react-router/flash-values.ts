/**
 * Where React Router's keyed flash values live in a Tessera session: one
 * Tessera flash queue holding one record, name → value. Reserved keys (`_…`)
 * are Tessera's, so the record never meets an application key, and it is
 * saved as a delta like any other key.
 * @module
 */

import type { Session } from '../../core/index.js';

/**
 * The Tessera flash queue holding React Router's flash values
 * (`session.flash('error', msg)` in React Router's API): read it from Tessera
 * code with `session.tessera.peekFlash('react-router')`.
 */
export const REACT_ROUTER_FLASH_QUEUE = 'react-router';

/** The flash values set and not yet read, name → value; `{}` when none. */
export type FlashValues = Readonly<Record<string, unknown>>;

const NO_FLASH: FlashValues = Object.freeze({});

/** The flash values waiting in `session`, without consuming them. */
export function peekFlashValues(session: Session): FlashValues {
  const [values] = session.peekFlash<FlashValues>(REACT_ROUTER_FLASH_QUEUE);
  return isFlashRecord(values) ? values : NO_FLASH;
}

/** Whether a flash value named `name` waits in `session`. */
export function hasFlashValue(session: Session, name: string): boolean {
  return Object.hasOwn(peekFlashValues(session), name);
}

/** Sets (or replaces) the flash value `name`. */
export function writeFlashValue(session: Session, name: string, value: unknown): void {
  replaceFlashValues(session, { ...peekFlashValues(session), [name]: value });
}

/** Answers the flash value `name` and removes it; `undefined` when there is none. */
export function takeFlashValue(session: Session, name: string): unknown {
  const values = peekFlashValues(session);
  if (!Object.hasOwn(values, name)) return undefined;
  const { [name]: taken, ...rest } = values;
  replaceFlashValues(session, rest);
  return taken;
}

function replaceFlashValues(session: Session, values: FlashValues): void {
  session.popFlash(REACT_ROUTER_FLASH_QUEUE);
  if (Object.keys(values).length > 0) session.flash(values, { queue: REACT_ROUTER_FLASH_QUEUE });
}

function isFlashRecord(value: unknown): value is FlashValues {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
