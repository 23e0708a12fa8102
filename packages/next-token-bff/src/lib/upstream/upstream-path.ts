import { BffError } from "../errors/bff-error.js";
import type { FailureLog } from "../runtime/logger.js";
import { errorResponse } from "./errors.js";
/**
 * Which upstream path a proxy request may reach (catalogue B1). The path is taken from the
 * request URL, decoded exactly once per segment, and each decoded segment must be plain
 * (letters, digits, `-`, `_`, `.`, `~`; never `.` or `..`). Anything that could change the
 * directory or the host (`%2f`, `%5c`, `\`, `//`, `@`, `:`, `%`, control characters, invalid
 * UTF-8) is refused rather than repaired. The result must then start with an allowed prefix.
 */

export interface UpstreamPathPolicy {
  /** Where the route is mounted, e.g. `/api/upstream`. */
  mountPath: string;
  /** Upstream path prefixes, e.g. `["/jsonapi/"]`; a prefix `/x/` also allows `/x` itself. */
  allowedPrefixes: readonly string[];
  /** What a decoded segment may look like. */
  segmentPattern: RegExp;
  /** Longest accepted path (raw, after the mount path), in characters. */
  maxPathLength: number;
}

/** What a decoded upstream path segment may look like by default: unreserved URL characters. */
export const defaultSegmentPattern = /^[A-Za-z0-9_~.-]+$/;

/**
 * A checked path, or why it was refused: `malformed` (→ 400 `bad_path`: it could change the
 * directory or the host, or does not decode cleanly) or `not_allowed` (→ 404
 * `path_not_allowed`: well-formed, but under none of the allowed prefixes; `path` says which).
 */
export type UpstreamPathResult =
  | { ok: true; path: string; segments: string[]; search: string }
  | { ok: false; reason: "malformed" }
  | { ok: false; reason: "not_allowed"; path: string };

const malformed = { ok: false, reason: "malformed" } as const;

function normaliseMountPath(mountPath: string): string {
  const trimmed = mountPath.replace(/\/+$/, "");
  if (!trimmed.startsWith("/"))
    throw new BffError("misconfigured", `mountPath must start with "/": ${mountPath}`);
  return trimmed;
}

export function createPathPolicy(
  options: Partial<UpstreamPathPolicy> & Pick<UpstreamPathPolicy, "mountPath">,
): UpstreamPathPolicy {
  const allowedPrefixes = options.allowedPrefixes ?? ["/jsonapi/"];
  for (const prefix of allowedPrefixes) {
    if (!prefix.startsWith("/") || prefix.includes("..") || prefix.includes("//")) {
      throw new BffError(
        "misconfigured",
        `allowed upstream path prefixes must be absolute paths: ${prefix}`,
      );
    }
  }
  return {
    mountPath: normaliseMountPath(options.mountPath),
    allowedPrefixes,
    segmentPattern: options.segmentPattern ?? defaultSegmentPattern,
    maxPathLength: options.maxPathLength ?? 2048,
  };
}

/**
 * The route's policy for the prefixes it is given, else (a function of the configuration) for
 * `UPSTREAM_PATHS`, which is read on first use. Given prefixes are checked at once.
 */
export function routePathPolicy(
  options: Pick<Partial<UpstreamPathPolicy>, "allowedPrefixes" | "segmentPattern"> & {
    mountPath: string;
  },
): (configured: readonly string[]) => UpstreamPathPolicy {
  const policy = (allowedPrefixes: readonly string[]) =>
    createPathPolicy({
      mountPath: options.mountPath,
      allowedPrefixes,
      ...(options.segmentPattern ? { segmentPattern: options.segmentPattern } : {}),
    });
  const given = options.allowedPrefixes ? policy(options.allowedPrefixes) : undefined;
  return (configured) => given ?? policy(configured);
}

/**
 * The proxy's answer to a refused path: 400 `bad_path` when it is malformed, 404
 * `path_not_allowed` when it is outside the prefixes, logged with the allowed ones.
 */
export function refusePath(
  target: Extract<UpstreamPathResult, { ok: false }>,
  policy: UpstreamPathPolicy,
  log: FailureLog,
): Response {
  if (target.reason === "malformed") return errorResponse("bad_path");
  const allowed = policy.allowedPrefixes.join(", ");
  const detail = `${target.path} is under none of the allowed prefixes (UPSTREAM_PATHS): ${allowed}`;
  log("upstream path refused", new BffError("path_not_allowed", detail));
  return errorResponse("path_not_allowed");
}

function isAllowed(path: string, prefixes: readonly string[]): boolean {
  return prefixes.some((prefix) =>
    prefix.endsWith("/")
      ? path.startsWith(prefix) || path === prefix.slice(0, -1)
      : path === prefix || path.startsWith(`${prefix}/`),
  );
}

/**
 * The upstream path of a proxy request, or why not (see {@link UpstreamPathResult}). `routeSegments` are the
 * catch-all parameters as Next decoded them, when available: they must name the same segments,
 * so a path that Next and the URL parser read differently is refused too.
 */
export function resolveUpstreamPath(
  requestUrl: string,
  policy: UpstreamPathPolicy,
  routeSegments?: readonly string[],
): UpstreamPathResult {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return malformed;
  }
  const { pathname } = url;
  if (!pathname.startsWith(`${policy.mountPath}/`)) return malformed;
  const raw = pathname.slice(policy.mountPath.length);
  if (raw.length > policy.maxPathLength) return malformed;

  const segments: string[] = [];
  for (const part of raw.slice(1).split("/")) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(part);
    } catch {
      return malformed;
    }
    if (decoded === "." || decoded === ".." || !policy.segmentPattern.test(decoded)) {
      return malformed;
    }
    segments.push(decoded);
  }
  if (routeSegments !== undefined) {
    if (routeSegments.length !== segments.length) return malformed;
    if (routeSegments.some((segment, index) => segment !== segments[index])) return malformed;
  }

  const path = `/${segments.map((segment) => encodeURIComponent(segment)).join("/")}`;
  if (!isAllowed(path, policy.allowedPrefixes)) return { ok: false, reason: "not_allowed", path };
  return { ok: true, path, segments, search: url.search };
}
