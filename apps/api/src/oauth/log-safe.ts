/**
 * A user-supplied value made safe for a log line: no CR/LF (no forged lines in text logs),
 * bounded length. Never pass passwords, tokens or secrets here: they are not logged at all.
 */
export function logSafe(value: string | undefined, maxLength = 128): string | undefined {
  if (value === undefined) return undefined;
  const clean = value.replace(/[\r\n]/g, "");
  return clean.length > maxLength ? `${clean.slice(0, maxLength)}…` : clean;
}
