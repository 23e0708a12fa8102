import { createSignOutEverywhereHandler } from "next-token-bff/server";
import { getBff } from "../../../../lib/bff";

/** "Sign out everywhere": ends every session of the signed-in person. */
export const POST = createSignOutEverywhereHandler(getBff);
