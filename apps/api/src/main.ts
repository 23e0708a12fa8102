/**
 * Starts the reference API server (the same as `reference-api serve`); kept as an entry point for
 * scripts that run `dist/main.js`.
 */
import { runCli } from "./cli/run.js";

process.exitCode = await runCli(["serve"]);
