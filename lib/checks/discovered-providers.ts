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
  for (const [instance, tokens] of providerInstances(discovery)) {
    if (accepts(instance)) found.set(nameOf(tokens[0], instance), instance);
  }
  return found;
}

/** Every provider instance of the app, once each, with the tokens it is registered under (in discovery order). */
export function providerInstances(discovery: DiscoveryService): Map<unknown, unknown[]> {
  const found = new Map<unknown, unknown[]>();
  for (const wrapper of discovery.getProviders()) {
    const instance: unknown = wrapper.instance;
    if (instance === undefined || instance === null) continue;
    const tokens = found.get(instance);
    if (tokens) tokens.push(wrapper.token);
    else found.set(instance, [wrapper.token]);
  }
  return found;
}
