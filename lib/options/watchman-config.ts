import { isAbsolute, relative, resolve } from 'node:path';
import { WatchmanConfigError } from './config-error.js';
import { EnvParseError, forbiddenKey, forbiddenKeyMessage, json } from './option-parsers.js';
import { firstIssue } from './option-issues.js';
import { type OptionRow, type OptionTree, isOptionRow } from './option-row.js';
import { OPTION_TABLE, type WatchmanConfig, type WatchmanModuleOptions } from './option-table.js';

export type { WatchmanConfig, WatchmanModuleOptions } from './option-table.js';

/** Reads one configuration variable (ConfigService when the app has one, else process.env). */
export type EnvReader = (name: string) => string | undefined;

/** @internal Options (code first, then the environment, then defaults) turned into the configuration. */
export function resolveWatchmanConfig(
  options: WatchmanModuleOptions,
  env: EnvReader,
  warn: (message: string) => void = () => undefined,
  table: OptionTree = OPTION_TABLE,
): WatchmanConfig {
  const config = resolveTree(table, options as Record<string, unknown>, [], env, warn) as WatchmanConfig;
  if (table === OPTION_TABLE) crossCheck(config);
  return config;
}

function resolveTree(
  tree: OptionTree,
  given: Record<string, unknown> | undefined,
  path: string[],
  env: EnvReader,
  warn: (message: string) => void,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(tree).map(([key, entry]) => {
      const here = [...path, key];
      const value = given?.[key];
      if (isOptionRow(entry)) return [key, readOption(here.join('.'), entry, value, env, warn)];
      return [key, resolveTree(entry, value as Record<string, unknown> | undefined, here, env, warn)];
    }),
  );
}

function readOption(
  option: string,
  row: OptionRow,
  given: unknown,
  env: EnvReader,
  warn: (message: string) => void,
): unknown {
  if (given !== undefined) {
    // A JSON option given in code may come from JSON.parse too: the same keys are refused.
    const key = row.fromEnv === json ? forbiddenKey(given) : undefined;
    if (key !== undefined) throw new WatchmanConfigError(option, given, forbiddenKeyMessage(key));
    return check(row, option, given, given);
  }
  let variable = row.env;
  let raw = variable === undefined ? undefined : env(variable);
  if (raw === undefined && row.deprecatedEnv) {
    const legacy = env(row.deprecatedEnv);
    if (legacy !== undefined && legacy.trim() !== '') {
      warn(`${row.deprecatedEnv} is deprecated: use ${row.env} instead.`);
      [variable, raw] = [row.deprecatedEnv, legacy];
    }
  }
  if (raw === undefined) return row.fallback === undefined ? undefined : check(row, option, row.fallback, row.fallback);
  const name = `${option} (${variable})`;
  let parsed: unknown;
  try {
    parsed = row.fromEnv(raw);
  } catch (error) {
    if (error instanceof EnvParseError) throw new WatchmanConfigError(name, raw, error.message);
    throw error;
  }
  return check(row, name, parsed, raw);
}

function check(row: OptionRow, name: string, value: unknown, shown: unknown): unknown {
  const result = row.schema.safeParse(value);
  if (!result.success) throw new WatchmanConfigError(name, shown, firstIssue(result.error));
  return result.data;
}

/** Rules between options, which no single row can check. */
function crossCheck(config: WatchmanConfig): void {
  storageDir(config);
  if (config.disk.minFree && !config.disk.path)
    throw new WatchmanConfigError('disk.path (WATCHMAN_DISK_PATH)', undefined, 'required with disk.minFree');
}

/** The storage check's folder, which must lie inside the media root (as django requires). */
export function storageDir(config: Pick<WatchmanConfig, 'mediaRoot' | 'storagePath'>): string {
  const { mediaRoot, storagePath } = config;
  if (storagePath.trim() === '') return mediaRoot;
  const dir = resolve(mediaRoot, storagePath);
  const inside = relative(mediaRoot, dir);
  if (inside.startsWith('..') || isAbsolute(inside)) {
    throw new WatchmanConfigError(
      'storagePath',
      storagePath,
      `must resolve inside mediaRoot ${JSON.stringify(mediaRoot)}`,
    );
  }
  return dir;
}
