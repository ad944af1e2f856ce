import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { REQUEST_SUFFIX, SIGNATURE_NAMESPACE, sshFingerprint, sshSign, sshVerifier } from '../../core/approval';
import { Cancelled, UserError } from '../../core/errors';
import { formatAccountId } from '../../core/tasks';
import { rootFlowEnv, type RootTaskServices } from '../../services/rootTaskEnv';
import { readApprovalSettings } from '../../services/rootTaskSettings';
import type { PolicyDocuments } from '../../views/policyDocuments';
import { chooseAccounts } from '../accountScope';
import { registerCommand } from '../command';
import { editorPerson } from '../person';
import { readRequest, readSignatures, saveRequestFile, signatureFileFor } from './requestFiles';

/**
 * Root task request files: CodeLens Review / Approve / Run on `*.roottask.json`. Arguments for
 * automation and tests: a file Uri or { file, keyFile? }.
 */
export function register(services: RootTaskServices, documents: PolicyDocuments): vscode.Disposable[] {
  const lenses: vscode.CodeLensProvider = {
    provideCodeLenses(doc) {
      if (!doc.uri.path.endsWith(REQUEST_SUFFIX)) return [];
      const top = new vscode.Range(0, 0, 0, 0);
      return [
        new vscode.CodeLens(top, { title: 'Review', command: 'rootTasks.reviewRequest', arguments: [doc.uri] }),
        new vscode.CodeLens(top, { title: 'Approve', command: 'rootTasks.approveRequest', arguments: [doc.uri] }),
        new vscode.CodeLens(top, { title: 'Run', command: 'rootTasks.runRequest', arguments: [doc.uri] }),
      ];
    },
  };
  return [
    vscode.languages.registerCodeLensProvider({ scheme: 'file', pattern: `**/*${REQUEST_SUFFIX}` }, lenses),
    registerCommand(services.log, 'rootTasks.reviewRequest', async (arg) => {
      const file = requestFile(arg);
      const { request, sha256 } = await readRequest(file);
      if (!request.policy) throw new UserError('This request names no policy change to review.');
      const title = `${basename(file)}: ${request.resourceArn} (${formatAccountId(request.accountId)}), approved before ↔ after`;
      await documents.showReadOnly(sha256, basename(request.resourceArn), request.policy.before, request.policy.document, title);
    }),
    registerCommand(services.log, 'rootTasks.approveRequest', async (arg) => {
      const file = requestFile(arg);
      const parsed = await readRequest(file);
      const settings = readApprovalSettings();
      const keyFile = keyFileOf(arg) ?? (settings.signingKey || (await pickKey()));
      const signature = await sshSign({ namespace: SIGNATURE_NAMESPACE }, keyFile, parsed.canonical);
      const fingerprint = await sshFingerprint({}, keyFile);
      const target = signatureFileFor(file, fingerprint);
      await writeFile(target, signature);
      // Who signed, as the allowed-signers file says; an approval nobody would accept is said so now.
      const check = settings.allowedSignersFile
        ? await sshVerifier({ namespace: SIGNATURE_NAMESPACE, allowedSigners: settings.allowedSignersFile }).verify(parsed.canonical, signature)
        : undefined;
      await services.audit.record({
        kind: 'approval.signed', task: parsed.request.task, accountId: parsed.request.accountId, resource: parsed.request.resourceArn,
        requestSha256: parsed.sha256, keyFingerprint: fingerprint, signer: check?.ok ? check.principal : undefined, outcome: check && !check.ok ? 'denied' : 'ok',
      });
      const note = check && !check.ok ? ` Note: this approval ${check.message}.` : '';
      void vscode.window.showInformationMessage(`Approved ${basename(file)}: ${basename(target)} written beside it. Commit it with the request.${note}`);
      return { signatureFile: target, fingerprint, signer: check?.ok ? check.principal : undefined };
    }),
    registerCommand(services.log, 'rootTasks.runRequest', async (arg) => {
      const file = requestFile(arg);
      const parsed = await readRequest(file);
      const signatures = await readSignatures(file);
      const flows = services.flows();
      if (parsed.request.credentials) return flows.runApprovedCredentialDeletion(rootFlowEnv(services), editorPerson(), parsed, signatures);
      return flows.runApprovedUnlock(rootFlowEnv(services), editorPerson(), parsed, signatures);
    }),
    registerCommand(services.log, 'rootTasks.requestRootCredentialDeletion', async (arg) => {
      const scope = await chooseAccounts(services.getIndex, arg, { title: 'Request root credential deletion: choose the member account', pick: 'one' });
      const account = scope.accounts[0];
      const args = (arg && typeof arg === 'object' ? arg : {}) as { justification?: string; ticket?: string; requestFile?: string };
      const request = await services.flows().requestCredentialDeletion(rootFlowEnv(services), editorPerson(args), account);
      const requestFile = await saveRequestFile(request, `root-credentials-${account.id}`, args.requestFile);
      return { request, requestFile };
    }),
  ];
}

function requestFile(arg: unknown): string {
  const uri = arg instanceof vscode.Uri ? arg
    : arg && typeof arg === 'object' && typeof (arg as { file?: unknown }).file === 'string' ? vscode.Uri.file((arg as { file: string }).file)
      : vscode.window.activeTextEditor?.document.uri;
  if (!uri || uri.scheme !== 'file' || !uri.fsPath.endsWith(REQUEST_SUFFIX)) throw new UserError(`Open a ${REQUEST_SUFFIX} request file first.`);
  return uri.fsPath;
}

function keyFileOf(arg: unknown): string | undefined {
  const k = arg && typeof arg === 'object' ? (arg as { keyFile?: unknown }).keyFile : undefined;
  return typeof k === 'string' && k ? k : undefined;
}

async function pickKey(): Promise<string> {
  const picked = await vscode.window.showOpenDialog({
    title: 'Approve with which SSH key? (a private key, or a public key whose private half is in ssh-agent)', canSelectMany: false, openLabel: 'Sign',
  });
  if (!picked?.[0]) throw new Cancelled();
  return picked[0].fsPath;
}
