import * as vscode from 'vscode';
import { randomBytes } from 'crypto';
import type { PageAssets } from './reportHtml';

/**
 * One webview panel (the root-credential report, the setup check): created on first show,
 * revealed and re-rendered after that, scripts limited to media/ with a fresh nonce per render.
 * Button clicks arrive as `{ action }` and go to `onAction`; anything else is ignored.
 */
export class ReportPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private lastHtml = '';

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly viewType: string,
    private readonly title: string,
    private readonly actions: readonly string[],
    private readonly onAction: (action: string) => unknown,
  ) {}

  get visible(): boolean {
    return this.panel !== undefined;
  }

  /** The HTML last rendered (host tests check what the page shows). */
  get html(): string {
    return this.lastHtml;
  }

  show(render: (assets: PageAssets) => string, reveal = true): void {
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel(this.viewType, this.title, vscode.ViewColumn.Active, {
        enableScripts: true,
        localResourceRoots: [media],
        enableFindWidget: true,
      });
      this.panel.onDidDispose(() => (this.panel = undefined));
      this.panel.webview.onDidReceiveMessage((m: unknown) => {
        const action = (m as { action?: unknown } | undefined)?.action;
        if (typeof action === 'string' && this.actions.includes(action)) void Promise.resolve(this.onAction(action));
      });
    } else if (reveal) {
      this.panel.reveal();
    }
    const webview = this.panel.webview;
    this.lastHtml = render({
      cspSource: webview.cspSource,
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'report.css')).toString(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'report.js')).toString(),
      nonce: randomBytes(16).toString('base64'),
    });
    webview.html = this.lastHtml;
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
