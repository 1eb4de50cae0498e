// `scheme://user:password@host` → `scheme://user:***@host`; `scheme://token@host` → `scheme://***@host`.
const URL_CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/)([^/?#@\s]*)@/gi;

/** Hides the credentials of every URL in a text, so it can be logged or shown. */
export function redactUrls(text: string): string {
  return text.replace(URL_CREDENTIALS, (_match, scheme: string, userInfo: string) => {
    const colon = userInfo.indexOf(':');
    return colon >= 0 ? `${scheme}${userInfo.slice(0, colon)}:***@` : `${scheme}***@`;
  });
}
