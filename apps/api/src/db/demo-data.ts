import { randomUUID } from "node:crypto";
import { hashPassword } from "../auth/passwords.js";
import type { Role } from "../auth/permissions.js";
import type { Services } from "../services.js";
import { demoArticles } from "./demo-articles.js";

export const demoUsers: ReadonlyArray<{
  name: string;
  password: string;
  mail: string;
  roles: Role[];
}> = [
  {
    name: "admin",
    password: "admin-password",
    mail: "admin@example.com",
    roles: ["administrator"],
  },
  { name: "alice", password: "alice-password", mail: "alice@example.com", roles: ["editor"] },
  { name: "bob", password: "bob-password", mail: "bob@example.com", roles: ["reader"] },
];

/** Loads the demo users and about 30 articles (some unpublished) into an empty database. */
export async function loadDemoData(services: Services): Promise<void> {
  const { users, db } = services;
  const created = new Map<string, number>();
  for (const demo of demoUsers) {
    const existing = users.findByNameOrMail(demo.name);
    const user =
      existing ??
      users.create({
        name: demo.name,
        mail: demo.mail,
        passHash: await hashPassword(demo.password),
        roles: demo.roles,
      });
    created.set(demo.name, user.uid);
  }

  const insert = db.prepare(
    `INSERT INTO articles (uuid, title, body_value, body_summary, status, uid, created, changed)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // Spread the articles over the last 60 days, newest first in the list.
  const start = Math.floor(Date.now() / 1000) - 60 * 86_400;
  db.transaction(() => {
    demoArticles.forEach((article, index) => {
      const uid = created.get(article.author) ?? 1;
      const when = start + (demoArticles.length - index) * 43_200 + index * 997;
      const body = article.paragraphs.map((p) => `<p>${p}</p>`).join("\n");
      insert.run(
        randomUUID(),
        article.title,
        body,
        article.paragraphs[0] ?? "",
        article.published ? 1 : 0,
        uid,
        when,
        when,
      );
    });
  })();
}
