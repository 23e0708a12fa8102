/**
 * One value per process for `name`. Next loads a module once per layer (proxy, pages, route
 * handlers) and again on every hot reload; state that must be shared across them (connection
 * pools, the in-memory ended list and single-flight) lives here, on `globalThis`, and nowhere
 * else.
 */
export function processSingleton<T>(name: string, create: () => T): T {
  const holder = globalThis as typeof globalThis & Record<symbol, unknown>;
  const key = Symbol.for(`next-token-bff.${name}`);
  if (!(key in holder)) holder[key] = create();
  return holder[key] as T;
}
