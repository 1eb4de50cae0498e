// What a URL may carry that is a secret: the userinfo's password (or a lone token) and the values
// of its query parameters and fragment (`?api_key=…`, `#access_token=…`). Names stay: they say
// what was configured without saying the secret.

const MASK = '***';

// A URL inside any text: a scheme, `://`, then everything up to a space, a quote or a bracket.
const URL_IN_TEXT = /[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]*/gi;
// Sentence punctuation right after a URL (`GET http://x/h?a=1: refused`) is not part of it.
const TRAILING_PUNCTUATION = /[.,:;!?)\]}]+$/;

/**
 * One URL with its secrets hidden, so it can be logged or shown:
 * `https://user:pw@host/health?api_key=k&v=2` → `https://user:***@host/health?api_key=***&v=***`.
 * A lone userinfo (`redis://token@host`) is a token, so it becomes `***@`. Works on text that
 * is not a valid URL too (nothing is parsed or normalised, the rest is kept as written).
 */
export function redactUrl(url: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url)?.[0] ?? '';
  const rest = url.slice(scheme.length);
  const authorityEnd = rest.search(/[/?#]/);
  const authority = authorityEnd < 0 ? rest : rest.slice(0, authorityEnd);
  const tail = authorityEnd < 0 ? '' : rest.slice(authorityEnd);
  return `${scheme}${redactAuthority(authority, scheme !== '')}${redactTail(tail)}`;
}

/** Every URL in a text (an error message, a stack, a JSON value) with its secrets hidden. */
export function redactUrls(text: string): string {
  return text.replace(URL_IN_TEXT, (match) => {
    const punctuation = TRAILING_PUNCTUATION.exec(match)?.[0] ?? '';
    return redactUrl(match.slice(0, match.length - punctuation.length)) + punctuation;
  });
}

function redactAuthority(authority: string, hasScheme: boolean): string {
  // The last `@` ends the userinfo: a password may hold an unescaped `@`.
  const at = hasScheme ? authority.lastIndexOf('@') : -1;
  if (at < 0) return authority;
  const userInfo = authority.slice(0, at);
  const colon = userInfo.indexOf(':');
  const shown = colon >= 0 ? `${userInfo.slice(0, colon)}:${MASK}` : MASK;
  return `${shown}${authority.slice(at)}`;
}

function redactTail(tail: string): string {
  const hash = tail.indexOf('#');
  const beforeHash = hash < 0 ? tail : tail.slice(0, hash);
  const fragment = hash < 0 ? '' : tail.slice(hash + 1);
  const mark = beforeHash.indexOf('?');
  const path = mark < 0 ? beforeHash : beforeHash.slice(0, mark);
  const query = mark < 0 ? undefined : beforeHash.slice(mark + 1);
  return path + (query === undefined ? '' : `?${redactParams(query)}`) + (hash < 0 ? '' : `#${redactParams(fragment)}`);
}

// `a=1&b=&c` → `a=***&b=&c`: a value is hidden, an empty one or a bare name is kept.
function redactParams(params: string): string {
  return params
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      if (equals < 0 || equals === pair.length - 1) return pair;
      return `${pair.slice(0, equals)}=${MASK}`;
    })
    .join('&');
}
