import { bff } from "./bff";
import { logger } from "./logger";

/** Validates the environment once at start; on a problem, says what to fix and stops. */
export function checkConfigurationAtStart(): void {
  try {
    if (bff.config.demoMode) {
      logger.warn({}, "DEMO_MODE is on: demo secrets are accepted. Never use this in production.");
    }
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(78); // EX_CONFIG
  }
}
