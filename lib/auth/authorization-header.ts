// `Authorization: WATCHMAN-TOKEN Token="t"`, quotes optional. As in django, the scheme word is
// not checked: any value with a `Token=` part counts.
const TOKEN_PART = /(?:^|[\s,;])Token\s*=\s*(?:"([^"]*)"|([^\s,;"]+))/i;

/** The token of an Authorization header value, or undefined when it has no `Token=` part. */
export function tokenFromAuthorizationHeader(value: string | string[] | undefined): string | undefined {
  const header = Array.isArray(value) ? value[0] : value;
  if (!header) return undefined;
  const match = TOKEN_PART.exec(header);
  if (!match) return undefined;
  return (match[1] ?? match[2] ?? '').trim();
}
