/**
 * What a tree node hands to a command (context menus), so command modules need no tree types.
 * Commands invoked from the palette get no target and ask instead.
 */
export type Target =
  | { kind: 'organization' }
  | { kind: 'ou'; ouId: string; name: string }
  | { kind: 'account'; accountId: string; name: string }
  | { kind: 'bucket'; accountId: string; bucket: string; region: string }
  | { kind: 'queue'; accountId: string; queue: string; queueUrl: string; region: string };

export function targetOf(arg: unknown): Target | undefined {
  const t = (arg as { target?: Target } | undefined)?.target;
  return t && typeof t === 'object' && typeof t.kind === 'string' ? t : undefined;
}
