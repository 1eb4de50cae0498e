import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/**
 * This process among its fleet: `hostname:pid`. In Kubernetes the hostname is the pod's name,
 * so the id names the pod (and the process, where several share a host).
 */
export function instanceId(): string {
  return `${hostname()}:${process.pid}`;
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
