import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "../helpers/test-api.js";

describe("unknown paths", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it("answer 404 with a JSON:API error document and the bare media type", async () => {
    const response = await fetch(`${api.url}/no/such/path?x=1`);
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("application/vnd.api+json");
    const body = (await response.json()) as { errors: Array<{ status: string; detail: string }> };
    expect(body.errors[0]?.status).toBe("404");
    expect(body.errors[0]?.detail).toBe('No route found for "GET /no/such/path"');
  });
});
