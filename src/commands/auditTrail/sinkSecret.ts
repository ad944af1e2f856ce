import * as vscode from 'vscode';
import { secretKey, type AuditTrail } from '../../core/audit';
import { Cancelled } from '../../core/errors';

/** SecretStorage keys of the sink signing secrets (never in settings, logs or events). */
export const CURRENT_SECRET = 'rootTasks.audit.sinkSecret';
export const PREVIOUS_SECRET = 'rootTasks.audit.sinkSecret.previous';

/** Current first, then previous while a rotation is under way. */
export async function readSinkSecrets(secrets: vscode.SecretStorage): Promise<string[]> {
  const [current, previous] = await Promise.all([secrets.get(CURRENT_SECRET), secrets.get(PREVIOUS_SECRET)]);
  return [current, previous].filter((s): s is string => !!s);
}

type Action = 'set' | 'rotate' | 'finishRotation' | 'remove';

/**
 * Set Audit Sink Secret. Rotating keeps the old secret as "previous": batches are signed with both
 * until the receiver has the new one, then "finish rotation" drops the old. Each change is an
 * audit event naming the action only. `args.secret` lets tests skip the input box.
 */
export async function setAuditSinkSecret(
  secrets: vscode.SecretStorage, trail: AuditTrail, args?: { action?: Action; secret?: string }, preset: 'standardWebhooks' | 'splunkHec' = 'standardWebhooks',
): Promise<void> {
  const validate = (value: string) => (preset === 'splunkHec' ? validateHecToken(value) : validateSecret(value));
  const [current, previous] = await Promise.all([secrets.get(CURRENT_SECRET), secrets.get(PREVIOUS_SECRET)]);
  const action = args?.action ?? await pickAction(!!current, !!previous);
  if (action === 'finishRotation' || action === 'remove') {
    await secrets.delete(PREVIOUS_SECRET);
    if (action === 'remove') await secrets.delete(CURRENT_SECRET);
  } else {
    const secret = args?.secret ?? await vscode.window.showInputBox({
      title: action === 'rotate' ? 'New audit sink secret (the current one stays accepted as previous)' : 'Audit sink signing secret',
      prompt: preset === 'splunkHec'
        ? 'The Splunk HTTP Event Collector token (a GUID), sent as "Authorization: Splunk <token>".'
        : 'The Standard Webhooks secret your audit receiver verifies: "whsec_" followed by base64 (24–64 bytes).',
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) => validate(value),
    });
    if (secret === undefined) throw new Cancelled();
    const problem = validate(secret);
    if (problem) throw new Error(problem);
    if (action === 'rotate' && current) await secrets.store(PREVIOUS_SECRET, current);
    else await secrets.delete(PREVIOUS_SECRET);
    await secrets.store(CURRENT_SECRET, secret.trim());
  }
  await trail.record({ kind: 'settings.changed', detail: { setting: 'rootTasks.audit.sinkSecret', action } });
  void vscode.window.showInformationMessage(MESSAGES[action]);
}

const MESSAGES: Record<Action, string> = {
  set: 'Audit sink secret set.',
  rotate: 'New audit sink secret set; batches are signed with the new and the previous secret until you finish the rotation.',
  finishRotation: 'Rotation finished: batches are signed with the current secret only.',
  remove: 'Audit sink secrets removed: delivery pauses until a secret is set.',
};

/** A Splunk HEC token: a GUID (the form Splunk generates). */
function validateHecToken(value: string): string | undefined {
  return /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/.test(value.trim()) ? undefined : 'A Splunk HEC token is a GUID (8-4-4-4-12 hex digits).';
}

function validateSecret(value: string): string | undefined {
  try {
    secretKey(value);
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : 'Not a valid secret.';
  }
}

async function pickAction(hasCurrent: boolean, hasPrevious: boolean): Promise<Action> {
  const items: Array<vscode.QuickPickItem & { action: Action }> = hasCurrent
    ? [
        { label: 'Rotate the secret', detail: 'Enter a new secret; the current one stays accepted as previous.', action: 'rotate' },
        { label: 'Replace the secret', detail: 'Enter a new secret; the current one is dropped at once.', action: 'set' },
        ...(hasPrevious ? [{ label: 'Finish the rotation', detail: 'Forget the previous secret.', action: 'finishRotation' as const }] : []),
        { label: 'Remove the secrets', detail: 'Delivery pauses until a secret is set again.', action: 'remove' },
      ]
    : [{ label: 'Set the secret', detail: 'Enter the Standard Webhooks secret of your audit receiver.', action: 'set' }];
  const picked = await vscode.window.showQuickPick(items, { title: 'Audit sink secret', ignoreFocusOut: true });
  if (!picked) throw new Cancelled();
  return picked.action;
}
