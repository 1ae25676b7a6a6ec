/** Medians over rounds and overhead against each competitor's bare baseline. */
import type { Competitor } from './competitors.js';
import type { Route } from './config.js';
import type { Measurement } from './load-protocol.js';

/** One measurement of one competitor on one route in one round. */
export interface RoundResult {
  round: number;
  competitor: string;
  route: Route;
  measurement: Measurement;
  /** For sessions on /hit: the sampled counters before and after the measurement. */
  counters?: { before: number[]; after: number[] };
}

export interface Summary {
  competitor: string;
  route: Route;
  baseline: string | null;
  rounds: number;
  rpsMedian: number;
  rpsMin: number;
  rpsMax: number;
  p99MsMedian: number;
  /** Extra time per request against the baseline, 1e6/rps − 1e6/rps(baseline); `null` for baselines. */
  overheadUs: number | null;
  /** rps / rps(baseline); `null` for baselines. */
  ratio: number | null;
  /** The competitor's peer (`Competitor.peer`), `null` when it has none. */
  peer: string | null;
  /** overheadUs / the peer's overheadUs on the same route; `null` without a measured peer. */
  overheadVsPeer: number | null;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function summarise(
  results: readonly RoundResult[],
  competitors: readonly Competitor[],
  routes: readonly Route[],
): Summary[] {
  const own = (competitor: string, route: Route) =>
    results.filter((r) => r.competitor === competitor && r.route === route);
  const medianRps = (competitor: string, route: Route) =>
    median(own(competitor, route).map((r) => r.measurement.rps));

  const summaries: Summary[] = [];
  for (const route of routes) {
    for (const competitor of competitors) {
      const rounds = own(competitor.name, route);
      if (rounds.length === 0) continue;
      const rps = rounds.map((r) => r.measurement.rps);
      const rpsMedian = median(rps);
      const baseline = competitor.baseline ?? null;
      const baseRps = baseline === null ? Number.NaN : medianRps(baseline, route);
      const compared = baseline !== null && Number.isFinite(baseRps);
      summaries.push({
        competitor: competitor.name,
        route,
        baseline,
        rounds: rounds.length,
        rpsMedian,
        rpsMin: Math.min(...rps),
        rpsMax: Math.max(...rps),
        p99MsMedian: median(rounds.map((r) => r.measurement.p99Ms)),
        overheadUs: compared ? 1e6 / rpsMedian - 1e6 / baseRps : null,
        ratio: compared ? rpsMedian / baseRps : null,
        peer: competitor.peer ?? null,
        overheadVsPeer: null,
      });
    }
  }
  for (const summary of summaries) {
    const peer = summaries.find((s) => s.competitor === summary.peer && s.route === summary.route);
    if (summary.overheadUs !== null && peer?.overheadUs != null && peer.overheadUs > 0) {
      summary.overheadVsPeer = summary.overheadUs / peer.overheadUs;
    }
  }
  return summaries;
}
