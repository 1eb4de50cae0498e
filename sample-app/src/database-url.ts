import type { DataSourceOptions } from 'typeorm';

/** The DataSources the environment asks for: `DATABASE_URL` is `default`, `DATABASE_URL_<NAME>` is `<name>`. */
export function databasesFromEnv(env: NodeJS.ProcessEnv): Array<{ name: string; url: string }> {
  const found = [{ name: 'default', url: env.DATABASE_URL || 'sqlite::memory:' }];
  for (const [key, url] of Object.entries(env)) {
    const match = /^DATABASE_URL_([A-Z0-9_]+)$/i.exec(key);
    if (match && url) found.push({ name: match[1].toLowerCase(), url });
  }
  return found;
}

/** TypeORM options for `postgres://`, `mysql://` / `mariadb://` and `sqlite:<file>` / `sqlite::memory:` URLs. */
export function dataSourceOptions(name: string, url: string): DataSourceOptions {
  const common = { name, manualInitialization: true } as { manualInitialization: true };
  if (/^postgres(ql)?:\/\//i.test(url)) {
    // A connect timeout, so an unreachable server fails a check instead of hanging a pool slot.
    return { ...common, type: 'postgres', url, connectTimeoutMS: 3000 };
  }
  if (/^(mysql|mariadb):\/\//i.test(url)) {
    return {
      ...common,
      type: url.toLowerCase().startsWith('mariadb') ? 'mariadb' : 'mysql',
      url: url.replace(/^mariadb:/i, 'mysql:'),
      connectTimeout: 3000,
    };
  }
  if (/^sqlite:/i.test(url)) {
    const file = url.slice('sqlite:'.length);
    // sql.js is SQLite compiled to wasm: nothing to build or install.
    return file === ':memory:' || file === ''
      ? { ...common, type: 'sqljs' }
      : { ...common, type: 'sqljs', location: file, autoSave: true };
  }
  throw new Error(
    `unsupported database URL for ${name}: ${url.replace(/\/\/[^@]*@/, '//***@')} (use postgres://, mysql://, mariadb:// or sqlite:)`,
  );
}
