import { redactUrls } from 'nestjs-watchman';

/**
 * An URL from the environment, checked before any client library parses it: a bad one stops
 * start-up with a message that names the variable and hides the credentials (a library's own
 * error would print the whole URL, password included).
 */
export function envUrl(name: string, env: NodeJS.ProcessEnv = process.env): URL | undefined {
  const value = env[name];
  if (!value) return undefined;
  try {
    return new URL(value);
  } catch {
    throw new Error(`${name} is not a valid URL: ${redactUrls(value)}`);
  }
}
