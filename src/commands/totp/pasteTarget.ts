import * as vscode from 'vscode';
import { Cancelled } from '../../core/errors';
import { pastedImageBytes, refusal, type PastedItem } from '../../core/totp/pastedImage';

/** The language of the paste target's document: it selects the paste provider below and nothing else. */
export const PASTE_LANGUAGE = 'roottasks-qr-paste';
const KIND = vscode.DocumentDropOrPasteEditKind.Empty.append('rootTasks', 'totpQrImage');
const HINT = 'Paste the QR code image here (Ctrl+V). Nothing is saved.';

interface Waiting {
  resolve(bytes: Uint8Array): void;
  reject(err: unknown): void;
}

/**
 * Where an image on the clipboard is pasted for TOTP import. VS Code's clipboard API reads text
 * only, but a paste into a text editor hands document paste providers every clipboard format,
 * images included, on desktop and in the browser alike. The target is an empty untitled document
 * of its own language: it is never saved (nothing reaches the disk), the provider inserts nothing
 * into it, and it is closed without a save prompt once the image is read or the import ends.
 */
export class QrPasteTarget implements vscode.DocumentPasteEditProvider {
  private readonly waiting = new Map<string, Waiting>();

  /** `warn` tells the person why a paste was not taken (text, a file that is not an image). */
  constructor(private readonly warn: (message: string) => void) {}

  register(): vscode.Disposable {
    return vscode.languages.registerDocumentPasteEditProvider({ language: PASTE_LANGUAGE, scheme: 'untitled' }, this, {
      providedPasteEditKinds: [KIND],
      // Text too, so that pasted text is refused with a message instead of landing in the document.
      pasteMimeTypes: ['image/*', 'files', 'text/plain'],
    });
  }

  /** Opens the paste target and resolves with the bytes of the image pasted into it; Cancelled when it is closed first. */
  async receive(): Promise<Uint8Array> {
    const document = await vscode.workspace.openTextDocument({ language: PASTE_LANGUAGE, content: '' });
    const key = document.uri.toString();
    let cancel: () => void = () => undefined;
    const received = new Promise<Uint8Array>((resolve, reject) => {
      this.waiting.set(key, { resolve, reject });
      cancel = () => reject(new Cancelled());
    });
    const hint = vscode.window.createTextEditorDecorationType({
      after: { contentText: HINT, color: new vscode.ThemeColor('editorGhostText.foreground'), fontStyle: 'italic' },
    });
    const watchers = [
      vscode.workspace.onDidCloseTextDocument((d) => d.uri.toString() === key && cancel()),
      vscode.window.tabGroups.onDidChangeTabs((e) => e.closed.some((t) => isTabOf(t, key)) && cancel()),
      vscode.window.setStatusBarMessage('$(clippy) Waiting for a QR code image to be pasted…'),
    ];
    try {
      const editor = await vscode.window.showTextDocument(document, { preview: false });
      editor.setDecorations(hint, [new vscode.Range(0, 0, 0, 0)]);
      return await received;
    } finally {
      this.waiting.delete(key);
      for (const w of watchers) w.dispose();
      hint.dispose();
      await closeUnsaved(document);
    }
  }

  async provideDocumentPasteEdits(
    document: vscode.TextDocument,
    _ranges: readonly vscode.Range[],
    dataTransfer: vscode.DataTransfer,
  ): Promise<vscode.DocumentPasteEdit[] | undefined> {
    const waiting = this.waiting.get(document.uri.toString());
    if (!waiting) return undefined;
    const items: PastedItem[] = [];
    dataTransfer.forEach((item, mime) => {
      const file = item.asFile();
      items.push({ mime, file: file && { name: file.name, data: () => file.data() } });
    });
    const why = refusal(items);
    if (why) {
      this.warn(why);
    } else {
      // The transfer is only valid during the paste: read the bytes now.
      await pastedImageBytes(items).then(waiting.resolve, waiting.reject);
    }
    return [new vscode.DocumentPasteEdit('', 'Import the QR code image (inserts nothing)', KIND)];
  }
}

function isTabOf(tab: vscode.Tab, key: string): boolean {
  return tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === key;
}

/** Closes the paste target's editor without a save prompt: typed text is removed first (an empty untitled document is not dirty). */
async function closeUnsaved(document: vscode.TextDocument): Promise<void> {
  const key = document.uri.toString();
  const tabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => isTabOf(t, key));
  if (!tabs().length) return;
  if (document.getText()) {
    const clear = new vscode.WorkspaceEdit();
    clear.delete(document.uri, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)));
    await vscode.workspace.applyEdit(clear);
  }
  if (document.isDirty) {
    await vscode.window.showTextDocument(document, { preview: false });
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  } else {
    await vscode.window.tabGroups.close(tabs());
  }
}
