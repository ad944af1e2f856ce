import * as vscode from 'vscode';
import { Cancelled, UserError, describeError } from '../../core/errors';
import { importCandidates, type ImportCandidate } from '../../core/totp/importTokens';
import { qr } from '../../core/totp/qrEngine';
import type { TokenMeta, TotpService } from '../../core/totp';
import type { QrPasteTarget } from './pasteTarget';

/**
 * Scripted callers (tests): an image file, pasted text or the paste target (`paste: true`), and
 * the labels to add (all when absent, no pick).
 */
interface ImportArgs {
  file?: string;
  text?: string;
  paste?: boolean;
  labels?: string[];
}

/**
 * Import TOTP Tokens: from a QR code image (a PNG or JPEG file, or an image on the clipboard pasted
 * into the paste target) or an otpauth:// / otpauth-migration:// URI on the clipboard as text.
 * The image is read into memory and decoded there; seeds go nowhere but SecretStorage
 * (service.add), and the person picks which tokens to add.
 */
export async function importTotpTokens(service: TotpService, pasteTarget: QrPasteTarget, args: unknown): Promise<TokenMeta[]> {
  const given = (args ?? {}) as ImportArgs;
  const text = await sourceText(given, pasteTarget);
  const candidates = importCandidates(text, service.store.list());
  const addable = candidates.filter((c) => c.input);
  const skipped = candidates.filter((c) => c.skipped);
  if (!addable.length) throw new UserError(`No token in it can be added: ${skipped.map((c) => `${c.name} (${c.skipped})`).join('; ')}.`);
  // Scripted callers (a file or text argument) add every token unless they name some.
  const scripted = typeof given.file === 'string' || typeof given.text === 'string' || given.paste === true;
  const chosen = given.labels ? addable.filter((c) => given.labels!.includes(c.input!.label!)) : scripted ? addable : await pick(addable);
  const added: TokenMeta[] = [];
  const failed: string[] = [];
  for (const c of chosen) {
    try {
      added.push(await service.add(c.input!));
    } catch (err) {
      failed.push(`${c.input!.label} (${describeError(err)})`);
    }
  }
  const parts = [`Imported ${added.length} TOTP token${added.length === 1 ? '' : 's'}${added.length ? `: ${added.map((t) => t.label).join(', ')}` : ''}. Secrets are kept in VS Code's secret storage only.`];
  if (skipped.length) parts.push(`Skipped: ${skipped.map((c) => `${c.name} (${c.skipped})`).join('; ')}.`);
  if (failed.length) parts.push(`Not added: ${failed.join('; ')}.`);
  const message = parts.join(' ');
  if (failed.length || skipped.length) void vscode.window.showWarningMessage(message);
  else void vscode.window.showInformationMessage(message);
  return added;
}

async function sourceText(given: ImportArgs, pasteTarget: QrPasteTarget): Promise<string> {
  if (typeof given.text === 'string') return given.text;
  if (typeof given.file === 'string') return readQr(vscode.Uri.file(given.file));
  if (given.paste === true) return decodeQr(await pasteTarget.receive());
  const source = await vscode.window.showQuickPick([
    { label: '$(file-media) QR code image file…', detail: 'A PNG or JPEG screenshot of the QR code or of an authenticator export', id: 'image' as const },
    { label: '$(clippy) Paste an image from the clipboard', detail: 'A QR code copied as an image: paste it into the editor that opens (nothing is saved)', id: 'paste' as const },
    { label: '$(clippy) otpauth URI from the clipboard', detail: 'otpauth://totp/… or an otpauth-migration://… export, copied as text', id: 'clipboard' as const },
  ], { title: 'Import TOTP Tokens', placeHolder: 'Where are the tokens?' });
  if (!source) throw new Cancelled();
  if (source.id === 'paste') return decodeQr(await pasteTarget.receive());
  if (source.id === 'clipboard') {
    const text = await vscode.env.clipboard.readText();
    if (!/otpauth(-migration)?:/i.test(text)) throw new UserError('The clipboard holds no otpauth:// or otpauth-migration:// URI as text (for a QR code copied as an image, choose "Paste an image from the clipboard").');
    return text;
  }
  const files = await vscode.window.showOpenDialog({
    title: 'QR code image', canSelectMany: false, filters: { Images: ['png', 'jpg', 'jpeg'] },
  });
  if (!files?.length) throw new Cancelled();
  return readQr(files[0]!);
}

async function readQr(uri: vscode.Uri): Promise<string> {
  return decodeQr(await vscode.workspace.fs.readFile(uri));
}

/** The QR code's text; the image bytes are cleared from memory once decoded. */
function decodeQr(bytes: Uint8Array): string {
  try {
    return qr().decodeQrImage(bytes);
  } finally {
    bytes.fill(0);
  }
}

async function pick(addable: ImportCandidate[]): Promise<ImportCandidate[]> {
  const items = addable.map((c) => ({
    label: c.input!.label!,
    description: [c.issuer, `${c.input!.digits ?? 6} digits`, (c.input!.algorithm ?? 'sha1').toUpperCase()].filter(Boolean).join(' · '),
    picked: true,
    candidate: c,
  }));
  const chosen = await vscode.window.showQuickPick(items, { title: 'Import TOTP Tokens', placeHolder: 'Tokens to add', canPickMany: true });
  if (!chosen?.length) throw new Cancelled();
  return chosen.map((i) => i.candidate);
}
