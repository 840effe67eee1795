// The dashboard's HTML and Content Security Policy, as a pure function so a unit test can read the exact
// policy the panel serves. Nothing runs but our own bundled script, carrying a per-load nonce; styles come
// only from the extension's own origin. vscode-elements styles its shadow roots with constructable
// stylesheets (adoptedStyleSheets), which style-src does not govern, and sets dynamic styles through the
// CSSOM (`element.style.x = …`), which CSP allows — so no 'unsafe-inline' is needed for styles either.
import { randomBytes } from 'node:crypto';

export interface DashboardHtmlParts {
  /** `webview.cspSource`: the origin the webview serves extension files from. */
  readonly cspSource: string;
  readonly scriptUri: string;
  readonly styleUri: string;
  /** Fresh for every load; see {@link newNonce}. */
  readonly nonce: string;
}

export function newNonce(): string {
  return randomBytes(18).toString('base64');
}

export function dashboardCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `img-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

const attr = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function dashboardHtml(parts: DashboardHtmlParts): string {
  const csp = dashboardCsp(parts.cspSource, parts.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(parts.styleUri)}">
<title>Cloudtop Dashboard</title>
</head>
<body>
<main id="cloudtop-dashboard"><h1>Cloudtop</h1><p class="muted">Loading…</p></main>
<script nonce="${attr(parts.nonce)}" src="${attr(parts.scriptUri)}"></script>
</body>
</html>`;
}
