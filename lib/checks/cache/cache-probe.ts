import { type KeyvLike, keyvRoundTrip } from './keyv-probe.js';
import { type RedisProbeConnections, redisClientOf } from './redis-probe.js';
import { WatchmanCheckError } from '../check-error.js';

/** Any cache with get / set / del (cache-manager's facade, or an app's own). */
interface CacheLike {
  set(key: string, value: unknown, ttl?: number): Promise<unknown>;
  get(key: string): Promise<unknown>;
  del?(key: string): Promise<unknown>;
  delete?(key: string): Promise<unknown>;
  stores?: KeyvLike[];
}

/**
 * Runs the round trip on each tier of a multi-tier cache separately, so a dead Redis tier is
 * not hidden behind a live memory tier; a single-store cache is checked once.
 */
export async function probeCache(
  cache: unknown,
  signal: AbortSignal,
  redis: RedisProbeConnections,
): Promise<Record<string, unknown> | void> {
  const candidate = cache as CacheLike;
  if (typeof candidate?.get !== 'function' || typeof candidate.set !== 'function') {
    throw new Error('not a cache: it has no get/set methods');
  }
  const tiers = Array.isArray(candidate.stores) ? candidate.stores : undefined;
  if (!tiers || tiers.length === 0) return keyvRoundTrip(asKeyv(candidate), signal);
  if (tiers.length === 1) return probeTier(tiers[0], signal, redis);
  const results = await Promise.all(
    tiers.map(async (tier, index) => {
      try {
        await probeTier(tier, signal, redis);
        return { tier: index, store: storeName(tier), ok: true };
      } catch (error) {
        return { tier: index, store: storeName(tier), ok: false, error: (error as Error).message };
      }
    }),
  );
  const failed = results.filter((result) => !result.ok);
  if (failed.length > 0) {
    const message = failed.map((result) => `tier ${result.tier} (${result.store}): ${result.error}`).join('; ');
    throw new WatchmanCheckError(message, { details: { tiers: results } });
  }
  return { tiers: results };
}

/**
 * A Redis tier is first asked on a connection of the probe's own, which never leaves anything
 * pending in the app's client; only once Redis has answered does the round trip go through
 * the app's own tier (its Keyv serialization and namespace), which may make the app's client
 * connect. If that connection is still not ready when the check ends, it is destroyed: the
 * client goes back to the unconnected state it was in, with nothing left to hang its close.
 */
async function probeTier(tier: KeyvLike, signal: AbortSignal, probes: RedisProbeConnections): Promise<void> {
  const redis = redisClientOf(tier.opts?.store ?? tier.store);
  if (!redis) return keyvRoundTrip(tier, signal);
  await probes.roundTrip(redis, signal);
  const wasOpen = redis.isOpen;
  try {
    await keyvRoundTrip(tier, signal);
  } finally {
    if (!wasOpen && redis.isOpen && !redis.isReady) redis.destroy();
  }
}

function asKeyv(cache: CacheLike): KeyvLike {
  return {
    set: async (key, value, ttl) => (await cache.set(key, value, ttl), true),
    get: (key) => cache.get(key),
    delete: async (key) => Boolean(await (cache.del ?? cache.delete)?.call(cache, key)),
  };
}

function storeName(tier: KeyvLike): string {
  const store = (tier.opts?.store ?? tier.store) as { constructor?: { name?: string } } | undefined;
  const name = store?.constructor?.name ?? 'store';
  return name === 'Map' ? 'memory' : name;
}
