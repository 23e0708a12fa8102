import { PassThrough, type Readable, pipeline } from "node:stream";
import type { UpstreamAnswerPeek, UpstreamProvider, UpstreamVerdict } from "../providers/types.js";
import type { UpstreamAnswer } from "./forward.js";

/** How much of an error answer's body `classify` sees. */
export const ANSWER_PEEK_BYTES = 4096;

/**
 * The provider's verdict on an answer, from its status, headers and (for error answers) the
 * first {@link ANSWER_PEEK_BYTES} of its body. Reading the body replaces `outcome.answer` with
 * one whose body still starts at the first byte. Asked once per answer.
 */
export async function verdictOf(
  provider: Pick<UpstreamProvider, "classify">,
  outcome: { answer: UpstreamAnswer },
): Promise<UpstreamVerdict> {
  const { peek, answer } = await peekAnswer(outcome.answer);
  outcome.answer = answer;
  return provider.classify(peek);
}

/**
 * What `classify` sees of an answer. Bodies of answers below 400 are not touched (they stream
 * to the browser as they come); an error answer's first bytes are read and put in front of the
 * rest again, so the browser still gets the whole body.
 */
export async function peekAnswer(
  answer: UpstreamAnswer,
): Promise<{ peek: UpstreamAnswerPeek; answer: UpstreamAnswer }> {
  const { status, headers } = answer;
  if (status < 400) return { peek: { status, headers, body: "" }, answer };
  const { head, ended, error } = await readHead(answer.body, ANSWER_PEEK_BYTES);
  const body = new PassThrough();
  for (const chunk of head) body.write(chunk);
  if (error !== undefined) body.destroy(error);
  else if (ended) body.end();
  // The rest follows; an upstream error ends `body` with it, and destroying `body` (the browser
  // went away) destroys the upstream's.
  else pipeline(answer.body, body, () => undefined);
  const text = Buffer.concat(head).subarray(0, ANSWER_PEEK_BYTES).toString("utf8");
  return { peek: { status, headers, body: text }, answer: { status, headers, body } };
}

interface Head {
  head: Buffer[];
  ended: boolean;
  error?: Error;
}

function readHead(body: Readable, limit: number): Promise<Head> {
  return new Promise((resolve) => {
    const head: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (ended: boolean, error?: Error) => {
      if (done) return;
      done = true;
      body.off("data", onData).off("end", onEnd).off("error", onError).off("close", onEnd);
      if (!ended) body.pause();
      resolve(error === undefined ? { head, ended } : { head, ended, error });
    };
    const onData = (chunk: Buffer | string) => {
      const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      head.push(bytes);
      size += bytes.length;
      if (size >= limit) finish(false);
    };
    const onEnd = () => {
      finish(true);
    };
    const onError = (error: Error) => {
      finish(true, error);
    };
    body.on("data", onData).once("end", onEnd).once("error", onError).once("close", onEnd);
  });
}
