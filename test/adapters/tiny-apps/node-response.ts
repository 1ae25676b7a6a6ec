import type { ServerResponse } from 'node:http';
import type { Reply } from './routes.js';

/** Sends a reply through a node:http response, the way hand-written node code does. */
export function sendNodeReply(res: ServerResponse, reply: Reply): void {
  if (reply.writeHead) {
    res.writeHead(reply.status ?? 200, reply.headers ?? {});
  } else {
    res.statusCode = reply.status ?? 200;
    for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
  }
  if (reply.endTwice) {
    res.end(reply.body ?? '');
    res.setHeader('X-Late', 'yes');
    res.end('second');
  } else if (reply.stream) {
    res.write(reply.body ?? '');
    res.end();
  } else {
    res.end(reply.body ?? '');
  }
}
