import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { serveBench } from './serve-bench.js';

const app = new Hono();
app.get('/hit', (c) => c.text('0'));
app.get('/read', (c) => c.text('0'));
app.get('/plain', (c) => c.text('ok'));

serveBench(getRequestListener(app.fetch));
