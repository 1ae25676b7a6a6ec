/**
 * The load generator, run as its own process (`node --import tsx bench/load.ts`,
 * started by `load-client.ts`). It receives {@link MeasureRequest}s over IPC,
 * runs autocannon against the server and replies with a {@link Measurement}.
 * Each request carries the next cookie of the list, round-robin across all
 * connections.
 */
import autocannon from 'autocannon';
import type { LoadReply, Measurement, MeasureRequest } from './load-protocol.js';

async function measure(request: MeasureRequest): Promise<Measurement> {
  const { cookies } = request;
  let next = 0;
  const result = await autocannon({
    url: request.url,
    connections: request.connections,
    duration: request.durationSec,
    requests: [
      {
        method: 'GET',
        path: request.path,
        setupRequest: (req) => {
          const cookie = cookies[next++ % cookies.length]!;
          return { ...req, headers: { ...req.headers, cookie } };
        },
      },
    ],
  });
  return {
    rps: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    meanMs: result.latency.average,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    durationSec: result.duration,
  };
}

function reply(message: LoadReply): void {
  process.send!(message);
}

if (!process.send) throw new Error('load.ts must be started with an IPC channel');
process.on('message', (request: MeasureRequest) => {
  measure(request).then(
    (measurement) => reply({ id: request.id, ok: true, measurement }),
    (error: unknown) => reply({ id: request.id, ok: false, error: String(error) }),
  );
});
// Ctrl-C reaches the whole process group: let the orchestrator decide, and
// leave when it disconnects.
process.on('SIGINT', () => {});
process.on('disconnect', () => process.exit(0));
