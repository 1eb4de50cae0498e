import { z } from 'zod';
import { type EnvParser, boolean, integer, json, list, size as sizeText, text } from './option-parsers.js';
import * as schema from './option-schemas.js';

/** One option: where it sits in the module options, its environment variable, how to read and check it. */
export interface OptionRow {
  /** Path in `WatchmanModuleOptions` (`email.sender`). */
  option: string;
  /** The environment variable it falls back to. */
  env?: string;
  /** How the variable's text becomes a value. */
  fromEnv: EnvParser;
  /** What a value must be (from code or from the environment); may transform it. */
  schema: z.ZodType;
  /** The value when neither code nor environment gives one; undefined means "not set". */
  fallback?: unknown;
}

const row = (
  option: string,
  env: string | undefined,
  fromEnv: EnvParser,
  shape: z.ZodType,
  fallback?: unknown,
): OptionRow => ({
  option,
  env,
  fromEnv,
  schema: shape,
  fallback,
});

/** Every option read the same way: code, else environment (ConfigService or process.env), else default. */
export const OPTION_TABLE: readonly OptionRow[] = [
  row('path', 'WATCHMAN_PATH', text, schema.optionalText, 'watchman'),
  row('tokens', 'WATCHMAN_TOKENS', list, schema.tokens),
  row('tokenName', 'WATCHMAN_TOKEN_NAME', text, schema.nonEmptyText, 'watchman-token'),
  row('checks', 'WATCHMAN_CHECKS', list, schema.checkList),
  row('enablePaidChecks', 'WATCHMAN_ENABLE_PAID_CHECKS', boolean, schema.flag, false),
  row('databases', 'WATCHMAN_DATABASES', list, schema.nameList),
  row('caches', 'WATCHMAN_CACHES', list, schema.nameList),
  row('microservices', 'WATCHMAN_MICROSERVICES', list, schema.nameList),
  row('errorCode', 'WATCHMAN_ERROR_CODE', integer, schema.httpStatus, 500),
  row('exposeVersion', 'EXPOSE_WATCHMAN_VERSION', boolean, schema.flag, false),
  row('mediaRoot', 'MEDIA_ROOT', text, schema.optionalText, ''),
  row('storagePath', 'WATCHMAN_STORAGE_PATH', text, schema.optionalText, ''),
  row('email.sender', 'WATCHMAN_EMAIL_SENDER', text, schema.nonEmptyText, 'watchman@example.com'),
  row('email.recipients', 'WATCHMAN_EMAIL_RECIPIENTS', list, schema.nameList, []),
  row('email.headers', 'WATCHMAN_EMAIL_HEADERS', json, schema.headers, {}),
  // A Transporter, nodemailer options or a URL: anything given in code is the email check's to judge.
  row('email.transport', 'SMTP_URL', text, z.unknown()),
  row('disableApm', 'WATCHMAN_DISABLE_APM', boolean, schema.flag, false),
  row('checkTimeout', 'WATCHMAN_CHECK_TIMEOUT_MS', integer, schema.milliseconds, 5000),
  row('cacheTtl', 'WATCHMAN_CACHE_TTL_MS', integer, schema.notNegative, 0),
  row('stacktraces', 'WATCHMAN_STACKTRACES', boolean, schema.flag, true),
  row('historySize', 'WATCHMAN_HISTORY_SIZE', integer, schema.notNegative, 20),
  row('liveChecks', 'WATCHMAN_LIVE_CHECKS', list, schema.checkList, []),
  row('readyChecks', 'WATCHMAN_READY_CHECKS', list, schema.checkList),
  row('shutdownDelay', 'WATCHMAN_SHUTDOWN_DELAY_MS', integer, schema.notNegative, 0),
  row('checkOptions', undefined, json, schema.checkSettings, {}),
  row('nonCritical', 'WATCHMAN_NON_CRITICAL', list, schema.checkList, []),
  row('refreshInterval', 'WATCHMAN_REFRESH_INTERVAL_MS', integer, schema.notNegative, 0),
  row('http', 'WATCHMAN_HTTP_CHECKS', json, schema.httpTargets, {}),
  row('disk.path', 'WATCHMAN_DISK_PATH', text, schema.nonEmptyText),
  row('disk.minFree', 'WATCHMAN_DISK_MIN_FREE', sizeText, schema.size),
  row('memory.maxHeapUsed', 'WATCHMAN_MEMORY_MAX_HEAP_USED', sizeText, schema.size),
  row('memory.maxRss', 'WATCHMAN_MEMORY_MAX_RSS', sizeText, schema.size),
  row('tls', 'WATCHMAN_TLS_CHECKS', json, schema.tlsTargets, {}),
  row('minDaysLeft', 'WATCHMAN_TLS_MIN_DAYS_LEFT', integer, schema.notNegative, 14),
];
