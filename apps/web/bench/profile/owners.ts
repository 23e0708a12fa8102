import { existsSync, readFileSync } from "node:fs";
import { SourceMap, type SourceMapPayload, type SourceMapping } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Who a profiled function belongs to: the package (or Node subsystem, or our own code) of its
 * original source. Bundled code (the app's Turbopack chunks, Next's compiled runtimes) is
 * looked up in the `.map` file next to the script, so a frame of `next-token-bff` or React
 * inside a chunk is charged to it, not to the chunk.
 */
export interface Origin {
  owner: string;
  /** `file.ts:12` of the original source, or the script's. */
  where: string;
  /** The original name when the source map has one (minified runtimes), else V8's. */
  name: string;
}

const maps = new Map<string, SourceMap | null>();

function mapOf(file: string): SourceMap | null {
  let map = maps.get(file);
  if (map === undefined) {
    const mapFile = `${file}.map`;
    map = null;
    if (existsSync(mapFile)) {
      try {
        map = new SourceMap(JSON.parse(readFileSync(mapFile, "utf8")) as SourceMapPayload);
      } catch {
        map = null;
      }
    }
    maps.set(file, map);
  }
  return map;
}

/**
 * A source map's source as a path from the repository's root on: relative ones from the map's
 * folder, `webpack://next/./src/…` (Next's compiled runtimes) under Next's package.
 */
function normalize(source: string, mapDir: string): string {
  const absolute = source.startsWith("webpack://next/")
    ? `/node_modules/next/${source.replace(/^webpack:\/\/next\/(\.\/)?/, "")}`
    : /^[a-z]+:\/\//.test(source)
      ? source.replace(/^[a-z]+:\/\/[^/]*\//, "/")
      : path.resolve(mapDir, source);
  let decoded = absolute;
  try {
    decoded = decodeURIComponent(absolute);
  } catch {
    // not encoded
  }
  return decoded.replace(/\/dist\/esm\//, "/dist/");
}

const nodeOwners: [RegExp, string][] = [
  [/^node:internal\/deps\/undici/, "Node: undici (fetch, Request, Response, Headers)"],
  [/^node:internal\/webstreams/, "Node: web streams"],
  [/^node:(internal\/)?async_(hooks|local_storage)/, "Node: AsyncLocalStorage"],
  [/^node:(internal\/)?(_http|http)/, "Node: http"],
  [/^node:(internal\/)?(net|stream_base_commons|dns)/, "Node: sockets"],
  [/^node:(internal\/)?(streams?|stream\/)/, "Node: streams"],
  [/^node:internal\/(process\/task_queues|timers)|^node:timers/, "Node: event loop, timers"],
  [/^node:(internal\/)?(events|event_target|abort_controller)/, "Node: events, AbortSignal"],
  [/^node:(internal\/)?(url|querystring)/, "Node: URL"],
  [/^node:(internal\/)?buffer/, "Node: Buffer"],
];

/** The owner of an original source path (normalized). */
export function ownerOfSource(source: string): string {
  if (source.startsWith("node:")) {
    return nodeOwners.find(([pattern]) => pattern.test(source))?.[1] ?? "Node: other";
  }
  if (source.includes("[turbopack]_runtime")) return "Turbopack runtime";
  if (/\/\.next[^/]*\//.test(source)) return "app bundle (unmapped)";
  if (source.includes("bench/floor-app/")) return "bare app (bench/floor-app)";
  if (source.includes("packages/next-token-bff/")) return "next-token-bff (ours)";
  if (/(^|\/)apps\/web\//.test(source)) return "apps/web (ours)";
  const inNodeModules = /node_modules\/((@[^/]+\/)?[^/]+)\/(.*)$/.exec(source);
  if (inNodeModules === null) return "other";
  const [, name = "", , rest = ""] = inNodeModules;
  if (name !== "next") return name;
  // Next itself, by area; its vendored packages by name.
  const parts = rest.replace(/^(dist|src)\//, "").split("/");
  if (parts[0] === "compiled") {
    const vendored = parts[1]?.startsWith("@") ? `${parts[1]}/${parts[2] ?? ""}` : (parts[1] ?? "");
    if (vendored === "next-server") return "next (compiled runtime, unmapped)";
    if (vendored.startsWith("react-server-dom")) return "React Server Components (Next's)";
    if (vendored.startsWith("react")) return `${vendored} (Next's)`;
    return `next (vendored ${vendored})`;
  }
  return parts.length > 2 ? `next ${parts[0] ?? ""}/${parts[1] ?? ""}` : `next ${parts[0] ?? ""}`;
}

/** The origin of a V8 call frame (0-based line and column). */
export function originOf(frame: {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}): Origin {
  const name = frame.functionName === "" ? "(anonymous)" : frame.functionName;
  const { url } = frame;
  if (url === "") return { owner: "", where: "", name };
  if (url.startsWith("node:")) {
    return { owner: ownerOfSource(url), where: `${url}:${frame.lineNumber + 1}`, name };
  }
  const file = url.startsWith("file://") ? fileURLToPath(url) : url;
  const found = path.isAbsolute(file)
    ? mapOf(file)?.findEntry(frame.lineNumber, frame.columnNumber)
    : undefined;
  const entry =
    found !== undefined && "originalSource" in found
      ? (found as SourceMapping & { name?: string })
      : null;
  // An entry may lack a source (a mapping segment without one): the script's then.
  if (entry !== null && typeof (entry.originalSource as unknown) === "string") {
    const source = normalize(entry.originalSource, path.dirname(file));
    return {
      owner: ownerOfSource(source),
      where: `${path.basename(source)}:${entry.originalLine + 1}`,
      name: name.length <= 2 && entry.name ? entry.name : name,
    };
  }
  const source = normalize(file, "/");
  return {
    owner: ownerOfSource(source),
    where: `${path.basename(file)}:${frame.lineNumber + 1}`,
    name,
  };
}
