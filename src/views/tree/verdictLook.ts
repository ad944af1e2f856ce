import type { AccountFindings, ProblemCounts, ResourceFinding } from '../../core/findings';

/**
 * What one look at a row tells: each state has its own icon and colour, so a fixed or fine
 * resource never wears the warning a suspected one does. Pure (no vscode): the tree turns the
 * ids into ThemeIcons, the unit tests check that no two states look alike.
 */
export type Look = 'locked' | 'suspected' | 'fine' | 'fixed' | 'notScanned' | 'skipped' | 'scanError';

export interface LookStyle {
  /** A codicon id. */
  icon: string;
  /** A theme colour id. */
  color: string;
  /** The word in the row's description. */
  label: string;
}

export const LOOKS: Readonly<Record<Look, LookStyle>> = {
  locked: { icon: 'lock', color: 'problemsErrorIcon.foreground', label: 'locked' },
  suspected: { icon: 'question', color: 'problemsWarningIcon.foreground', label: 'suspected' },
  fine: { icon: 'pass', color: 'testing.iconPassed', label: 'fine' },
  fixed: { icon: 'verified-filled', color: 'charts.blue', label: 'fixed this session' },
  notScanned: { icon: 'circle-large-outline', color: 'disabledForeground', label: 'not scanned' },
  skipped: { icon: 'circle-slash', color: 'descriptionForeground', label: 'skipped' },
  scanError: { icon: 'error', color: 'charts.orange', label: 'scan error' },
};

/** A resource row: its verdict, or "fixed" once an unlock in this window verified it. */
export function resourceLook(f: ResourceFinding, fixed: boolean): Look {
  if (f.verdict === 'locked') return 'locked';
  if (f.verdict === 'suspected' || f.verdict === 'invalid') return 'suspected';
  return fixed ? 'fixed' : 'fine';
}

/** A group (S3 / SQS) or account row: skipped and errors first, then the worst resource. */
export function scanLook(f: Pick<AccountFindings, 'scannedAt' | 'scanError' | 'skipped'> | undefined, resources: readonly ResourceFinding[], isFixed: (arn: string) => boolean): Look {
  if (f?.skipped) return 'skipped';
  const looks = resources.map((r) => resourceLook(r, isFixed(r.arn)));
  if (looks.includes('locked')) return 'locked';
  if (looks.includes('suspected')) return 'suspected';
  if (f?.scanError) return 'scanError';
  if (!f?.scannedAt && !resources.length) return 'notScanned';
  return looks.includes('fixed') ? 'fixed' : 'fine';
}

/** "3 locked · 1 suspected", or '' when there is nothing to count. */
export function countsText(c: ProblemCounts): string {
  return [c.locked && `${c.locked.toLocaleString('en-US')} locked`, c.suspected && `${c.suspected.toLocaleString('en-US')} suspected`].filter(Boolean).join(' · ');
}
