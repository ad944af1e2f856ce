import type { OrgAccount, OrganizationInfo } from '../../core/orgIndex';
import type { ResourceFinding } from '../../core/findings';
import { formatAccountId } from '../../core/tasks';
import { mdText } from '../markdownText';

/**
 * The Markdown of the tree's tooltips. Every value here comes from AWS (and a member account's
 * name or email is chosen by whoever controls that account), so each goes through mdText: the
 * tooltip shows it as text, never as an image, a link or markup.
 */
export function organizationTooltip(org: OrganizationInfo): string {
  const f = org.features;
  const on = (b: boolean | undefined) => (b ? 'on' : 'off');
  return `**${mdText(org.id)}**\n\nManagement account: ${mdText(formatAccountId(org.managementAccountId))}\n\nFeature set: ${mdText(org.featureSet)}\n\n` +
    (f?.error ? `Features could not be read: ${mdText(f.error)}` : `RootCredentialsManagement: ${on(f?.rootCredentialsManagement)}\n\nRootSessions: ${on(f?.rootSessions)}`);
}

export function accountTooltip(a: OrgAccount, management: boolean): string {
  return `**${mdText(a.name)}** ${mdText(formatAccountId(a.id))}\n\n${mdText(a.email)}\n\nState: ${mdText(a.state)}` +
    (management ? '\n\nManagement account (root tasks do not apply to it)' : '');
}

/** The finding and up to three locking statements; the statements are fenced JSON blocks. */
export function resourceTooltip(f: ResourceFinding, look: string = f.verdict, checked?: string): string {
  let md = `**${mdText(f.name)}** — ${mdText(look)}${checked ? ` (checked ${mdText(checked)})` : ''}\n\n${mdText(f.arn)}\n\n`;
  for (const reason of f.reasons.slice(0, 3)) {
    const [why = '', ...json] = reason.split('\n');
    md += `${mdText(why)}\n\n`;
    if (json.length) md += `${fence(json.join('\n'))}\n\n`;
  }
  return md;
}

/** A fenced code block: its content is never Markdown; the fence is longer than any backtick run inside. */
export function fence(code: string): string {
  const longest = Math.max(2, ...(code.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}json\n${code}\n${ticks}`;
}
