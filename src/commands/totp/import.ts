import * as vscode from 'vscode';
import { Cancelled, UserError, describeError } from '../../core/errors';
import { importCandidates, type ImportCandidate } from '../../core/totp/importTokens';
import { qr } from '../../core/totp/qrEngine';
import type { TokenMeta, TotpService } from '../../core/totp';

/** Scripted callers (tests): an image file or pasted text, and the labels to add (all when absent, no pick). */
interface ImportArgs {
  file?: string;
  text?: string;
  labels?: string[];
}

/**
 * Import TOTP Tokens: from a QR code image (PNG or JPEG) or an otpauth:// / otpauth-migration://
 * URI on the clipboard (VS Code's clipboard API reads text only, not images). The image is read
 * into memory and decoded there; seeds go nowhere but SecretStorage (service.add), and the
 * person picks which tokens to add.
 */
export async function importTotpTokens(service: TotpService, args: unknown): Promise<TokenMeta[]> {
  const given = (args ?? {}) as ImportArgs;
  const text = await sourceText(given);
  const candidates = importCandidates(text, service.store.list());
  const addable = candidates.filter((c) => c.input);
  const skipped = candidates.filter((c) => c.skipped);
  if (!addable.length) throw new UserError(`No token in it can be added: ${skipped.map((c) => `${c.name} (${c.skipped})`).join('; ')}.`);
  // Scripted callers (a file or text argument) add every token unless they name some.
  const scripted = typeof given.file === 'string' || typeof given.text === 'string';
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

async function sourceText(given: ImportArgs): Promise<string> {
  if (typeof given.text === 'string') return given.text;
  if (typeof given.file === 'string') return readQr(vscode.Uri.file(given.file));
  const source = await vscode.window.showQuickPick([
    { label: '$(file-media) QR code image…', detail: 'A PNG or JPEG screenshot of the QR code or of an authenticator export', id: 'image' as const },
    { label: '$(clippy) otpauth URI from the clipboard', detail: 'otpauth://totp/… or an otpauth-migration://… export, copied as text', id: 'clipboard' as const },
  ], { title: 'Import TOTP Tokens', placeHolder: 'Where are the tokens?' });
  if (!source) throw new Cancelled();
  if (source.id === 'clipboard') {
    const text = await vscode.env.clipboard.readText();
    if (!/otpauth(-migration)?:/i.test(text)) throw new UserError('The clipboard holds no otpauth:// or otpauth-migration:// URI (VS Code can read text from the clipboard, not images: save the image and import the file).');
    return text;
  }
  const files = await vscode.window.showOpenDialog({
    title: 'QR code image', canSelectMany: false, filters: { Images: ['png', 'jpg', 'jpeg'] },
  });
  if (!files?.length) throw new Cancelled();
  return readQr(files[0]!);
}

/** The QR code's text; the image bytes are cleared from memory once decoded. */
async function readQr(uri: vscode.Uri): Promise<string> {
  const bytes = await vscode.workspace.fs.readFile(uri);
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
