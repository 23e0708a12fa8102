import { describe, expect, it } from "vitest";
import { demoUsers, testServers } from "./support/context";
import { signInOverHttp } from "./support/refresh-servers";

/**
 * Issue 19: roles come from what the upstream says about the person, never from the scope that
 * was asked for. The app asks the reference API (simple_oauth 6.x semantics) for
 * `openid reader editor administrator`; 6.x grants the scope's roles the user holds, so bob
 * (a reader) is shown as a reader and the articles page tells him he cannot write.
 */
const { webUrl } = testServers();

async function page(pathname: string, cookie: string): Promise<string> {
  const response = await fetch(`${webUrl}${pathname}`, { headers: { cookie }, redirect: "manual" });
  expect(response.status).toBe(200);
  return response.text();
}

/** The visible text of an element with this `data-testid` (tags dropped). */
function byTestId(html: string, id: string): string | undefined {
  const match = new RegExp(`data-testid="${id}"[^>]*>([\\s\\S]*?)</(?:dd|ul|p)>`).exec(html);
  return match?.[1]
    ?.replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

describe("roles from the user, not from the requested scope", () => {
  it("a reader (bob) is shown as a reader and told on the articles page that he cannot write", async () => {
    const jar = await signInOverHttp(webUrl, demoUsers.bob.username, demoUsers.bob.password);
    const account = await page("/account", jar.header());
    expect(byTestId(account, "user-roles")).toBe("reader");

    const articles = await page("/articles", jar.header());
    expect(byTestId(articles, "read-only-notice")).toBe(
      "You are signed in as reader: you can read articles but not write them.",
    );
    expect(articles).not.toContain(">New article<");
  });

  it("an editor (alice) is shown as an editor and gets no such notice", async () => {
    const jar = await signInOverHttp(webUrl, demoUsers.alice.username, demoUsers.alice.password);
    expect(byTestId(await page("/account", jar.header()), "user-roles")).toBe("editor");
    const articles = await page("/articles", jar.header());
    expect(articles).not.toContain('data-testid="read-only-notice"');
    expect(articles).toContain(">New article<");
  });

  it("the sign-in form's first field is labelled Username by default", async () => {
    const html = await (await fetch(`${webUrl}/login`)).text();
    expect(html).toMatch(/<label for="username">Username<\/label>/);
  });
});
