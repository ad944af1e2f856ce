// Real OpenSSH keys for the approval tests, made by ssh-keygen into a temp folder (no passphrase),
// with an allowed-signers file naming who owns which key (the format git uses).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SIGNATURE_NAMESPACE } from '../../src/core/approval/request';

export interface TestKey {
  principal: string;
  /** The private key file (the public one is `${file}.pub`). */
  file: string;
  type: 'ed25519' | 'ecdsa';
}

export interface TestKeyring {
  dir: string;
  keys: Record<string, TestKey>;
  /** Lists the `allowed` principals' keys (scoped to the request namespace). */
  allowedSigners: string;
  close(): void;
}

export function makeKeyring(people: Record<string, { principal: string; type: 'ed25519' | 'ecdsa'; allowed: boolean }>): TestKeyring {
  const dir = mkdtempSync(join(tmpdir(), 'root-task-keys-'));
  const keys: Record<string, TestKey> = {};
  const lines: string[] = [];
  for (const [name, p] of Object.entries(people)) {
    const file = join(dir, name);
    execFileSync('ssh-keygen', ['-q', '-t', p.type, ...(p.type === 'ecdsa' ? ['-b', '256'] : []), '-N', '', '-C', p.principal, '-f', file]);
    keys[name] = { principal: p.principal, file, type: p.type };
    if (p.allowed) lines.push(`${p.principal} namespaces="${SIGNATURE_NAMESPACE}" ${readFileSync(`${file}.pub`, 'utf8').trim()}`);
  }
  const allowedSigners = join(dir, 'allowed_signers');
  writeFileSync(allowedSigners, `${lines.join('\n')}\n`);
  return { dir, keys, allowedSigners, close: () => rmSync(dir, { recursive: true, force: true }) };
}
