import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { getBff } from "../../../../lib/bff";

type RouteContext = { params: Promise<{ nextauth: string[] }> };

/** next-auth's own routes (sign-in callback, sign-out, session, CSRF), with the BFF's options. */
async function handler(request: NextRequest, context: RouteContext): Promise<Response> {
  const response: unknown = await NextAuth(request, context, getBff().authOptions);
  return response as Response;
}

export { handler as GET, handler as POST };
