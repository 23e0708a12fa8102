import NextAuth, { type AuthOptions } from "next-auth";
import type { NextRequest } from "next/server";

type AuthRouteContext = { params: Promise<{ nextauth: string[] }> };

/**
 * next-auth's route handler (`app/api/auth/[...nextauth]/route.ts`) with the BFF's options.
 * Its answers carry session data, so nothing may cache them; the sign-out answer also tells the
 * browser to drop its cache of signed-in pages (`Clear-Site-Data`, catalogue A9).
 */
export function createAuthRouteHandler(getAuthOptions: () => AuthOptions) {
  return async function handler(request: NextRequest, context: AuthRouteContext) {
    const response = (await NextAuth(request, context, getAuthOptions())) as Response;
    const headers = new Headers(response.headers);
    headers.set("cache-control", "no-store");
    const { nextauth } = await context.params;
    if (request.method === "POST" && nextauth[0] === "signout") {
      headers.set("clear-site-data", '"cache"');
    }
    return new Response(response.body, { status: response.status, headers });
  };
}
