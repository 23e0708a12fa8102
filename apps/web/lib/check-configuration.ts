import { loadBffConfig } from "next-token-bff/server";

/** Validates the environment once at start; on a problem, says what to fix and stops. */
export function checkConfigurationAtStart(): void {
  try {
    const config = loadBffConfig(process.env);
    if (config.demoMode) {
      console.warn(
        "[web] DEMO_MODE is on: demo secrets are accepted. Never use this in production.",
      );
    }
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(78); // EX_CONFIG
  }
}
