import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { processSingleton } from "../runtime/process-singleton.js";
import { type EndedSessionStore, memoryEndedSessionStore } from "./ended-sessions.js";
import { type SessionGenerations, memorySessionGenerations } from "./session-generations.js";

/** The session state one instance without Redis keeps across restarts. */
export interface SessionFile {
  /** Sign-outs: answered from memory, written through to the file, read back at start. */
  endedSessions: EndedSessionStore;
  /**
   * Newest generations: the tokens in memory only; the generation numbers also in the file, so
   * that after a restart an older cookie is still known to be older.
   */
  generations: SessionGenerations;
}

const schema = `
create table if not exists ended_sessions (session_id text primary key, keep_until real not null);
create table if not exists ended_users (sub text primary key, ended_at real not null, keep_until real not null);
create table if not exists generations (session_id text primary key, generation integer not null, keep_until_ms real not null);
`;

/**
 * The session file at `file` (SQLite), opened once per process. Without it, a restart would
 * forget every sign-out (the cookies would work again) and which cookies are outdated.
 */
export function openSessionFile(file: string, maxEntries?: number): SessionFile {
  return processSingleton(`session-file:${path.resolve(file)}`, () => open(file, maxEntries));
}

function open(file: string, maxEntries: number | undefined): SessionFile {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.exec(schema);
  const nowSeconds = Date.now() / 1000;
  db.prepare("delete from ended_sessions where keep_until <= ?").run(nowSeconds);
  db.prepare("delete from ended_users where keep_until <= ?").run(nowSeconds);
  db.prepare("delete from generations where keep_until_ms <= ?").run(Date.now());

  const ended = memoryEndedSessionStore();
  const endSession = db.prepare(
    `insert into ended_sessions values (?, ?) on conflict (session_id)
     do update set keep_until = max(keep_until, excluded.keep_until)`,
  );
  const endUser = db.prepare(
    `insert into ended_users values (?, ?, ?) on conflict (sub) do update set
     ended_at = max(ended_at, excluded.ended_at), keep_until = max(keep_until, excluded.keep_until)`,
  );
  for (const row of db.prepare("select * from ended_sessions").all() as EndedRow[]) {
    void ended.endSession(row.session_id, row.keep_until);
  }
  for (const row of db.prepare("select * from ended_users").all() as EndedUserRow[]) {
    void ended.endUserSessions(row.sub, row.ended_at, row.keep_until);
  }

  const generations = memorySessionGenerations(maxEntries === undefined ? {} : { maxEntries });
  const storedGeneration = db.prepare(
    "select generation from generations where session_id = ? and keep_until_ms > ?",
  );
  const recordGeneration = db.prepare(
    `insert into generations values (?, ?, ?) on conflict (session_id) do update set
     generation = excluded.generation, keep_until_ms = excluded.keep_until_ms
     where excluded.generation > generation`,
  );

  return {
    endedSessions: {
      async endSession(sessionId, keepUntil) {
        await ended.endSession(sessionId, keepUntil);
        endSession.run(sessionId, keepUntil);
      },
      async endUserSessions(sub, endedAt, keepUntil) {
        await ended.endUserSessions(sub, endedAt, keepUntil);
        endUser.run(sub, endedAt, keepUntil);
      },
      isEnded: (session) => ended.isEnded(session),
    },
    generations: {
      async newest(sessionId) {
        const known = await generations.newest(sessionId);
        if (known !== null) return known;
        const row = storedGeneration.get(sessionId, Date.now()) as GenerationRow | undefined;
        return row === undefined ? null : { generation: row.generation, tokens: null };
      },
      async record(sessionId, generation, tokens, keepUntilMs) {
        await generations.record(sessionId, generation, tokens, keepUntilMs);
        recordGeneration.run(sessionId, generation, keepUntilMs);
      },
    },
  };
}

interface EndedRow {
  session_id: string;
  keep_until: number;
}
interface EndedUserRow {
  sub: string;
  ended_at: number;
  keep_until: number;
}
interface GenerationRow {
  generation: number;
}
