import { accessSync, constants } from "node:fs";
import path from "node:path";
import type { Reporter, TestModule } from "vitest/node";

/**
 * Test files that start a program from the system say so with a `// @module-tag` comment
 * (`browser`: Debian's chromium; `redis`: redis-server). `scripts/test-prerequisites.sh`
 * installs the programs before `npm test`; a person who cannot install them skips the tagged
 * files on purpose, and the run ends with a line that says how many tests that skipped and why.
 */
const optOuts = {
  browser: "SKIP_BROWSER_TESTS",
  redis: "SKIP_REDIS_TESTS",
} as const;

type Tag = keyof typeof optOuts;

const skipped = (tag: Tag) => process.env[optOuts[tag]] === "1";

/** Tag definitions for `test.tags` in a workspace's vitest config. */
export function prerequisiteTags(...tags: Tag[]) {
  return tags.map((name) => ({
    name,
    description: `needs ${name === "browser" ? "Debian's chromium" : "redis-server"}; ${optOuts[name]}=1 skips`,
    skip: skipped(name),
  }));
}

/** Prints, after the run, how many tests each opt-out skipped. */
export class SkippedOnPurposeReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>) {
    const counts = new Map<Tag, number>();
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        if (test.result().state !== "skipped") continue;
        const tag = (Object.keys(optOuts) as Tag[]).find(
          (name) => skipped(name) && test.tags.includes(name),
        );
        if (tag) counts.set(tag, (counts.get(tag) ?? 0) + 1);
      }
    }
    for (const [tag, count] of counts) {
      console.log(`  Skipped on purpose: ${count} ${tag} tests (${optOuts[tag]}=1)`);
    }
  }
}

const programs = {
  browser: { variable: "CHROMIUM_PATH", fallback: "/usr/bin/chromium" },
  redis: { variable: "REDIS_SERVER", fallback: "redis-server" },
} as const;

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The program a tagged test starts (`CHROMIUM_PATH` / `REDIS_SERVER`, else Debian's), or a
 * failure that says how to install it: a missing program never passes for a skipped test.
 */
export function systemProgram(tag: Tag): string {
  const { variable, fallback } = programs[tag];
  const program = process.env[variable] || fallback;
  const found = program.includes(path.sep)
    ? executable(program)
    : (process.env.PATH ?? "")
        .split(path.delimiter)
        .some((dir) => executable(path.join(dir, program)));
  if (found) return program;
  throw new Error(
    `${program} is not installed: run \`npm test\` from the repository root (it installs it), ` +
      `set ${variable} to the program, or skip these tests on purpose with ${optOuts[tag]}=1`,
  );
}
