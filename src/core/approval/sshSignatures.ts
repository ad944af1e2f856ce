import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * OpenSSH signatures through the `ssh-keygen -Y` CLI (the mechanism git uses for SSH commit
 * signing): no signature code of our own. Signing uses a private key file or, given a public key
 * file, the key held by ssh-agent (SSH_AUTH_SOCK). Nothing here reads or keeps key material: the
 * files are handed to ssh-keygen by path.
 */
export interface Approver {
  /** The principal from the allowed-signers file. */
  principal: string;
  /** The key's fingerprint as `ssh-keygen -l` prints it (SHA256:...). */
  fingerprint: string;
}

export type SignatureCheck =
  | ({ ok: true } & Approver)
  | { ok: false; reason: 'unknownSigner' | 'badSignature' | 'malformed'; message: string; principal?: string };

export interface SignatureVerifier {
  verify(data: string, signature: string): Promise<SignatureCheck>;
}

export interface SshKeygenOptions {
  /** The ssh-keygen binary (default: from PATH). */
  binary?: string;
  namespace: string;
  timeoutMs?: number;
  /** Passed to ssh-keygen (SSH_AUTH_SOCK for the agent); default process.env. */
  env?: NodeJS.ProcessEnv;
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(opts: SshKeygenOptions, args: string[], input?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = execFile(opts.binary ?? 'ssh-keygen', args, { timeout: opts.timeoutMs ?? 20_000, env: opts.env ?? process.env, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      const code = err && typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : err ? -1 : 0;
      if (err && code === -1) {
        const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
        reject(new Error(missing ? 'ssh-keygen was not found: install OpenSSH (Debian: openssh-client).' : `ssh-keygen failed: ${err.message.split('\n')[0]}`));
        return;
      }
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
    // ssh-keygen may exit without reading its input (a refused signature): that EPIPE is not the result.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(input ?? '');
  });
}

async function withTemp<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'root-task-sig-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Signs `data` with a key file (private, or public with the private half in ssh-agent). */
export async function sshSign(opts: SshKeygenOptions, keyFile: string, data: string): Promise<string> {
  return withTemp(async (dir) => {
    const file = join(dir, 'request');
    await writeFile(file, data, { mode: 0o600 });
    // -q: no "Signing file" chatter; the signature lands in <file>.sig.
    const r = await run(opts, ['-Y', 'sign', '-q', '-n', opts.namespace, '-f', keyFile, file]);
    if (r.code !== 0) throw new Error(`ssh-keygen could not sign: ${firstLine(r.stderr) || `exit ${r.code}`}`);
    return readFile(`${file}.sig`, 'utf8');
  });
}

/** The fingerprint of a key file (public or private), as SHA256:... */
export async function sshFingerprint(opts: Omit<SshKeygenOptions, 'namespace'>, keyFile: string): Promise<string> {
  const r = await run({ ...opts, namespace: '' }, ['-l', '-E', 'sha256', '-f', keyFile]);
  const m = /\b(SHA256:[A-Za-z0-9+/]{43})\b/.exec(r.stdout);
  if (r.code !== 0 || !m) throw new Error(`ssh-keygen could not read the key ${keyFile}: ${firstLine(r.stderr) || `exit ${r.code}`}`);
  return m[1]!;
}

/**
 * Verifies against an allowed-signers file (the format git uses): find-principals names who the
 * signing key belongs to, then verify checks the signature over `data` for that principal and
 * namespace (and the key's valid-after/valid-before options).
 */
export function sshVerifier(opts: SshKeygenOptions & { allowedSigners: string }): SignatureVerifier {
  return {
    verify: (data, signature) => withTemp(async (dir) => {
      const sig = join(dir, 'approval.sig');
      if (!/^-----BEGIN SSH SIGNATURE-----\n[\s\S]+\n-----END SSH SIGNATURE-----\n?$/.test(signature)) {
        return { ok: false, reason: 'malformed', message: 'is not an OpenSSH signature' } as const;
      }
      await writeFile(sig, signature, { mode: 0o600 });
      const found = await run(opts, ['-Y', 'find-principals', '-n', opts.namespace, '-s', sig, '-f', opts.allowedSigners]);
      const principals = found.code === 0 ? found.stdout.split('\n').map((l) => l.trim()).filter(Boolean) : [];
      if (!principals.length) return { ok: false, reason: 'unknownSigner', message: 'was made with a key that is not in the allowed-signers file' } as const;
      for (const principal of principals) {
        const r = await run(opts, ['-Y', 'verify', '-n', opts.namespace, '-f', opts.allowedSigners, '-I', principal, '-s', sig], data);
        const fp = /\b(SHA256:[A-Za-z0-9+/]{43})\b/.exec(r.stdout);
        if (r.code === 0 && fp) return { ok: true, principal, fingerprint: fp[1]! } as const;
      }
      return { ok: false, reason: 'badSignature', principal: principals[0], message: `by ${principals[0]} does not match the request as it is now` } as const;
    }),
  };
}

function firstLine(text: string): string {
  return text.split('\n').map((l) => l.trim()).find(Boolean) ?? '';
}
