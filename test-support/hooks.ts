/**
 * For `afterAll`: a resource a `beforeAll` hook starts, or `undefined` when that hook failed
 * before starting it. Vitest runs `afterAll` even then, and the variable's type (assigned in a
 * hook, so typed as always set) cannot say so.
 */
export function ifStarted<T>(resource: T): T | undefined {
  return resource;
}
