import { readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { REQUEST_SUFFIX, canonicalRequest, parseRequest, type ParsedRequest, type RootTaskRequestFile, type SignatureFile } from '../../core/approval';
import { Cancelled, UserError } from '../../core/errors';

/**
 * Requests and approvals on disk: `<name>.roottask.json` and, beside it, one
 * `<name>.roottask.json.<key>.sig` per approval (so each approval is its own file in a review).
 */
export async function readRequest(file: string): Promise<ParsedRequest> {
  try {
    return parseRequest(await readFile(file, 'utf8'));
  } catch (err) {
    throw new UserError(`${basename(file)}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export async function writeRequest(file: string, request: RootTaskRequestFile): Promise<void> {
  await writeFile(file, canonicalRequest(request), { flag: 'wx' });
}

export async function readSignatures(file: string): Promise<SignatureFile[]> {
  const prefix = `${basename(file)}.`;
  const names = (await readdir(dirname(file))).filter((n) => n.startsWith(prefix) && n.endsWith('.sig')).sort();
  return Promise.all(names.map(async (n) => ({ file: n, signature: await readFile(join(dirname(file), n), 'utf8') })));
}

/** `<request>.<fingerprint, made file-safe>.sig`: a second approval by the same key replaces the first. */
export function signatureFileFor(file: string, fingerprint: string): string {
  return `${file}.${fingerprint.replace(/^SHA256:/, '').replace(/[^A-Za-z0-9]/g, '').slice(0, 16)}.sig`;
}

/** Writes a new request where the person chooses (default: the first workspace folder); never overwrites. */
export async function saveRequestFile(request: RootTaskRequestFile, stem: string, given?: string): Promise<string> {
  const name = `${stem}-${request.id.slice(0, 8)}${REQUEST_SUFFIX}`;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const file = given ?? (await vscode.window.showSaveDialog({
    title: 'Save the root task request', defaultUri: folder ? vscode.Uri.file(join(folder, name)) : undefined, filters: { 'Root task request': ['json'] },
  }))?.fsPath;
  if (!file) throw new Cancelled();
  await writeRequest(file, request);
  void vscode.window.showInformationMessage(`Saved the request ${basename(file)}: have it approved (Approve on the file), then Run it.`);
  return file;
}
