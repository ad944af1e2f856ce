import * as vscode from 'vscode';
import type { SinkStatus } from '../core/audit';
import type { FindingsStore } from '../core/findings';
import type { CheckItem } from '../core/setupCheck';
import type { TokenStore } from '../core/totp';
import { WalkthroughProgress } from '../core/walkthrough';
import { setContext } from './contextKeys';
import type { OrgService } from './orgService';

export interface WalkthroughSources {
  memento: vscode.Memento;
  org: OrgService;
  findings: FindingsStore;
  tokens: TokenStore;
  /** Every audit destination's status change (webhook, CloudWatch Logs, S3). */
  onDestinationStatus: (listener: (status: SinkStatus) => void) => vscode.Disposable;
}

const FEATURE_ITEMS = ['trustedAccess', 'rootCredentialsManagement', 'rootSessions'];

/**
 * Sets the walkthrough's context keys from what the extension already knows at activation (the
 * cached organization, scan results, tokens, the kept events) and from the events that complete a
 * step later. Synchronous, no AWS call. Returns what the setup check reports to.
 */
export function trackWalkthrough(s: WalkthroughSources): { disposables: vscode.Disposable[]; setupChecked(items: readonly CheckItem[]): void } {
  const progress = new WalkthroughProgress(s.memento, (step) => void setContext(`walkthrough.${step}`, true));
  const fromOrg = () => {
    // The organization answered these credentials: they are management (or delegated admin) ones.
    progress.mark('credentials', s.org.state === 'ready' && !!s.org.index);
    const f = s.org.state === 'ready' ? s.org.index?.organization.features : undefined;
    progress.mark('features', !!f && !f.error && f.rootCredentialsManagement && f.rootSessions);
  };
  const fromFindings = () => progress.mark('scanned', [...s.findings.all().values()].some((a) => !!a.scannedAt));
  const fromTokens = () => progress.mark('totp', s.tokens.list().length > 0);
  fromOrg();
  fromFindings();
  fromTokens();
  return {
    disposables: [
      s.org.onDidChange(fromOrg),
      s.findings.onDidChange(fromFindings),
      s.tokens.onDidChange(fromTokens),
      s.onDestinationStatus((status) => progress.mark('auditDestination', status.configured && !!status.lastDeliveredAt)),
    ],
    setupChecked(items) {
      progress.mark('setupChecked');
      progress.mark('features', FEATURE_ITEMS.every((id) => items.find((i) => i.id === id)?.status === 'ok'));
    },
  };
}
