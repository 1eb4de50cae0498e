import type { DiscoveryService } from '@nestjs/core';

/**
 * Every provider instance of the app that passes `accepts`, once each (a provider exported
 * under several tokens counts once), by the name `nameOf` gives it: how the databases and
 * microservices checks find DataSources and clients without being told about them.
 */
export function discoveredProviders<T>(
  discovery: DiscoveryService,
  accepts: (instance: unknown) => instance is T,
  nameOf: (token: unknown, instance: T) => string,
): Map<string, T> {
  const found = new Map<string, T>();
  const seen = new Set<T>();
  for (const wrapper of discovery.getProviders()) {
    const instance: unknown = wrapper.instance;
    if (!accepts(instance) || seen.has(instance)) continue;
    seen.add(instance);
    found.set(nameOf(wrapper.token, instance), instance);
  }
  return found;
}
