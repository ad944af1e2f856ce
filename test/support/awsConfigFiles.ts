import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface AwsConfigFiles {
  dir: string;
  /** Puts the environment back as it was and removes the folder. */
  restore(): void;
}

/**
 * A test's own AWS config: `config` and `credentials` written into a new temporary folder, and the
 * SDK's shared-ini loader pointed at them (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, no
 * AWS_PROFILE; HOME too with `home`, where the SSO token cache lives), never the home directory's.
 */
export function useAwsConfigFiles(prefix: string, files: { config: string[]; credentials?: string[] }, options: { home?: boolean } = {}): AwsConfigFiles {
  const keys = ['AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_PROFILE', ...(options.home ? ['HOME'] : [])];
  const saved = Object.fromEntries(keys.map((k) => [k, process.env[k]]));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.writeFileSync(path.join(dir, 'config'), files.config.join('\n'));
  fs.writeFileSync(path.join(dir, 'credentials'), (files.credentials ?? []).join('\n'));
  if (options.home) process.env.HOME = dir;
  process.env.AWS_CONFIG_FILE = path.join(dir, 'config');
  process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'credentials');
  delete process.env.AWS_PROFILE;
  return {
    dir,
    restore() {
      for (const k of keys) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
