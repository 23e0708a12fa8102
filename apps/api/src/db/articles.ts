import type { Database } from "./database.js";
import { nowSeconds } from "./database.js";

/** An article (Drupal node of bundle `article`) with its author's UUID. */
export interface Article {
  nid: number;
  uuid: string;
  vid: number;
  title: string;
  body: ArticleBody | null;
  status: boolean;
  promote: boolean;
  sticky: boolean;
  uid: number;
  authorUuid: string;
  created: number;
  changed: number;
}

export interface ArticleBody {
  value: string | null;
  format: string;
  summary: string;
}

export interface NewArticle {
  uuid: string;
  title: string;
  body: ArticleBody | null;
  status: boolean;
  promote: boolean;
  sticky: boolean;
  uid: number;
  created: number;
}

export type ArticleChanges = Partial<Omit<NewArticle, "uuid">>;

export type SqlParam = string | number | null;

/**
 * A collection query. `where` and `orderBy` are SQL built ONLY from the allow-listed column
 * expressions of the JSON:API field map (aliases `a` = articles, `u` = author); every value is
 * in `params`. Never put request text into these strings.
 */
export interface ArticleListQuery {
  where: string;
  params: SqlParam[];
  orderBy: string;
  limit: number;
  offset: number;
}

interface ArticleRow {
  nid: number;
  uuid: string;
  vid: number;
  title: string;
  body_value: string | null;
  body_format: string;
  body_summary: string;
  status: number;
  promote: number;
  sticky: number;
  uid: number;
  author_uuid: string;
  created: number;
  changed: number;
}

const selectFrom = `SELECT a.nid, a.uuid, a.vid, a.title, a.body_value, a.body_format, a.body_summary,
  a.status, a.promote, a.sticky, a.uid, u.uuid AS author_uuid, a.created, a.changed
  FROM articles a JOIN users u ON u.uid = a.uid`;

function toArticle(row: ArticleRow): Article {
  // A body with neither text nor summary is an empty field, as Drupal reports it (null).
  const hasBody = row.body_value !== null || row.body_summary !== "";
  return {
    nid: row.nid,
    uuid: row.uuid,
    vid: row.vid,
    title: row.title,
    body: hasBody
      ? { value: row.body_value, format: row.body_format, summary: row.body_summary }
      : null,
    status: row.status === 1,
    promote: row.promote === 1,
    sticky: row.sticky === 1,
    uid: row.uid,
    authorUuid: row.author_uuid,
    created: row.created,
    changed: row.changed,
  };
}

const flag = (value: boolean): number => (value ? 1 : 0);

export type ArticleRepository = ReturnType<typeof createArticleRepository>;

export function createArticleRepository(db: Database) {
  const byUuid = db.prepare<[string], ArticleRow>(`${selectFrom} WHERE a.uuid = ?`);
  const byNid = db.prepare<[number], ArticleRow>(`${selectFrom} WHERE a.nid = ?`);
  const insert = db.prepare(
    `INSERT INTO articles (uuid, vid, title, body_value, body_format, body_summary, status, promote,
       sticky, uid, created, changed) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const remove = db.prepare<[number]>("DELETE FROM articles WHERE nid = ?");

  return {
    findByUuid(uuid: string): Article | undefined {
      const row = byUuid.get(uuid);
      return row && toArticle(row);
    },
    list(query: ArticleListQuery): Article[] {
      const rows = db
        .prepare<SqlParam[], ArticleRow>(
          `${selectFrom} WHERE ${query.where} ORDER BY ${query.orderBy} LIMIT ? OFFSET ?`,
        )
        .all(...query.params, query.limit, query.offset);
      return rows.map(toArticle);
    },
    create(input: NewArticle): Article {
      const result = insert.run(
        input.uuid,
        input.title,
        input.body?.value ?? null,
        input.body?.format ?? "basic_html",
        input.body?.summary ?? "",
        flag(input.status),
        flag(input.promote),
        flag(input.sticky),
        input.uid,
        input.created,
        nowSeconds(),
      );
      return toArticle(byNid.get(Number(result.lastInsertRowid)) as ArticleRow);
    },
    /** Saves a new revision: `vid` goes up by one and `changed` is now. */
    update(nid: number, changes: ArticleChanges): Article {
      const sets: string[] = ["vid = vid + 1", "changed = ?"];
      const params: SqlParam[] = [nowSeconds()];
      const set = (column: string, value: SqlParam | null) => {
        sets.push(`${column} = ?`);
        params.push(value);
      };
      if (changes.title !== undefined) set("title", changes.title);
      if (changes.body !== undefined) {
        set("body_value", changes.body?.value ?? null);
        set("body_format", changes.body?.format ?? "basic_html");
        set("body_summary", changes.body?.summary ?? "");
      }
      if (changes.status !== undefined) set("status", flag(changes.status));
      if (changes.promote !== undefined) set("promote", flag(changes.promote));
      if (changes.sticky !== undefined) set("sticky", flag(changes.sticky));
      if (changes.uid !== undefined) set("uid", changes.uid);
      if (changes.created !== undefined) set("created", changes.created);
      db.prepare(`UPDATE articles SET ${sets.join(", ")} WHERE nid = ?`).run(...params, nid);
      return toArticle(byNid.get(nid) as ArticleRow);
    },
    delete(nid: number): boolean {
      return remove.run(nid).changes > 0;
    },
  };
}
