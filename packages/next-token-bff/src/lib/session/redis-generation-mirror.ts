import type { RedisConnection } from "../redis/redis-connection.js";
import { processSingleton } from "../runtime/process-singleton.js";

/**
 * The newest generation number of each session in Redis, mirrored in this process, so that a
 * read which only adopts newer tokens (next-auth's session poll) costs no Redis round trip.
 * Every record is announced on a pub/sub channel; while subscribed, a session this process has
 * heard of (announced, or read from Redis since the subscription began) is answered from
 * memory. A mirror may be a few milliseconds behind Redis: a refresh, which must not spend a
 * rotated refresh token, always asks Redis. When the subscription drops, everything is
 * forgotten and Redis is asked again until it is back.
 */
export interface GenerationMirror {
  /**
   * The newest generation known here: a number, `null` when Redis holds none, or `undefined`
   * when this process cannot say (not subscribed, or never heard of the session).
   */
  known(sessionId: string): number | null | undefined;
  /** A token to pass to `learn`: which subscription a read from Redis began under. */
  epoch(): number;
  /** Notes what Redis answered to a read begun at `epoch`. */
  learn(sessionId: string, generation: number | null, epoch: number): void;
  /** Tells every instance (this one too) about a generation just recorded in Redis. */
  announce(sessionId: string, generation: number): Promise<void>;
}

export function redisGenerationMirror(
  connection: RedisConnection,
  maxEntries = 100_000,
): GenerationMirror {
  return processSingleton(`generation-mirror:${connection.url}\n${connection.prefix}`, () =>
    createMirror(connection, maxEntries),
  );
}

function createMirror(connection: RedisConnection, maxEntries: number): GenerationMirror {
  const { client, subscriber, prefix } = connection;
  const channel = `${prefix}generation`;
  const generations = new Map<string, number | null>();
  let subscribed = false;
  let epoch = 0;

  /** Keeps the larger of what is known and `generation` (`null`: none in Redis). */
  function keep(sessionId: string, generation: number | null): void {
    const current = generations.get(sessionId);
    if (current !== undefined && current !== null && (generation ?? -1) <= current) return;
    generations.delete(sessionId);
    generations.set(sessionId, generation);
    if (generations.size > maxEntries) {
      const oldest = generations.keys().next();
      if (oldest.done !== true) generations.delete(oldest.value);
    }
  }

  function forget(): void {
    subscribed = false;
    epoch += 1;
    generations.clear();
  }

  function subscribe(): void {
    subscriber.subscribe(channel).then(
      () => {
        if (subscriber.status !== "ready") return;
        forget();
        subscribed = true;
      },
      () => {
        forget(); // the next "ready" tries again
      },
    );
  }

  subscriber.on("message", (from: string, message: string) => {
    if (from !== channel || !subscribed) return;
    const separator = message.indexOf(" ");
    const generation = Number(message.slice(0, separator));
    if (separator > 0 && Number.isSafeInteger(generation)) {
      keep(message.slice(separator + 1), generation);
    }
  });
  subscriber.on("close", forget);
  subscriber.on("ready", subscribe);
  if (subscriber.status === "ready") subscribe();

  return {
    known(sessionId) {
      return subscribed && subscriber.status === "ready" ? generations.get(sessionId) : undefined;
    },
    epoch: () => (subscribed ? epoch : -1),
    learn(sessionId, generation, readEpoch) {
      if (subscribed && readEpoch === epoch) keep(sessionId, generation);
    },
    async announce(sessionId, generation) {
      await client.publish(channel, `${String(generation)} ${sessionId}`);
    },
  };
}
