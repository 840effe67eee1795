// Dashboard front end (browser bundle). Renders with DOM APIs and textContent only, so no string from a
// cloud can ever become markup.
import './dashboard.css';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const root = document.getElementById('cloudtop-dashboard');
if (root) {
  const heading = document.createElement('h1');
  heading.textContent = 'Cloudtop';
  const status = document.createElement('p');
  status.className = 'muted';
  status.textContent = 'No cloud data yet. Run Cloudtop: Refresh after connecting a cloud.';
  root.replaceChildren(heading, status);
}
vscode.postMessage({ type: 'ready' });
