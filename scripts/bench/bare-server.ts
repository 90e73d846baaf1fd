import { createServer } from 'node:http';
import pg from 'pg';

/**
 * The floor: node:http and a pg pool running the same statements the API sends for a read
 * (role switch, tenant context, the query, in one transaction), with no framework, no token
 * check, no validation and no HTTP hop to the database.
 */
const { databaseUrl, tenant, queries } = JSON.parse(process.env.BENCH_BARE ?? '{}') as {
  databaseUrl: string;
  tenant: [string, string, string | null, string];
  queries: Record<string, { sql: string; params: unknown[] }>;
};
const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });

const server = createServer(async (request, response) => {
  const query = queries[request.url?.slice(1) ?? ''];
  if (!query) return void response.writeHead(404).end();
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT set_config('role', 'sextortion_app', true)`);
    await client.query('SELECT app.enter_tenant($1, $2, $3, $4)', tenant);
    const { rows } = await client.query(query.sql, query.params);
    await client.query('COMMIT');
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: rows }));
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    response.writeHead(500).end(String(error));
  } finally {
    client.release();
  }
});
server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as { port: number }).port }));
