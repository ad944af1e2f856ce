import { randomUUID } from 'node:crypto';
import { UserError } from '../errors';
import { validateNewToken, checkLabel } from './input';
import { normalizeBase32 } from './secret';
import type { AddTokenInput, TokenMeta, TotpAlgorithm } from './types';

/** The subset of VS Code's SecretStorage the store needs (encrypted, never synced). */
export interface SecretStore {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
}

/** The subset of a Memento (globalState) the store needs. Holds labels and parameters only. */
export interface StateStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

export const STATE_KEY = 'rootTasks.totp';
export const secretKey = (id: string): string => `rootTasks.totp.secret.${id}`;

/** What global state holds under STATE_KEY: the token list and the chosen token, no secrets. */
interface ListState {
  tokens: TokenMeta[];
  selectedId?: string;
}

/** Which token a command means: by id (from the UI) or by label (scripted callers). */
export interface TokenRef {
  id?: string;
  label?: string;
}

/**
 * The token list in global state and each token's secret in SecretStorage, kept consistent:
 * everything is validated before the first write, and a half-done add is rolled back.
 */
export class TokenStore {
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly secrets: SecretStore,
    private readonly state: StateStore,
    private readonly newId: () => string = randomUUID,
  ) {}

  list(): readonly TokenMeta[] {
    return this.read().tokens;
  }

  /** The chosen token; the first one when none was chosen or the chosen one is gone. */
  selected(): TokenMeta | undefined {
    const { tokens, selectedId } = this.read();
    return tokens.find((t) => t.id === selectedId) ?? tokens[0];
  }

  find(ref: TokenRef): TokenMeta | undefined {
    const tokens = this.list();
    if (ref.id !== undefined) return tokens.find((t) => t.id === ref.id);
    const label = ref.label?.trim().toLowerCase();
    return label ? tokens.find((t) => t.label.toLowerCase() === label) : undefined;
  }

  /** Like find, but a missing token is a user-facing error. */
  get(ref: TokenRef): TokenMeta {
    const token = this.find(ref);
    if (!token) throw new UserError(ref.label ? `No TOTP token is labelled "${ref.label}".` : 'That TOTP token no longer exists.');
    return token;
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Validates, then stores the secret and the list entry; the new token becomes the chosen one. */
  async add(input: AddTokenInput): Promise<TokenMeta> {
    const current = this.read();
    const valid = validateNewToken(input, current.tokens);
    const token: TokenMeta = { id: this.newId(), ...valid.meta };
    await this.secrets.store(secretKey(token.id), valid.secret);
    try {
      await this.write({ tokens: [...current.tokens, token], selectedId: token.id });
    } catch (err) {
      await this.secrets.delete(secretKey(token.id));
      throw err;
    }
    return token;
  }

  /** Deletes the secret first: a list entry without a secret is visible and removable again. */
  async remove(id: string): Promise<void> {
    await this.secrets.delete(secretKey(id));
    const current = this.read();
    await this.write({
      tokens: current.tokens.filter((t) => t.id !== id),
      selectedId: current.selectedId === id ? undefined : current.selectedId,
    });
  }

  async rename(id: string, newLabel: string): Promise<TokenMeta> {
    const current = this.read();
    const token = this.get({ id });
    const renamed = { ...token, label: checkLabel(newLabel, current.tokens, id) };
    await this.write({ ...current, tokens: current.tokens.map((t) => (t.id === id ? renamed : t)) });
    return renamed;
  }

  async select(id: string): Promise<void> {
    const current = this.read();
    this.get({ id });
    await this.write({ ...current, selectedId: id });
  }

  /** The token's key bytes, read from SecretStorage on every call (nothing cached here). */
  async secretBytes(id: string): Promise<Uint8Array> {
    const stored = await this.secrets.get(secretKey(id));
    if (stored === undefined) {
      throw new UserError('The secret of this TOTP token is missing from this machine\'s secret storage: remove the token and add it again.');
    }
    return normalizeBase32(stored).bytes;
  }

  private read(): ListState {
    const raw = this.state.get<Partial<ListState>>(STATE_KEY);
    const tokens = Array.isArray(raw?.tokens) ? raw.tokens.filter(isTokenMeta) : [];
    return { tokens, selectedId: typeof raw?.selectedId === 'string' ? raw.selectedId : undefined };
  }

  private async write(next: ListState): Promise<void> {
    await this.state.update(STATE_KEY, next);
    for (const listener of [...this.listeners]) listener();
  }
}

const ALGORITHMS: readonly TotpAlgorithm[] = ['sha1', 'sha256', 'sha512'];

/** Global state is outside our control (older versions, hand edits): skip entries we cannot use. */
function isTokenMeta(value: unknown): value is TokenMeta {
  const t = value as Partial<TokenMeta> | null;
  return typeof t === 'object' && t !== null
    && typeof t.id === 'string' && typeof t.label === 'string'
    && ALGORITHMS.includes(t.algorithm as TotpAlgorithm)
    && Number.isInteger(t.digits) && Number.isInteger(t.period) && (t.period as number) > 0
    && (t.accountId === undefined || typeof t.accountId === 'string');
}
