/**
 * Reads until `ok(value)` holds or `limitMs` pass, every `everyMs`; resolves with the last
 * value read (so the caller's assertion shows it). A read that throws counts as not yet.
 * The limit only turns a hang into a failure: nothing here asserts how long it took.
 */
export async function until<T>(
  read: () => T | Promise<T>,
  ok: (value: T) => boolean,
  { limitMs = 15_000, everyMs = 100 }: { limitMs?: number; everyMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + limitMs;
  const attempt = async () => {
    try {
      return await read();
    } catch {
      return undefined;
    }
  };
  let value = await attempt();
  while (!(value !== undefined && ok(value)) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, everyMs));
    value = await attempt();
  }
  return value as T;
}
