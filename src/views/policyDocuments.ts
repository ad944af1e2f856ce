import * as vscode from 'vscode';

/** Read-only current policies (TextDocumentContentProvider). */
export const CURRENT_SCHEME = 'root-tasks-policy';
/** Editable proposed policies, held in memory (FileSystemProvider); never written to disk. */
export const PROPOSED_SCHEME = 'root-tasks-proposed';

/** An open policy diff: the proposal as the user left it, and a way to close it. */
export interface PolicyPreview {
  readonly currentUri: vscode.Uri;
  readonly proposedUri: vscode.Uri;
  /** The proposed document's text as shown now (saved or not). */
  proposedText(): string;
  /** Fires when the user closes the diff editor. */
  readonly onDidClose: vscode.Event<void>;
  /** Closes the diff without a save prompt and forgets both documents. */
  dispose(): Promise<void>;
}

/**
 * The documents behind the unlock diff previews: current policies are served read-only, proposals
 * live in an in-memory file system so they are editable and can be closed without a "save?"
 * prompt — no temp files (STYLE 10). Contents are attacker-influenced text and are only ever
 * shown as JSON documents, never rendered.
 */
export class PolicyDocuments implements vscode.TextDocumentContentProvider, vscode.FileSystemProvider, vscode.Disposable {
  private readonly current = new Map<string, string>();
  private readonly proposed = new Map<string, { data: Uint8Array; mtime: number; ctime: number }>();
  private readonly fileChanges = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.fileChanges.event;
  private readonly registrations: vscode.Disposable[];

  constructor() {
    this.registrations = [
      vscode.workspace.registerTextDocumentContentProvider(CURRENT_SCHEME, this),
      vscode.workspace.registerFileSystemProvider(PROPOSED_SCHEME, this, { isCaseSensitive: true }),
    ];
  }

  /**
   * Opens `vscode.diff` of current (read-only) vs proposed (editable): `/<folder>/<name>.json`
   * (what the breadcrumbs show), made unique per task by the `task` query.
   */
  async show(taskId: string, folder: string, name: string, currentText: string, proposedText: string, title: string): Promise<PolicyPreview> {
    const parts = { path: `/${encodeURIComponent(folder)}/${encodeURIComponent(name)}.json`, query: `task=${encodeURIComponent(taskId)}` };
    const currentUri = vscode.Uri.from({ scheme: CURRENT_SCHEME, ...parts });
    const proposedUri = vscode.Uri.from({ scheme: PROPOSED_SCHEME, ...parts });
    this.current.set(currentUri.toString(), currentText);
    const now = Date.now();
    this.proposed.set(proposedUri.toString(), { data: new TextEncoder().encode(proposedText), mtime: now, ctime: now });

    const closed = new vscode.EventEmitter<void>();
    const isOurs = (tab: vscode.Tab) => tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.toString() === proposedUri.toString();
    const watch = vscode.window.tabGroups.onDidChangeTabs((e) => {
      if (e.closed.some(isOurs)) closed.fire();
    });
    // Opened at the top, not scrolled to the first change: the decision line is on line 1.
    const top = new vscode.Range(0, 0, 0, 0);
    await vscode.commands.executeCommand('vscode.diff', currentUri, proposedUri, title, { preview: false, selection: top });

    const openDocument = () => vscode.workspace.textDocuments.find((d) => d.uri.toString() === proposedUri.toString());
    return {
      currentUri,
      proposedUri,
      onDidClose: closed.event,
      proposedText: () => openDocument()?.getText() ?? new TextDecoder().decode(this.proposed.get(proposedUri.toString())?.data ?? new Uint8Array()),
      dispose: async () => {
        watch.dispose();
        // Saving into the in-memory file system clears "dirty", so closing never asks to save.
        const doc = openDocument();
        if (doc?.isDirty) await doc.save();
        await closeTabs(isOurs);
        closed.dispose();
        this.current.delete(currentUri.toString());
        this.proposed.delete(proposedUri.toString());
      },
    };
  }

  /** A request's diff for its reviewer: both sides read-only (the approver reviews, never edits). */
  async showReadOnly(key: string, name: string, before: string, after: string, title: string): Promise<void> {
    const uri = (side: string) => vscode.Uri.from({ scheme: CURRENT_SCHEME, path: `/${encodeURIComponent(side)}/${encodeURIComponent(name)}.json`, query: `request=${encodeURIComponent(key)}` });
    const left = uri('approved before');
    const right = uri('approved after');
    this.current.set(left.toString(), before);
    this.current.set(right.toString(), after);
    await vscode.commands.executeCommand('vscode.diff', left, right, title, { preview: false });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.current.get(uri.toString()) ?? '';
  }

  stat(uri: vscode.Uri): vscode.FileStat {
    const f = this.file(uri);
    return { type: vscode.FileType.File, ctime: f.ctime, mtime: f.mtime, size: f.data.byteLength };
  }

  readFile(uri: vscode.Uri): Uint8Array {
    return this.file(uri).data;
  }

  writeFile(uri: vscode.Uri, content: Uint8Array): void {
    const f = this.file(uri);
    this.proposed.set(uri.toString(), { ...f, data: content, mtime: Date.now() });
    this.fileChanges.fire([{ type: vscode.FileChangeType.Changed, uri }]);
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  createDirectory(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  delete(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  rename(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  dispose(): void {
    for (const r of this.registrations) r.dispose();
    this.fileChanges.dispose();
    this.current.clear();
    this.proposed.clear();
  }

  private file(uri: vscode.Uri) {
    const f = this.proposed.get(uri.toString());
    if (!f) throw vscode.FileSystemError.FileNotFound(uri);
    return f;
  }
}

/** Closes matching tabs. Tab objects go stale when the workbench updates them: retry with fresh ones. */
async function closeTabs(matches: (tab: vscode.Tab) => boolean): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter(matches);
    if (!tabs.length) return;
    try {
      await vscode.window.tabGroups.close(tabs);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
