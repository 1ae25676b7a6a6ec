// Sessions on node:http, their metrics scraped by Prometheus from /metrics.
import { createServer } from 'node:http';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { createSessionHandler } from '../../src/adapters/node/index.js';
import { instrumentSessions } from '../../src/opentelemetry/index.js';
import { createSqliteStore } from '../../src/stores/sqlite/index.js';

// The exporter is a MetricReader answering Prometheus' scrapes. With
// preventServerStart it opens no port of its own: the app serves /metrics.
const exporter = new PrometheusExporter({ preventServerStart: true });
const meterProvider = new MeterProvider({ readers: [exporter] });
const instrumentation = instrumentSessions({ meterProvider, spans: false });

const withSession = createSessionHandler({
  store: createSqliteStore({ path: process.env.SESSION_DB ?? '.tessera/sessions.db' }),
});

const app = withSession<{ visits: number }>(async (req, res, session) => {
  if (req.method === 'POST' && req.url === '/login') session.login('ann'); // a rotation
  if (req.method === 'POST' && req.url === '/logout') session.logout(); // a destruction
  if (req.method === 'GET' && req.url === '/') session.set('visits', session.get('visits', 0) + 1);
  res.end(`visits: ${session.get('visits', 0)}\n`);
});

const server = createServer((req, res) => {
  // Keep /metrics off the public internet: bind it to a private interface or guard it.
  if (req.url === '/metrics') return exporter.getMetricsRequestHandler(req, res);
  return app(req, res);
});

server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : undefined;
  console.log(`listening on http://127.0.0.1:${port}`);
});

process.once('SIGTERM', () => {
  server.close(async () => {
    instrumentation.disable();
    await meterProvider.shutdown();
    await withSession.close();
  });
  server.closeAllConnections();
});
