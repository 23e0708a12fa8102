export const APP = "http://app.test:3000";

export function proxyRequest(
  path: string,
  init: {
    method?: string;
    headers?: Record<string, string>;
    body?: BodyInit | null;
    cookie?: string;
    signal?: AbortSignal;
  } = {},
): Request {
  const method = init.method ?? "GET";
  const headers = new Headers({ "x-csrf": "1", accept: "application/vnd.api+json" });
  if (method !== "GET" && method !== "HEAD") headers.set("origin", APP);
  if (init.cookie !== undefined) headers.set("cookie", init.cookie);
  for (const [name, value] of Object.entries(init.headers ?? {})) {
    if (value === "") headers.delete(name);
    else headers.set(name, value);
  }
  const requestInit: RequestInit & { duplex?: "half" } = { method, headers };
  if (init.body !== undefined && init.body !== null) {
    requestInit.body = init.body;
    requestInit.duplex = "half";
  }
  if (init.signal !== undefined) requestInit.signal = init.signal;
  return new Request(`${APP}/api/upstream${path}`, requestInit);
}

export async function json(response: Response): Promise<unknown> {
  return JSON.parse(await response.text()) as unknown;
}

export function setCookies(response: Response): string[] {
  return response.headers.getSetCookie();
}
