/** Runs once when the server starts. */
export async function register(): Promise<void> {
  // The check uses Node APIs; the edge bundle of this file must not include them.
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { checkConfigurationAtStart } = await import("./lib/check-configuration");
    checkConfigurationAtStart();
  }
}
