import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * A18: the installed versions (every copy in package-lock.json, nested ones included) meet the
 * floors of the catalogue's minimum-version table. The registry reachable here has no audit
 * endpoint, so this replaces `npm audit` for the packages the catalogue names. Raise a floor
 * here when a new advisory lands.
 */

type Version = [number, number, number];

interface Floor {
  /** Why this floor (advisory ids). */
  reason: string;
  /** Per major version line: the lowest patched version. A major not listed is refused. */
  lines: Record<number, string>;
  /** Patched minimum per `major.minor` line, where a fix was backported to several minors. */
  minorLines?: Record<string, string>;
}

const reactFloor: Floor = {
  reason: "CVE-2025-55182 (RSC Flight decoder RCE) and follow-ups CVE-2025-55183/55184/67779",
  lines: { 19: "19.2.1" },
  minorLines: { "19.0": "19.0.1", "19.1": "19.1.2" },
};

export const floors: Record<string, Floor> = {
  next: {
    reason:
      "GHSA-267c-6grr-h53f, GHSA-26hh-7cqf-hhc6, … (16.2.5/16.2.6), GHSA-6gpp-xcg3-4w24, GHSA-p9j2-gv94-2wf4 (16.2.11)",
    lines: { 16: "16.2.11" },
  },
  react: reactFloor,
  "react-dom": reactFloor,
  "react-server-dom-webpack": reactFloor,
  "react-server-dom-turbopack": reactFloor,
  "next-auth": {
    reason:
      "GHSA-xmf8-cvqr-rfgj (getToken crash), check-cookie binding, NEXTAUTH_URL over forwarded host",
    lines: { 4: "4.24.15" },
  },
  jsonwebtoken: {
    reason: "CVE-2022-23540 (alg none by default), CVE-2022-23541 (key confusion)",
    lines: { 9: "9.0.0" },
  },
  jose: {
    // Our code uses 6.x; next-auth 4 brings its own 4.x copy (last 4.x: 4.15.9).
    reason: "current line; 4.x/5.x copies at least past CVE-2024-28176 (JWE decompression)",
    lines: { 4: "4.15.5", 5: "5.2.3", 6: "6.0.0" },
  },
};

function parse(version: string): Version {
  const match = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!match) throw new Error(`not a version: ${version}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

function atLeast(version: Version, floor: Version): boolean {
  for (let i = 0; i < 3; i++) {
    const a = version[i] ?? 0;
    const b = floor[i] ?? 0;
    if (a !== b) return a > b;
  }
  return true;
}

/** Why `version` of `name` is below its floor, or null when it is fine. */
export function belowFloor(name: string, version: string): string | null {
  const floor = floors[name];
  if (floor === undefined) return null;
  const parsed = parse(version);
  const minorFloor = floor.minorLines?.[`${parsed[0]}.${parsed[1]}`];
  const lineFloor = minorFloor ?? floor.lines[parsed[0]];
  if (lineFloor === undefined) return `${name}@${version}: major ${parsed[0]} has no known floor`;
  if (!atLeast(parsed, parse(lineFloor))) {
    return `${name}@${version} is below ${lineFloor} (${floor.reason})`;
  }
  return null;
}

/** Every copy of a floored package in a lockfile (v2/v3 `packages` map). */
export function installedCopies(lock: {
  packages?: Record<string, { version?: string; link?: boolean }>;
}): Array<{ name: string; at: string; version: string }> {
  const copies: Array<{ name: string; at: string; version: string }> = [];
  for (const [at, entry] of Object.entries(lock.packages ?? {})) {
    const name = at.split("node_modules/").pop() ?? "";
    if (!at.includes("node_modules/") || floors[name] === undefined || entry.link === true)
      continue;
    if (entry.version !== undefined) copies.push({ name, at, version: entry.version });
  }
  return copies;
}

const repoRoot = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..");

describe("A18 dependency floors (package-lock.json)", () => {
  it("A18 every installed copy of next, react, react-dom, next-auth, jose, jsonwebtoken meets its floor", () => {
    const lock = JSON.parse(readFileSync(path.join(repoRoot, "package-lock.json"), "utf8")) as {
      packages?: Record<string, { version?: string }>;
    };
    const copies = installedCopies(lock);
    const names = new Set(copies.map((copy) => copy.name));
    for (const required of ["next", "react", "react-dom", "next-auth", "jose"]) {
      expect(names.has(required), `${required} is not in package-lock.json`).toBe(true);
    }
    const problems = copies
      .map((copy) => belowFloor(copy.name, copy.version))
      .filter((problem) => problem !== null);
    expect(problems).toEqual([]);
  });

  it("A18 the gate fails for a version below a floor (including nested copies)", () => {
    expect(belowFloor("next", "16.2.10")).toContain("below 16.2.11");
    expect(belowFloor("next", "15.5.0")).toContain("no known floor");
    expect(belowFloor("react", "19.1.1")).toContain("below 19.1.2");
    expect(belowFloor("react-dom", "19.2.0")).toContain("below 19.2.1");
    expect(belowFloor("react", "19.0.1")).toBeNull();
    expect(belowFloor("next-auth", "4.24.14")).toContain("below 4.24.15");
    expect(belowFloor("jsonwebtoken", "8.5.1")).toContain("no known floor");
    expect(belowFloor("jose", "4.15.4")).toContain("below 4.15.5");
    const copies = installedCopies({
      packages: {
        "": {},
        "node_modules/next": { version: "16.4.6" },
        "node_modules/x/node_modules/next-auth": { version: "4.24.7" },
      },
    });
    expect(copies.map((copy) => belowFloor(copy.name, copy.version))).toEqual([
      null,
      expect.stringContaining("next-auth@4.24.7 is below 4.24.15"),
    ]);
  });
});
