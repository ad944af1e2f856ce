import { UserError, describeError } from '../errors';
import type { ClipboardGuard } from './clipboard';
import { totpAt, type TotpNow } from './code';
import type { TokenStore } from './store';
import type { AddTokenInput, RecordAudit, TokenMeta, TotpAuditKind } from './types';

/** How a code was revealed: the status bar showing it unmasked, or a click on the masked item. */
export type RevealVia = 'statusBar' | 'click';

/**
 * The audited TOTP operations. Revealing and copying are recorded *before* the code is shown or
 * copied (fail closed: no audit, no code); an add whose event cannot be recorded is undone.
 * Events carry the label and token id, never the code or the secret.
 */
export class TotpService {
  constructor(
    readonly store: TokenStore,
    private readonly record: RecordAudit,
    private readonly now: () => number = Date.now,
  ) {}

  async add(input: AddTokenInput): Promise<TokenMeta> {
    const token = await this.store.add(input);
    try {
      await this.audit('totp.added', token, { algorithm: token.algorithm, digits: token.digits, period: token.period });
    } catch (err) {
      await this.store.remove(token.id);
      throw new UserError(`The token was not added: its audit event could not be recorded (${describeError(err)}).`);
    }
    return token;
  }

  async remove(token: TokenMeta): Promise<void> {
    await this.audit('totp.removed', token);
    await this.store.remove(token.id);
  }

  async reveal(token: TokenMeta, via: RevealVia): Promise<void> {
    await this.audit('totp.revealed', token, { via });
  }

  /** Records the copy, then puts the current code on the clipboard for `clearAfterSeconds`. */
  async copy(token: TokenMeta, clipboard: ClipboardGuard, clearAfterSeconds: number): Promise<Pick<TotpNow, 'secondsLeft'>> {
    const secret = await this.store.secretBytes(token.id);
    await this.audit('totp.copied', token, { clearAfterSeconds });
    const { code, secondsLeft } = totpAt(secret, token, this.now());
    await clipboard.copy(code, clearAfterSeconds);
    return { secondsLeft };
  }

  private audit(kind: TotpAuditKind, token: TokenMeta, extra: Record<string, string | number | boolean> = {}): Promise<unknown> {
    return this.record({
      kind,
      detail: { tokenId: token.id, label: token.label, ...extra },
      ...(token.accountId ? { accountId: token.accountId } : {}),
    });
  }
}
