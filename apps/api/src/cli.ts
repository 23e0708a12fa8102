#!/usr/bin/env node
/**
 * `reference-api`: the reference API's command line. No command (or `serve`) starts the server;
 * the other commands administer users and clients in the DATABASE_PATH database.
 */
import { runCli } from "./cli/run.js";

process.exitCode = await runCli(process.argv.slice(2));
