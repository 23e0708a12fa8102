import { sha256 } from "../../auth/hash.js";
import { hashPassword } from "../../auth/passwords.js";
import type { Role } from "../../auth/permissions.js";
import { DEMO_WEB_REDIRECT_URI, type ApiConfig } from "../../config.js";
import {
  DEMO_CLIENT_SECRET,
  upsertScopes,
  upsertWebClient,
  WEB_CLIENT_ID,
} from "../../db/bootstrap.js";
import { demoUsers, loadDemoData } from "../../db/demo-data.js";
import { createServices } from "../../services.js";
import { exactPositionals, parse } from "../arguments.js";
import { printCommandHelp, type CommandHandler } from "../command.js";
import { withDatabase } from "../database.js";
import { EXIT_OK } from "../exit-codes.js";

/** `demo:load`: the demo users and articles, the scopes and the `next-web` client. */
export const loadDemo: CommandHandler = async ({ args, io, config }) => {
  const parsed = parse("demo:load", args, {});
  if (parsed.values.help) return printCommandHelp(io, "demo:load");
  exactPositionals("demo:load", parsed, []);
  const demoConfig: ApiConfig = { ...config(), demoData: true };
  return withDatabase(demoConfig, false, async (db) => {
    const services = createServices(demoConfig, db);
    upsertScopes(services.scopes);
    const secret = demoConfig.clientSecret ?? DEMO_CLIENT_SECRET;
    const redirectUris =
      demoConfig.webRedirectUris.length > 0 ? demoConfig.webRedirectUris : [DEMO_WEB_REDIRECT_URI];
    upsertWebClient(services.clients, sha256(secret), redirectUris);

    const missing = demoUsers.filter((demo) => !services.users.findByNameOrMail(demo.name));
    const articles = (db.prepare("SELECT COUNT(*) AS n FROM articles").get() as { n: number }).n;
    if (articles === 0) {
      // Creates the missing demo users (existing ones are kept) and the articles.
      await loadDemoData(services);
    } else {
      for (const demo of missing) {
        services.users.create({
          name: demo.name,
          mail: demo.mail,
          passHash: await hashPassword(demo.password),
          roles: [...demo.roles] as Role[],
        });
      }
    }
    const added = missing.map((demo) => demo.name).join(", ") || "none (all present)";
    io.out(`Demo users added: ${added}.`);
    io.out(articles === 0 ? "Demo articles added." : `Kept the ${articles} existing articles.`);
    io.out(`Client ${WEB_CLIENT_ID} is ready (secret from API_CLIENT_SECRET or the demo default).`);
    return EXIT_OK;
  });
};
