/**
 * The URL of one group on a Pushgateway: `<base>/metrics/job/<job>/instance/<instance>`. A
 * value holding a `/` (or empty) goes in the Pushgateway's base64 form (`job@base64/…`).
 */
export function pushgatewayGroupUrl(base: string, job: string, instance: string): string {
  return `${base.replace(/\/+$/, '')}/metrics/${segment('job', job)}/${segment('instance', instance)}`;
}

function segment(label: string, value: string): string {
  if (value !== '' && !value.includes('/')) return `${label}/${encodeURIComponent(value)}`;
  return `${label}@base64/${Buffer.from(value).toString('base64url') || '='}`;
}
