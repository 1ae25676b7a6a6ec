/** Tessera on Express with its PostgreSQL store on a table of its own, dropped on shutdown. */
import { createPostgresStore } from '../../src/stores/postgres/index.js';
import { startTesseraServer } from './tessera-express.js';

const table = `tessera_bench_${(process.env.BENCH_PREFIX ?? 'run').replace(/\W/g, '_')}`;
const store = createPostgresStore({
  url: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  table,
});
await store.ready();
startTesseraServer(store, async () => {
  await store.pool.query(`DROP TABLE IF EXISTS "${table}"`);
});
