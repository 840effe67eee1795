// The dashboard webview panel: one instance, revealed when already open. Strict CSP: nothing but our
// own bundled script (with a per-load nonce) and stylesheet, no inline code, no remote origin.
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';

export const DASHBOARD_VIEW_TYPE = 'cloudtop.dashboard';

export class DashboardPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;

  constructor(private readonly extensionUri: vscode.Uri) {}

  show(): void {
    if (this.panel) {
      this.panel.reveal();
      return;
    }
    const root = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
    const panel = vscode.window.createWebviewPanel(DASHBOARD_VIEW_TYPE, 'Cloudtop Dashboard', vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [root],
    });
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'cloudtop.svg');
    panel.webview.html = renderHtml(panel.webview, root);
    panel.onDidDispose(() => (this.panel = undefined));
    this.panel = panel;
  }

  dispose(): void {
    this.panel?.dispose();
  }
}

function renderHtml(webview: vscode.Webview, root: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(root, 'dashboard.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(root, 'dashboard.css'));
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `img-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>Cloudtop Dashboard</title>
</head>
<body>
<main id="cloudtop-dashboard" aria-live="polite"><h1>Cloudtop</h1><p class="muted">Loading…</p></main>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
}
