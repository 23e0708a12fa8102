import { createBff } from "next-token-bff";

/** The BFF, configured from UPSTREAM_* and NEXTAUTH_* on first use. */
export const bff = createBff({ protectedPaths: ["/articles"] });
