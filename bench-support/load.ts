import autocannon from "autocannon";

/**
 * One autocannon run as a promise. `onLatency` sees every response's time (ms), for
 * percentiles finer than autocannon's own histogram.
 */
export function cannon(
  options: autocannon.Options,
  onLatency?: (ms: number) => void,
): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(options, (error: unknown, result: autocannon.Result) => {
      if (error) reject(asError(error));
      else resolve(result);
    });
    if (onLatency !== undefined) {
      instance.on("response", (_client, _status, _bytes, responseTime) => onLatency(responseTime));
    }
  });
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
