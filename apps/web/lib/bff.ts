import { type Bff, createBff, loadBffConfig } from "next-token-bff/server";

let instance: Bff | undefined;

/**
 * The app's BFF, built on first use rather than at import: `next build` imports every route
 * without the runtime environment. Configuration problems surface at start
 * (`instrumentation.ts`).
 */
export function getBff(): Bff {
  instance ??= createBff({ config: loadBffConfig(process.env) });
  return instance;
}
