import { existsSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import * as vscode from 'vscode';
import { defaultExportFolder } from '../core/exportLocation';

/** The save dialog's default for an export: a file named `name` outside every workspace folder. */
export function defaultExportUri(name: string): vscode.Uri {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  return vscode.Uri.joinPath(vscode.Uri.file(defaultExportFolder(homedir(), folders, existsSync, tmpdir())), name);
}
