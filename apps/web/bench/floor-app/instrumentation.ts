/**
 * Nothing to do at start. This file must exist: without one, the build picked up apps/web's
 * `instrumentation.ts` from the folder above (Next 16.4 with Turbopack), whose configuration
 * check is the app's, not a bare app's.
 */
export function register(): void {
  // a bare app registers nothing
}
