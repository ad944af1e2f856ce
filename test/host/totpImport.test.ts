// TOTP import in the real extension host: a QR image file (generated here from a known URI,
// written to the run's temporary folder and removed after) and an otpauth-migration export as
// text both add their tokens; the status bar shows the code otplib computes for the imported
// seed, and no seed reaches global state or the settings and log folders. An image pasted into
// the paste target (the registered paste provider handed a DataTransfer the way the editor hands
// it one; the real clipboard is the e2e test's) adds its token and the target closes unsaved; a
// text paste is refused with a message and changes nothing; a damaged image gets the decoder's error.
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { generateSecret, generateSync } from 'otplib';
import QRCode from 'qrcode';
import type { RootTasksApi } from '../../src/extension';
import { PASTE_LANGUAGE, QrPasteTarget } from '../../src/commands/totp/pasteTarget';
import { until } from './support/wait';

const EXTENSION_ID = 'aws-root-tasks.aws-root-tasks';

/** A one-token migration payload, written out by hand per the published schema. */
function migration(seed: Uint8Array, name: string): string {
  const entry = Buffer.concat([
    Buffer.from([0x0a, seed.length]), Buffer.from(seed),
    Buffer.from([0x12, name.length]), Buffer.from(name),
    Buffer.from([0x20, 1, 0x28, 1, 0x30, 2]),
  ]);
  const payload = Buffer.concat([Buffer.from([0x0a, entry.length]), entry, Buffer.from([0x10, 1])]);
  return `otpauth-migration://offline?data=${encodeURIComponent(payload.toString('base64'))}`;
}

/** A pasted item the way the editor passes one on: a file whose bytes are read on demand. */
class PastedFileItem extends vscode.DataTransferItem {
  constructor(private readonly name: string, private readonly bytes: Uint8Array) {
    super('');
  }

  override asFile(): vscode.DataTransferFile {
    return { name: this.name, uri: undefined, data: async () => this.bytes };
  }
}

function transfer(entries: Array<[string, vscode.DataTransferItem]>): vscode.DataTransfer {
  const dataTransfer = new vscode.DataTransfer();
  for (const [mime, item] of entries) dataTransfer.set(mime, item);
  return dataTransfer;
}

/** The open paste target's document, once its editor shows. */
function pasteDocument(): Promise<vscode.TextDocument | undefined> {
  return until('the paste target editor', () => vscode.window.visibleTextEditors.find((e) => e.document.languageId === PASTE_LANGUAGE)?.document, (d) => !!d);
}

const hasTab = (document: vscode.TextDocument) => vscode.window.tabGroups.all.flatMap((g) => g.tabs)
  .some((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === document.uri.toString());

function logLines(dir: string): string {
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.log')).map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n') : '';
}

describe('TOTP import', () => {
  let api: RootTasksApi;
  let dir: string;
  const secret = generateSecret({ length: 20 });
  // The issuer prefixes the account name in the label, as authenticator apps show it.
  const labels = ['HostTest:import-host-qr', 'import-host-migrated', 'HostTest:import-host-pasted'];

  before(async () => {
    api = await vscode.extensions.getExtension<RootTasksApi>(EXTENSION_ID)!.activate();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'root-tasks-import-'));
    await vscode.workspace.getConfiguration('rootTasks.totp').update('mask', false, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    for (const label of labels) {
      if (api.totp.store.list().some((t) => t.label === label)) await vscode.commands.executeCommand('rootTasks.removeTotpToken', { label });
    }
    await vscode.workspace.getConfiguration('rootTasks.totp').update('mask', undefined, vscode.ConfigurationTarget.Global);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('imports the token of a QR image file and shows its code', async () => {
    const file = path.join(dir, 'qr.png');
    fs.writeFileSync(file, await QRCode.toBuffer(`otpauth://totp/import-host-qr?secret=${secret}&issuer=HostTest`, { type: 'png' }));
    const tokens = await vscode.commands.executeCommand<{ label: string; issuer?: string }[]>('rootTasks.importTotpTokens', { file });
    assert.deepEqual(tokens?.map((t) => t.label), [labels[0]]);
    await vscode.commands.executeCommand('rootTasks.selectTotpToken', { label: labels[0] });
    const text = await until('the imported code', () => api.totp.statusText(), (t) => (t ?? '').startsWith(`$(key) ${labels[0]} `) && /\d{3} \d{3}/.test(t ?? ''));
    const shown = /(\d{3}) (\d{3}) · \d+s$/.exec(text ?? '')!;
    const now = Math.floor(Date.now() / 1000);
    const expected = [now - 1, now, now + 1].map((t) => generateSync({ secret, epoch: t }));
    assert.ok(expected.includes(`${shown[1]}${shown[2]}`), `shows ${shown[1]}${shown[2]}, otplib computes ${expected.join(' or ')}`);
  });

  it('imports a migration export given as text; a corrupt image is refused with nothing added', async () => {
    const seed = Uint8Array.from({ length: 20 }, (_, i) => (i * 37 + 11) & 0xff);
    const tokens = await vscode.commands.executeCommand<{ label: string }[]>('rootTasks.importTotpTokens', { text: migration(seed, labels[1]!) });
    assert.deepEqual(tokens?.map((t) => t.label), [labels[1]]);
    const before = JSON.stringify(api.totp.store.list());
    const corrupt = path.join(dir, 'corrupt.png');
    fs.writeFileSync(corrupt, (await QRCode.toBuffer('otpauth://totp/x?secret=JBSWY3DPEHPK3PXP', { type: 'png' })).subarray(0, 80));
    assert.equal(await vscode.commands.executeCommand('rootTasks.importTotpTokens', { file: corrupt }), undefined);
    assert.equal(JSON.stringify(api.totp.store.list()), before);
    const { globalState, directories } = api.totp.persisted();
    const b32 = secret.toUpperCase();
    assert.ok(!JSON.stringify(globalState).includes(b32), 'a seed reached global state');
    for (const d of directories) {
      for (const f of fs.existsSync(d) ? fs.readdirSync(d, { recursive: true }) as string[] : []) {
        const p = path.join(d, f);
        if (fs.statSync(p).isFile() && fs.statSync(p).size < 5_000_000) assert.ok(!fs.readFileSync(p, 'utf8').includes(b32), `a seed reached ${p}`);
      }
    }
  });

  it('takes a QR image pasted into the paste target through the registered provider, and closes the target unsaved', async () => {
    const png = await QRCode.toBuffer(`otpauth://totp/import-host-pasted?secret=${secret}&issuer=HostTest`, { type: 'png' });
    const imported = vscode.commands.executeCommand<{ label: string }[]>('rootTasks.importTotpTokens', { paste: true });
    const document = (await pasteDocument())!;
    assert.equal(document.isUntitled, true, 'the paste target is never a file');
    const edits = await api.totp.pasteTarget.provideDocumentPasteEdits(document, [], transfer([
      ['text/html', new vscode.DataTransferItem('<img>')],
      ['image/png', new PastedFileItem('image.png', Uint8Array.from(png))],
    ]));
    assert.deepEqual(edits?.map((e) => e.insertText), [''], 'the paste inserts nothing');
    assert.deepEqual((await imported)?.map((t) => t.label), [labels[2]]);
    await until('the paste target closed', () => hasTab(document), (open) => !open);
    assert.equal(document.getText(), '');
  });

  it('refuses a text paste with a message and changes nothing; closing the target cancels', async () => {
    const warnings: string[] = [];
    const target = new QrPasteTarget((message) => warnings.push(message));
    const before = JSON.stringify(api.totp.store.list());
    let settled = false;
    const received = target.receive().finally(() => (settled = true));
    const document = (await pasteDocument())!;
    const edits = await target.provideDocumentPasteEdits(document, [], transfer([['text/plain', new vscode.DataTransferItem(`otpauth://totp/x?secret=${secret}`)]]));
    assert.deepEqual(edits?.map((e) => e.insertText), [''], 'the text is not inserted');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /no image, only text/);
    assert.ok(!warnings[0]!.includes(secret), 'the message quotes nothing of the paste');
    await target.provideDocumentPasteEdits(document, [], transfer([['application/pdf', new PastedFileItem('notes.pdf', Buffer.from('%PDF-1.7'))]]));
    assert.match(warnings[1] ?? '', /pasted file is not an image/);
    assert.equal(settled, false, 'the target still waits for an image');
    assert.equal(JSON.stringify(api.totp.store.list()), before);
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await assert.rejects(received, (err: Error) => err.name === 'Cancelled');
  });

  it('gives the decoder\'s error for a damaged pasted image and adds nothing', async () => {
    const before = JSON.stringify(api.totp.store.list());
    const png = await QRCode.toBuffer('otpauth://totp/x?secret=JBSWY3DPEHPK3PXP', { type: 'png' });
    const imported = vscode.commands.executeCommand('rootTasks.importTotpTokens', { paste: true });
    const document = (await pasteDocument())!;
    await api.totp.pasteTarget.provideDocumentPasteEdits(document, [], transfer([['image/png', new PastedFileItem('image.png', Uint8Array.from(png.subarray(0, 80)))]]));
    assert.equal(await imported, undefined);
    assert.equal(JSON.stringify(api.totp.store.list()), before);
    await until('the decoder error in the extension log', () => logLines(api.logUri.fsPath),
      (log) => /importTotpTokens failed: The PNG image is damaged or truncated/.test(log));
    await until('the paste target closed', () => hasTab(document), (open) => !open);
  });
});
