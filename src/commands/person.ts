import * as vscode from 'vscode';
import { Cancelled } from '../core/errors';
import { checkJustification, checkTicket } from '../core/guardrails';
import type { Person, Progress } from '../flows/ports';
import { readGuardrailSettings } from '../services/rootTaskSettings';

/**
 * Asks for the justification and ticket (validated as the guardrails will check them), or takes
 * them from command arguments (tests, automation). Whatever is given is checked again by the runner.
 */
export async function askJustification(args?: { justification?: string; ticket?: string }, about?: string): Promise<{ justification: string; ticket: string }> {
  const settings = readGuardrailSettings();
  // The title names what the root session is for (task, account, resource).
  const what = about ? ` — ${about}` : '';
  const justification = args?.justification ?? (await vscode.window.showInputBox({
    title: `Root task: justification${what}`,
    prompt: 'Why is root access needed? This goes into the audit trail.',
    ignoreFocusOut: true,
    validateInput: (v) => {
      const r = checkJustification(settings, v);
      return r.ok ? undefined : r.message;
    },
  }));
  if (justification === undefined) throw new Cancelled();
  const ticket = args?.ticket ?? (await vscode.window.showInputBox({
    title: `Root task: ticket${what}`,
    prompt: settings.ticketPattern ? `Ticket id (pattern ${settings.ticketPattern})` : 'Ticket id',
    placeHolder: 'OPS-1234',
    ignoreFocusOut: true,
    validateInput: (v) => {
      const r = checkTicket(settings, v);
      return r.ok ? undefined : r.message;
    },
  }));
  if (ticket === undefined) throw new Cancelled();
  return { justification: justification.trim(), ticket: ticket.trim() };
}

/** The person behind a command: input boxes for the justification, short notifications. */
export function editorPerson(args?: { justification?: string; ticket?: string }): Person {
  return {
    justify: (about) => askJustification(args, about),
    tell: (message) => void vscode.window.showInformationMessage(message),
    warn: (message) => void vscode.window.showWarningMessage(message),
  };
}

/** Runs a bulk flow under a cancellable progress notification, as the flows' Progress port. */
export function withProgress<T>(title: string, run: (progress: Progress) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (p, token) => {
    const controller = new AbortController();
    const subscription = token.onCancellationRequested(() => controller.abort());
    let shown = 0;
    const port: Progress = {
      signal: controller.signal,
      report(done, total, message) {
        const percent = total ? (100 * done) / total : 0;
        p.report({ increment: Math.max(0, percent - shown), message });
        shown = Math.max(shown, percent);
      },
    };
    return run(port).finally(() => subscription.dispose());
  });
}
