export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `work`'s result and how long it took, ms. */
export async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}
