import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/**
 * The default name of this instance (the `instance` option): host name and process id, unique
 * among processes on one host (the host name alone is shared by every process of a machine or
 * of a host-network pod). In Kubernetes the host name is the pod's name.
 */
export function defaultInstance(): string {
  return `${hostname()}-${process.pid}`;
}

/**
 * The app's name: `name` in the package.json of the working directory (where `npm start` and
 * images run an app from), else npm's `npm_package_name`, else the working directory's name.
 */
export function appName(cwd: string = process.cwd()): string {
  try {
    const { name } = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8')) as { name?: unknown };
    if (typeof name === 'string' && name.trim() !== '') return name.trim();
  } catch {
    // no package.json there: fall through
  }
  return process.env.npm_package_name || cwd.split(/[\\/]/).filter(Boolean).at(-1) || 'app';
}
