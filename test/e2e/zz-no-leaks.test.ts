// Runs last (file order): after every e2e flow has taken its root and role sessions, not one
// secret key or session token the sandbox issued may appear in any file of the run — user data,
// extension storage (global storage, audit log), logs, output channel logs, Chromium profiles,
// code-server's own output — except the harness's fixture file, which holds the seed's keys.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { sandboxControl } from '../sandbox/controlClient';
import { readFixture } from '../support/fixtures';
import { e2eRun } from './support/workbench';

const MAX_FILE_BYTES = 64 * 1024 * 1024;

function* files(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(p);
    else if (entry.isFile()) yield p;
  }
}

describe('no issued secret leaks anywhere', () => {
  it('finds none of the sandbox-issued secret keys and session tokens in the run folder', async () => {
    const sandbox = readFixture<{ endpoint: string }>('sandbox');
    assert.ok(sandbox?.endpoint, 'the sandbox fixture did not run');
    const { credentials } = await sandboxControl(sandbox.endpoint).issuedCredentials();
    const rootSessions = credentials.filter((c) => c.source === 'AssumeRoot').length;
    assert.ok(rootSessions > 0, 'the e2e flows took root sessions, so there is something to look for');
    const needles = credentials.flatMap((c) => [c.secretAccessKey, c.sessionToken]).map((s) => Buffer.from(s));
    const run = e2eRun();
    const found: string[] = [];
    let scanned = 0;
    for (const file of files(run.dirs.base)) {
      if (file.endsWith('fixtures.json')) continue;
      if (statSync(file).size > MAX_FILE_BYTES) continue;
      const bytes = readFileSync(file);
      scanned++;
      for (const needle of needles) {
        if (bytes.includes(needle)) {
          found.push(relative(run.dirs.base, file));
          break;
        }
      }
    }
    console.log(`looked for ${needles.length} secrets from ${credentials.length} issued credentials (${rootSessions} root sessions) in ${scanned} files`);
    assert.deepEqual(found, [], 'issued secrets found in these files');
    assert.ok(scanned > 50, 'the run folder was actually scanned');
  });
});
