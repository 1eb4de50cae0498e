import { redactUrls } from '../common/redact.js';

/** Start-up failure caused by a bad option; the message names the option and the value (credentials hidden). */
export class WatchmanConfigError extends Error {
  constructor(option: string, value: unknown, why: string) {
    super(`nestjs-watchman: invalid ${option} ${redactUrls(safeJson(value))}: ${why}`);
    this.name = 'WatchmanConfigError';
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
