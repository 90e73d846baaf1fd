import pg from 'pg';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    faultsOwnerUrl: string;
  }
}

/**
 * A database of the fault suite's own on the PostgreSQL server (loopback, the postgres user),
 * created for the run and dropped after it, with the login role the API got there. Each test file
 * then brings the API up on it (migrated and seeded by startLocalDatabase).
 */
export default async function setup(project: TestProject) {
  const serverUrl = new URL(process.env.FAULTS_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  if (serverUrl.hostname !== '127.0.0.1') throw new Error('the fault suite runs against a Postgres server on 127.0.0.1 only');
  const database = `sop_faults_${Date.now()}_${process.pid}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: serverUrl.toString() });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${database}`);
  const ownerUrl = new URL(serverUrl);
  ownerUrl.pathname = `/${database}`;
  project.provide('faultsOwnerUrl', ownerUrl.toString());
  return async () => {
    await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    // The API's login role is cluster-wide (scripts/local-db/local-database.ts names it after the database).
    await admin(`DROP ROLE IF EXISTS sextortion_login_${database}`);
  };
}
