/**
 * node:http with no session layer: the baseline for `tessera-node`. Serves
 * /hit and /read (answering 0) and /plain on 127.0.0.1:$PORT, prints
 * `ready <url>`, exits on SIGTERM/SIGINT or when stdin closes; under
 * `captureNextApp()` (in-process and A/B benches) it hands over its listener.
 */
import type { RequestListener } from 'node:http';
import { serveBench } from './serve-bench.js';

const listener: RequestListener = (req, res) => {
  const body = req.url === '/plain' ? 'ok' : req.url === '/hit' || req.url === '/read' ? '0' : '';
  res.statusCode = body === '' ? 404 : 200;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.end(body);
};

serveBench(listener);
