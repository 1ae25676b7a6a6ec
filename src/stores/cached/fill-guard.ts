/**
 * Keeps a cache fill from putting back data older than a write (within this
 * process). A read that misses the cache reads the durable store and then
 * fills the cache; if a write to the same session runs in between, the data
 * read may predate it while the write's invalidation has already happened,
 * and the fill would leave that old copy in the cache for good. So a fill is
 * skipped when a write of its key (or of every key: `destroyUserSessions`)
 * was in progress when it started or began before it ended.
 *
 * @module
 */

/** One read that may fill the cache. */
export interface FillTicket {
  /** Whether the data read may still go into the cache. */
  readonly mayFill: boolean;
  /** Call when the read is over (filled or not). */
  end(): void;
}

/** Writes and fills in progress, per key. */
export interface FillGuard {
  /** Call before reading the durable store for a fill. */
  beginFill(key: string): FillTicket;
  /** Call before writing `key`; the returned function when the write and its invalidation are over. */
  beginWrite(key: string): () => void;
  /** Like {@link beginWrite} for a write whose keys are not all known in advance. */
  beginWriteOfAll(): () => void;
}

interface Ticket extends FillTicket {
  mayFill: boolean;
}

/** A new, empty {@link FillGuard}. */
export function createFillGuard(): FillGuard {
  const writes = new Map<string, number>();
  let writesOfAll = 0;
  const tickets = new Map<string, Set<Ticket>>();

  function spoil(ticketsOfKey: Iterable<Ticket> | undefined): void {
    for (const ticket of ticketsOfKey ?? []) ticket.mayFill = false;
  }

  return {
    beginFill(key) {
      let own = tickets.get(key);
      if (own === undefined) {
        own = new Set();
        tickets.set(key, own);
      }
      const set = own;
      const ticket: Ticket = {
        mayFill: writesOfAll === 0 && !writes.has(key),
        end() {
          set.delete(ticket);
          if (set.size === 0 && tickets.get(key) === set) tickets.delete(key);
        },
      };
      set.add(ticket);
      return ticket;
    },

    beginWrite(key) {
      writes.set(key, (writes.get(key) ?? 0) + 1);
      spoil(tickets.get(key));
      return once(() => {
        const left = (writes.get(key) ?? 1) - 1;
        if (left === 0) writes.delete(key);
        else writes.set(key, left);
      });
    },

    beginWriteOfAll() {
      writesOfAll += 1;
      for (const ticketsOfKey of tickets.values()) spoil(ticketsOfKey);
      return once(() => {
        writesOfAll -= 1;
      });
    },
  };
}

function once(action: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    action();
  };
}
