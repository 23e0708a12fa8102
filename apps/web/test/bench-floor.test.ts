import { expect, it } from "vitest";
import { testServers } from "./support/context";

it("answers 404 on the bench's floor route unless the bench started the app", async () => {
  const { webUrl } = testServers();
  const response = await fetch(`${webUrl}/api/bench-floor?bytes=100`);
  expect(response.status).toBe(404);
  expect(await response.text()).toBe("");
});
