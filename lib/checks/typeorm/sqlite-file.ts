import { constants } from 'node:fs';
import { access, open, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { DataSourceLike } from './data-source.like.js';

const SQLITE_TYPES = new Set([
  'sqlite',
  'better-sqlite3',
  'sqljs',
  'capacitor',
  'cordova',
  'nativescript',
  'expo',
  'react-native',
]);

/** The file behind a file-backed SQLite DataSource; undefined for in-memory ones and other engines. */
export function sqliteFile(dataSource: DataSourceLike): string | undefined {
  const { type, database, location } = dataSource.options;
  if (!SQLITE_TYPES.has(type)) return undefined;
  const file = type === 'sqljs' ? location : database;
  if (typeof file !== 'string' || file === '' || file === ':memory:' || file.startsWith('file::memory:'))
    return undefined;
  return resolve(file);
}

/**
 * SQLite engines answer `SELECT 1` from memory (sql.js always does), so a file that can no
 * longer be read or written would go unnoticed: open it for reading and writing (or, before
 * it exists, check that its folder takes new files), failing with the OS error.
 */
export async function assertSqliteFileUsable(file: string): Promise<void> {
  let exists = true;
  try {
    const info = await stat(file);
    if (info.isDirectory())
      throw Object.assign(new Error(`EISDIR: SQLite file ${file} is a directory`), { code: 'EISDIR' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    exists = false;
  }
  if (exists) {
    const handle = await open(file, constants.O_RDWR);
    await handle.close();
    return;
  }
  const folder = dirname(file);
  const info = await stat(folder);
  if (!info.isDirectory())
    throw Object.assign(new Error(`ENOTDIR: not a directory, ${folder} (folder of SQLite file ${file})`), {
      code: 'ENOTDIR',
    });
  await access(folder, constants.W_OK);
}
