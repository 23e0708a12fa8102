/**
 * The server-rendered pages of the authorization endpoint: plain HTML, one external style
 * sheet, no script. Every interpolated value is HTML-escaped.
 */

export function escapeHtml(value: string): string {
  return value
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/** The one message for every failed sign-in: no hint whether the account exists. */
export const SIGN_IN_FAILED = "Unrecognized username or password.";

function layout(title: string, main: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="assets/authorize.css">
</head>
<body>
<main>
${main}
</main>
</body>
</html>
`;
}

export interface SignInPageInput {
  clientLabel: string;
  destination: string;
  csrfToken: string;
  username?: string;
  error?: string;
}

export function signInPage(input: SignInPageInput): string {
  const error = input.error;
  const invalid = error !== undefined ? ' aria-invalid="true" aria-describedby="form-error"' : "";
  // Focus where typing continues: the password once the name is filled in again.
  const prefilled = (input.username ?? "") !== "";
  return layout(
    "Sign in",
    `<h1>Sign in</h1>
<p class="lead">to continue to <strong>${escapeHtml(input.clientLabel)}</strong></p>
${error !== undefined ? `<p class="error" id="form-error" role="alert">${escapeHtml(error)}</p>\n` : ""}<form method="post" action="login">
<input type="hidden" name="csrf_token" value="${escapeHtml(input.csrfToken)}">
<input type="hidden" name="destination" value="${escapeHtml(input.destination)}">
<label for="username">Username or e-mail address</label>
<input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required${prefilled ? "" : " autofocus"} value="${escapeHtml(input.username ?? "")}"${invalid}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${prefilled ? " autofocus" : ""}${invalid}>
<button type="submit">Sign in</button>
</form>`,
  );
}

export interface ConsentPageInput {
  clientLabel: string;
  userName: string;
  scopes: ReadonlyArray<{ name: string; description: string }>;
  /** Where the decision is posted: `authorize?<the original query>`. */
  action: string;
  csrfToken: string;
  /** The host the browser goes back to, shown so the user can recognise it. */
  returnHost: string;
}

export function consentPage(input: ConsentPageInput): string {
  const scopes =
    input.scopes.length > 0
      ? `<ul class="scopes">
${input.scopes.map((scope) => `<li><strong>${escapeHtml(scope.name)}</strong>: ${escapeHtml(scope.description)}</li>`).join("\n")}
</ul>`
      : "<p>It asks for no particular permissions.</p>";
  return layout(
    "Allow access?",
    `<h1>Allow access?</h1>
<p class="lead"><strong>${escapeHtml(input.clientLabel)}</strong> wants to use your account <strong>${escapeHtml(input.userName)}</strong>.</p>
${scopes}
<p>You will be sent back to <strong>${escapeHtml(input.returnHost)}</strong>.</p>
<form method="post" action="${escapeHtml(input.action)}">
<input type="hidden" name="csrf_token" value="${escapeHtml(input.csrfToken)}">
<div class="actions">
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny" class="secondary">Deny</button>
</div>
</form>`,
  );
}

export function errorPage(title: string, message: string, retry?: string): string {
  return layout(
    title,
    `<h1>${escapeHtml(title)}</h1>
<p class="error" role="alert">${escapeHtml(message)}</p>
${retry !== undefined ? `<p><a href="${escapeHtml(retry)}">Start again</a></p>` : "<p>Go back to the application and try again.</p>"}`,
  );
}

/** `GET /oauth/assets/authorize.css` (the CSP allows style sheets from this origin only). */
export const stylesheet = `:root { color-scheme: light dark; font-family: system-ui, sans-serif; line-height: 1.5; }
body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: Canvas; color: CanvasText; }
main { width: min(100% - 2rem, 24rem); padding: 2rem 0; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
.lead { margin: 0 0 1.5rem; }
form { display: grid; gap: .4rem; }
label { font-weight: 600; margin-top: .6rem; }
input[type="text"], input[type="password"] { font: inherit; padding: .55rem .7rem; border: 1px solid GrayText; border-radius: .35rem; }
input[aria-invalid="true"] { border-color: #b3261e; }
button { font: inherit; font-weight: 600; margin-top: 1rem; padding: .6rem 1rem; border: 2px solid #1d4ed8; border-radius: .35rem; background: #1d4ed8; color: #fff; cursor: pointer; }
button.secondary { background: transparent; color: inherit; }
:focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
.actions { display: flex; gap: .75rem; }
.actions button { flex: 1; }
.error { padding: .6rem .8rem; border-left: 4px solid #b3261e; background: color-mix(in srgb, #b3261e 12%, Canvas); }
.scopes { padding-left: 1.2rem; }
`;
