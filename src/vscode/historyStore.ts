// Where the extension keeps its history (src/core/history): one JSON file in the extension's global storage
// (context.globalStorageUri/history.json), read once at activation and written at most once a minute and when the
// extension deactivates (a window reload), through a temporary file renamed over the old one, so a crash mid-write
// leaves the previous copy.
//
// Why a file and not globalState: a Memento value lives in VS Code's state database with every other extension's
// state, is read whole at every window start and rewritten whole on every update. The history is up to
// HISTORY_LIMITS.maxBytes (4 MB at 5,000 resources) and changes every refresh: a file of our own is written off that
// shared database, only when due, and read only by us.
import * as vscode from 'vscode';
import { MetricHistory } from '../core/history/history';
import type { Logger } from '../core/model/log';
import type { Snapshot } from '../core/model/model';

/** At most one write a minute: a window reload flushes the rest (deactivate). */
export const SAVE_DELAY_MS = 60_000;

export class HistoryStore implements vscode.Disposable {
  private current = new MetricHistory();
  private readonly loaded: Promise<void>;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private dirty = false;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly folder: vscode.Uri,
    private readonly log: Logger,
    private readonly saveDelayMs = SAVE_DELAY_MS,
  ) {
    this.loaded = this.load();
  }

  get file(): vscode.Uri {
    return vscode.Uri.joinPath(this.folder, 'history.json');
  }

  /** The history as it is now (empty until the saved one is read). */
  get history(): MetricHistory {
    return this.current;
  }

  private async load(): Promise<void> {
    try {
      const bytes = await vscode.workspace.fs.readFile(this.file);
      this.current = MetricHistory.fromDocument(JSON.parse(new TextDecoder().decode(bytes)) as unknown);
      this.log.debug(`History restored: ${this.current.size} resources, ${this.current.points} points`);
    } catch (error) {
      // None yet (first run), or unreadable: a new history; the file is overwritten at the next save.
      // FileSystemError's code, read as a plain field: the error may come from any file system provider.
      if ((error as { code?: unknown } | undefined)?.code !== 'FileNotFound')
        this.log.warn(`History not restored, starting a new one: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Adds a snapshot once the saved history is read (so the restored points come first), then schedules a save. */
  async record(snapshot: Snapshot): Promise<void> {
    await this.loaded;
    this.current.record(snapshot);
    this.dirty = true;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.save();
    }, this.saveDelayMs);
  }

  /** Writes the history now if it changed since the last write. */
  save(): Promise<void> {
    if (!this.dirty) return this.writing;
    this.dirty = false;
    const text = JSON.stringify(this.current.toDocument());
    this.writing = this.writing.then(async () => {
      const temporary = vscode.Uri.joinPath(this.folder, 'history.json.tmp');
      try {
        await vscode.workspace.fs.createDirectory(this.folder);
        await vscode.workspace.fs.writeFile(temporary, new TextEncoder().encode(text));
        await vscode.workspace.fs.rename(temporary, this.file, { overwrite: true });
      } catch (error) {
        this.log.warn(`History not saved: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
    return this.writing;
  }

  /** Deactivation: the pending write happens now. */
  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.loaded;
    await this.save();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
