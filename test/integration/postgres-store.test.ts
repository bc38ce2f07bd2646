import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { PG_SCHEMA_VERSION, PostgresStore } from '../../server/store/postgres.js';
import { storeContract } from '../contract/store.contract.js';
import { dropSchemas, freshSchema, POSTGRES_URL, postgresAnswers } from '../services.js';

const available = await postgresAnswers();
const made: string[] = [];
afterAll(() => dropSchemas(made));

/** A store in a schema of its own, opened again on the same schema by `reopen`. */
function fresh() {
  const schema = freshSchema('simul_test');
  made.push(schema);
  const open = () => PostgresStore.open(POSTGRES_URL, { schema });
  return { open, reopen: open, schema };
}

if (available) storeContract('PostgreSQL', fresh);

describe.skipIf(!available)('the PostgreSQL schema', () => {
  it('is migrated once at the start, even by several processes starting together', async () => {
    const { open, schema } = fresh();
    const stores = await Promise.all([open(), open(), open()]);
    await Promise.all(stores.map((s) => s.close()));
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    const version = await client.query(`SELECT version FROM ${schema}.schema_version`);
    await client.end();
    expect(version.rows).toEqual([{ version: PG_SCHEMA_VERSION }]);
  });

  it('from a newer version is refused with a clear message and left untouched', async () => {
    const { open, schema } = fresh();
    await (await open()).close();
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    await client.query(`UPDATE ${schema}.schema_version SET version = ${PG_SCHEMA_VERSION + 1}`);
    await expect(open()).rejects.toThrow(/newer version/);
    const version = await client.query(`SELECT version FROM ${schema}.schema_version`);
    await client.end();
    expect(version.rows).toEqual([{ version: PG_SCHEMA_VERSION + 1 }]);
  });
});
