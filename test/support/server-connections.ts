import { createClient } from '@keyv/redis';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { using } from './http-app.js';

/**
 * How many connections each real server has open from the given client ports (the fault
 * proxy's side of its connections), as the server itself reports them.
 */
export async function postgresConnections(ports: number[]): Promise<number> {
  if (ports.length === 0) return 0;
  const client = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/test' });
  await client.connect();
  return using({ close: () => client.end() }, async () => {
    const result = await client.query(
      'SELECT count(*)::int AS n FROM pg_stat_activity WHERE client_port = ANY($1::int[])',
      [ports],
    );
    return result.rows[0].n as number;
  });
}

export async function mariadbConnections(ports: number[]): Promise<number> {
  if (ports.length === 0) return 0;
  const connection = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root', database: 'test' });
  return using({ close: () => connection.end() }, async () => {
    const [rows] = await connection.query(
      "SELECT HOST AS host FROM information_schema.PROCESSLIST WHERE HOST LIKE '%:%'",
    );
    const wanted = new Set(ports.map(String));
    return (rows as Array<{ host: string }>).filter((row) => wanted.has(row.host.split(':').at(-1) ?? '')).length;
  });
}

export async function redisConnections(ports: number[]): Promise<number> {
  if (ports.length === 0) return 0;
  const client = createClient({ url: 'redis://127.0.0.1:6379' });
  await client.connect();
  return using({ close: async () => client.destroy() }, async () => {
    const list = String(await client.sendCommand(['CLIENT', 'LIST']));
    const wanted = new Set(ports.map(String));
    return list.split('\n').filter((line) => wanted.has(/ addr=[^ ]*:(\d+) /.exec(` ${line}`)?.[1] ?? '')).length;
  });
}
