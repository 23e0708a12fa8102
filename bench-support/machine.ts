import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/** `<CPU model>, 2 logical cores, 24 GiB RAM, linux <release> x64`: what a section ran on. */
export function describeMachine(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() ?? "unknown CPU";
  return `${model}, ${cpus.length} logical cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ${os.platform()} ${os.release()} ${os.arch()}`;
}

/** `next 16.4.6, jose 6.2.18`: each package's installed version, looked up in `dirs` in order. */
export function packageVersions(names: readonly string[], dirs: readonly string[]): string {
  return names.map((name) => `${name} ${packageVersion(name, dirs)}`).join(", ");
}

function packageVersion(name: string, dirs: readonly string[]): string {
  for (const dir of dirs) {
    const file = path.join(dir, "node_modules", name, "package.json");
    if (existsSync(file)) {
      return (JSON.parse(readFileSync(file, "utf8")) as { version?: string }).version ?? "?";
    }
  }
  return "not installed";
}
