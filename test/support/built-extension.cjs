// Runs a BUILT extension bundle (<dist>/extension.js) in plain Node, without VS Code: a fake `vscode` module
// with what activation touches and a fake ExtensionContext with nothing stored. Plain CommonJS run by bare
// `node`, so a timing measures the bundle, not a TypeScript loader. Used in a fresh process by the bench
// (activation.ms) and by test/unit/provider-bundles.test.ts (which provider bundles a refresh loads).
//
//   node built-extension.cjs <dist> [--refresh] [--deactivate]
//
// Prints one JSON line: { requireMs, activateMs, providerBundles, outcomes } — providerBundles are the files of
// <dist>/providers/ in require.cache when it finishes. With --refresh the views are visible and the window
// focused, and it waits for the first snapshot (the clouds come from the environment, as in VS Code), whose
// state and error category per cloud are the outcomes. User settings come from $CLOUDTOP_TEST_SETTINGS (JSON,
// keys without the `cloudtop.` prefix). With --deactivate it then awaits deactivate(), adds `openHandles`
// (process.getActiveResourcesInfo() beyond stdio) to the line, disposes the subscriptions and does NOT exit: the
// process ends by itself only if deactivation closed every socket, pool and timer.
'use strict';
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const dist = path.resolve(process.argv[2] ?? 'dist');
const refresh = process.argv.includes('--refresh');
// CLOUDTOP_TRACE_TIMERS=1: remember where each timer was made, to name a leftover one (the deactivate test sets it).
const timerStacks = new Map();
if (process.env.CLOUDTOP_TRACE_TIMERS) {
  require('node:async_hooks')
    .createHook({
      init(id, type, _trigger, resource) {
        if (type === 'Timeout') timerStacks.set(id, { resource, stack: new Error().stack.split('\n').slice(2, 12).join(' | ') });
      },
      destroy(id) {
        timerStacks.delete(id);
      },
    })
    .enable();
}
const deactivate = process.argv.includes('--deactivate');
const settings = JSON.parse(process.env.CLOUDTOP_TEST_SETTINGS || '{}');

class EventEmitter {
  #listeners = new Set();
  event = (listener) => {
    this.#listeners.add(listener);
    return { dispose: () => this.#listeners.delete(listener) };
  };
  fire(value) {
    for (const listener of [...this.#listeners]) listener(value);
  }
  dispose() {
    this.#listeners.clear();
  }
}

/** Anything activation may touch that needs no behaviour: callable, constructible, every property another one. */
const inert = new Proxy(function () {}, {
  get: (_target, key) => (key === 'then' ? undefined : key === Symbol.toPrimitive ? () => '' : inert),
  apply: () => inert,
  construct: () => inert,
});
const disposable = () => ({ dispose() {} });
// An `onDid…` event: subscribing returns a Disposable.
const event = disposable;
class StubFileSystemError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}
const uri = (fsPath) => ({ fsPath, path: fsPath, scheme: 'file', toString: () => `file://${fsPath}` });

const vscode = new Proxy(
  {
    EventEmitter,
    Uri: { file: uri, parse: (text) => uri(text), joinPath: (base, ...parts) => uri(path.join(base.fsPath, ...parts)) },
    TreeItem: class {
      constructor(label, collapsibleState) {
        Object.assign(this, { label, collapsibleState });
      }
    },
    ThemeIcon: class {
      constructor(id, color) {
        Object.assign(this, { id, color });
      }
    },
    ThemeColor: class {
      constructor(id) {
        this.id = id;
      }
    },
    MarkdownString: class {
      value = '';
      appendMarkdown(text) {
        this.value += text;
        return this;
      }
      appendText(text) {
        this.value += text;
        return this;
      }
    },
    TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
    StatusBarAlignment: { Left: 1, Right: 2 },
    ViewColumn: { Active: -1 },
    window: new Proxy(
      {
        state: { focused: refresh },
        onDidChangeWindowState: event,
        createOutputChannel: () =>
          new Proxy({ logLevel: 0, onDidChangeLogLevel: event }, { get: (t, k) => (k in t ? t[k] : () => undefined) }),
        createTreeView: () => ({
          visible: refresh,
          onDidChangeVisibility: event,
          onDidExpandElement: event,
          onDidCollapseElement: event,
          dispose() {},
        }),
        createStatusBarItem: () => ({ show() {}, hide() {}, dispose() {} }),
        registerWebviewPanelSerializer: disposable,
        withProgress: (_options, task) => Promise.resolve(task({ report() {} })),
      },
      { get: (t, k) => (k in t ? t[k] : inert) },
    ),
    // VS Code's file system API over Node's, as the history store uses it (its missing file is FileNotFound).
    FileSystemError: StubFileSystemError,
    workspace: {
      fs: {
        readFile: (u) =>
          fs.promises.readFile(u.fsPath).catch((error) => {
            throw error.code === 'ENOENT' ? new StubFileSystemError('FileNotFound', u.fsPath) : error;
          }),
        writeFile: (u, bytes) => fs.promises.writeFile(u.fsPath, bytes),
        createDirectory: (u) => fs.promises.mkdir(u.fsPath, { recursive: true }).then(() => undefined),
        rename: (from, to) => fs.promises.rename(from.fsPath, to.fsPath),
      },
      getConfiguration: () => ({
        get: (key, fallback) => (key in settings ? settings[key] : fallback),
        inspect: (key) => (key in settings ? { key, globalValue: settings[key] } : undefined),
        has: (key) => key in settings,
      }),
      onDidChangeConfiguration: event,
    },
    commands: { registerCommand: disposable, executeCommand: () => Promise.resolve(undefined) },
    // Nobody signed in to Microsoft: the Azure sign-in probe finds no session.
    authentication: { getSession: () => Promise.resolve(undefined), onDidChangeSessions: event },
  },
  { get: (t, k) => (k in t ? t[k] : inert) },
);

const memento = () => {
  const values = new Map();
  return {
    get: (k, d) => (values.has(k) ? values.get(k) : d),
    update: async (k, v) => void values.set(k, v),
    keys: () => [...values.keys()],
  };
};
const storage = path.join(require('node:os').tmpdir(), `cloudtop-built-extension-${process.pid}`);
const context = {
  subscriptions: [],
  extensionUri: uri(path.dirname(dist)),
  globalStorageUri: uri(storage),
  logUri: uri(storage),
  globalState: memento(),
  workspaceState: memento(),
  secrets: { get: async () => undefined, store: async () => {}, delete: async () => {}, onDidChange: event },
  extension: { packageJSON: { version: '0.0.0' } },
};

const load = Module._load;
Module._load = function (request, ...rest) {
  return request === 'vscode' ? vscode : load.call(this, request, ...rest);
};

async function main() {
  const started = performance.now();
  const extension = require(path.join(dist, 'extension.js'));
  const required = performance.now();
  const api = extension.activate(context);
  const activated = performance.now();
  const snapshot = refresh ? await new Promise((resolve) => api.monitor.onDidSnapshot(resolve)) : undefined;
  const outcomes = Object.fromEntries(
    Object.entries(snapshot?.outcomes ?? {}).map(([cloud, o]) => [
      cloud,
      { state: o.state, category: o.error?.category, message: o.error?.message },
    ]),
  );
  const providers = path.join(dist, 'providers') + path.sep;
  const providerBundles = Object.keys(require.cache)
    .filter((file) => file.startsWith(providers))
    .map((file) => path.basename(file))
    .sort();
  const result = { requireMs: required - started, activateMs: activated - required, providerBundles, outcomes };
  if (!deactivate) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    for (const subscription of context.subscriptions) subscription.dispose?.();
    process.exit(0);
  }
  // deactivate()'s promise alone must close everything; VS Code disposes the subscriptions only afterwards.
  await extension.deactivate?.();
  // Sockets being closed take a few turns of the loop to go: wait up to a second (a pool left open keeps its sockets
  // 4 s, a Redis connection or a limiter's timer forever). Polled between turns (setImmediate), so the poll holds
  // no handle of its own.
  const open = () =>
    process.getActiveResourcesInfo().filter((kind) => !['TTYWrap', 'PipeWrap', 'FSReqCallback', 'Immediate'].includes(kind));
  const closedAt = performance.now();
  let openHandles = open();
  while (openHandles.length > 0 && performance.now() - closedAt < 1000) {
    await new Promise((resolve) => setImmediate(resolve));
    openHandles = open();
  }
  const timers = [...timerStacks.values()]
    .filter((t) => t.resource.hasRef?.() && !t.resource._destroyed)
    .map((t) => `${t.resource._idleTimeout} ms ${t.stack}`);
  process.stdout.write(
    `${JSON.stringify({ ...result, openHandles, ...(timers.length ? { timers } : {}), settledMs: performance.now() - closedAt })}\n`,
  );
  for (const subscription of context.subscriptions) subscription.dispose?.();
}

main().catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
