/** A token as Nest names providers: a class by its name, a symbol by its description. */
export function tokenName(token: unknown): string {
  if (typeof token === 'function') return token.name;
  if (typeof token === 'symbol') return token.description ?? token.toString();
  return String(token);
}
