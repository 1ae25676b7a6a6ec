/** Messages between the orchestrator and the load-generator process (`load.ts`). */

export interface MeasureRequest {
  id: number;
  /** Server origin, e.g. `http://127.0.0.1:4000`. */
  url: string;
  /** Request path, e.g. `/hit`. */
  path: string;
  connections: number;
  durationSec: number;
  /** `name=value` cookie pairs; request n carries cookie n mod length. */
  cookies: string[];
}

export interface Measurement {
  /** Mean requests per second. */
  rps: number;
  /** Latency percentiles and mean, in milliseconds. */
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  durationSec: number;
}

export type LoadReply =
  | { id: number; ok: true; measurement: Measurement }
  | { id: number; ok: false; error: string };
