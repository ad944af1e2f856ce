// The TOTP feature in the real extension host: a token added through the command (arguments
// instead of prompts), the status bar showing the code otplib computes for that moment, copy and
// the clipboard cleared after the configured delay, and the secret nowhere but SecretStorage.
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { generateSecret, generateSync } from 'otplib';
import { base32Bytes } from '../support/base32';
import { until, watchTimers, type TimerWatch, type WatchedTimer } from './support/wait';

const EXTENSION_ID = 'aws-root-tasks.aws-root-tasks';
const LABEL = 'host-test-root';
// rootTasks.totp.clipboardClearSeconds for this suite.
const CLEAR_SECONDS = 3;
const ACCOUNT = '111122223333';

interface TotpApi {
  store: { list(): readonly { id: string; label: string }[] };
  statusText(): string | undefined;
  persisted(): { globalState: Record<string, unknown>; directories: string[] };
}

/**
 * The codes otplib gives for the seconds around a read, each with the seconds left it shows, so a
 * read on a step boundary still matches. `renderedUpTo` seconds before the read count too: the
 * status bar re-renders on a timer at each second, which a busy extension host can run late.
 */
async function around<T>(secret: string, read: () => T | PromiseLike<T>, renderedUpTo = 0): Promise<{ value: T; codes: Map<string, number[]> }> {
  const before = Math.floor(Date.now() / 1000) - renderedUpTo;
  const value = await read();
  const after = Math.floor(Date.now() / 1000);
  const codes = new Map<string, number[]>();
  for (let t = before; t <= after; t++) {
    const code = generateSync({ secret, epoch: t });
    codes.set(code, [...(codes.get(code) ?? []), 30 - (t % 30)]);
  }
  return { value, codes };
}

/** The clipboard-clear timers a copy set (the configured delay): at least one, or the copy set none. */
function clearTimers(watch: TimerWatch): WatchedTimer[] {
  const clear = watch.timers.filter((t) => t.delayMs === CLEAR_SECONDS * 1000);
  assert.ok(clear.length > 0, `the copy set no ${CLEAR_SECONDS} s timer; timers set: ${watch.timers.map((t) => t.delayMs).join(', ') || 'none'} ms`);
  return clear;
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return filesUnder(p);
    return e.isFile() && fs.statSync(p).size < 50 * 1024 * 1024 ? [p] : [];
  });
}

describe('TOTP', () => {
  let api: TotpApi;
  // A fresh random secret per run: nothing here can pass on a remembered value.
  const secret = generateSecret({ length: 20 });
  const config = () => vscode.workspace.getConfiguration('rootTasks.totp');

  before(async () => {
    const ext = vscode.extensions.getExtension<{ totp: TotpApi }>(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
    api = (await ext.activate()).totp;
    await config().update('clipboardClearSeconds', CLEAR_SECONDS, vscode.ConfigurationTarget.Global);
    await config().update('mask', false, vscode.ConfigurationTarget.Global);
    if (api.store.list().some((t) => t.label === LABEL)) {
      await vscode.commands.executeCommand('rootTasks.removeTotpToken', { label: LABEL });
    }
  });

  after(async () => {
    if (api?.store.list().some((t) => t.label === LABEL)) {
      await vscode.commands.executeCommand('rootTasks.removeTotpToken', { label: LABEL });
    }
    await config().update('clipboardClearSeconds', undefined, vscode.ConfigurationTarget.Global);
    await config().update('mask', undefined, vscode.ConfigurationTarget.Global);
  });

  it('adds a token through the command, with arguments instead of prompts', async () => {
    const token = await vscode.commands.executeCommand<{ id: string; label: string; accountId?: string }>(
      'rootTasks.addTotpToken', { label: LABEL, secret: secret.toLowerCase(), accountId: ACCOUNT });
    assert.ok(token, 'the command returned nothing: it failed (see the log)');
    assert.equal(token.label, LABEL);
    assert.equal(token.accountId, ACCOUNT);
    assert.ok(!JSON.stringify(token).toUpperCase().includes(secret), 'the command result carries the secret');
    assert.deepEqual(api.store.list().filter((t) => t.label === LABEL).map((t) => t.id), [token.id]);
  });

  it('refuses bad input with nothing stored', async () => {
    const before = JSON.stringify(api.store.list());
    for (const bad of [
      { label: 'bad-1', secret: 'not base32!' },
      { label: 'bad-2', secret: 'JBSWY3DPEHPK2' }, // 64 bits: a truncated paste (80-bit seeds are accepted)
      { label: 'bad-3', secret: `otpauth://hotp/x?secret=${secret}` },
      { label: 'bad-4', secret: `otpauth://totp/x?secret=${secret}&algorithm=MD5` },
      { label: LABEL.toUpperCase(), secret },
    ]) {
      const result = await vscode.commands.executeCommand('rootTasks.addTotpToken', bad);
      assert.equal(result, undefined, `${bad.label} was accepted`);
    }
    assert.equal(JSON.stringify(api.store.list()), before);
  });

  it('shows the code otplib computes for this moment and the seconds left', async () => {
    await until('the code in the status bar', () => api.statusText(), (t) => /\d{3} \d{3} · \d+s$/.test(t ?? ''));
    const { value: text, codes } = await around(secret, () => api.statusText(), 1);
    const match = /^\$\(key\) (.+) (\d{3}) (\d{3}) · (\d+)s$/.exec(text ?? '');
    assert.ok(match, `unexpected status bar text ${JSON.stringify(text)}`);
    assert.equal(match[1], LABEL);
    const code = `${match[2]}${match[3]}`;
    assert.ok(codes.has(code), `status bar shows ${code}, otplib computes ${[...codes.keys()].join(' or ')}`);
    assert.ok(codes.get(code)!.includes(Number(match[4])), `status bar shows ${match[4]} s left, otplib computes ${codes.get(code)!.join(' or ')} s for ${code}`);
  });

  it('masks the code until revealed', async () => {
    await config().update('mask', true, vscode.ConfigurationTarget.Global);
    try {
      await until('the masked code', () => api.statusText(), (t) => t === `$(key) ${LABEL} ••• •••`);
      await vscode.commands.executeCommand('rootTasks.revealTotpCode');
      const { value: text, codes } = await around(secret, () => api.statusText(), 1);
      const code = /(\d{3}) (\d{3}) · \d+s$/.exec(text ?? '');
      assert.ok(code, `not revealed: ${JSON.stringify(text)}`);
      assert.ok(codes.has(`${code[1]}${code[2]}`));
    } finally {
      await config().update('mask', false, vscode.ConfigurationTarget.Global);
    }
  });

  it('copies the code and clears the clipboard after the configured delay', async () => {
    await vscode.env.clipboard.writeText('before');
    const started = Date.now();
    const timers = watchTimers();
    try {
      const { value: copied, codes } = await around(secret, async () => {
        await vscode.commands.executeCommand('rootTasks.copyTotpCode');
        return vscode.env.clipboard.readText();
      });
      timers.stop();
      assert.ok(codes.has(copied), `clipboard holds ${JSON.stringify(copied)}, otplib computes ${[...codes.keys()].join(' or ')}`);
      const clear = clearTimers(timers);
      const cleared = await until('the clipboard to be cleared', async () => ({ text: await vscode.env.clipboard.readText(), at: Date.now() }), (r) => r.text === '');
      assert.ok(clear.some((t) => t.firedAt !== undefined), 'the clipboard was cleared, but not by the clear timer');
      assert.ok(cleared.at - started >= CLEAR_SECONDS * 1000,
        `cleared ${cleared.at - started} ms after the copy started, before the ${CLEAR_SECONDS} s delay`);
    } finally {
      timers.dispose();
    }
  });

  it('leaves the clipboard alone when it no longer holds the code', async () => {
    const timers = watchTimers();
    try {
      await vscode.commands.executeCommand('rootTasks.copyTotpCode');
      timers.stop();
      assert.match(await vscode.env.clipboard.readText(), /^\d{6}$/);
      await vscode.env.clipboard.writeText('copied by the user since');
      // Not a sleep past the delay: the clear timer itself must have run.
      const clear = clearTimers(timers);
      await until('the clipboard clear timer to run', () => clear.every((t) => t.done), Boolean);
      // Its check reads the clipboard (a round trip to the workbench) and would clear right after:
      // a read of ours that starts after that reply sees whatever it did.
      await vscode.env.clipboard.readText();
      assert.equal(await vscode.env.clipboard.readText(), 'copied by the user since');
    } finally {
      timers.dispose();
    }
  });

  it('keeps the secret out of global state, settings, logs and the audit log', async () => {
    const { globalState, directories } = api.persisted();
    const token = api.store.list().find((t) => t.label === LABEL);
    assert.ok(token);
    const seedHex = Buffer.from(base32Bytes(secret)).toString('hex');
    const needles = [secret, secret.toLowerCase(), seedHex, Buffer.from(base32Bytes(secret)).toString('base64')];
    const leaks = (text: string) => needles.filter((n) => text.includes(n));

    assert.ok(JSON.stringify(globalState).includes(LABEL), 'the token list is not in global state: the check below would prove nothing');
    assert.deepEqual(leaks(JSON.stringify(globalState)), [], 'global state');
    assert.deepEqual(leaks(JSON.stringify(vscode.workspace.getConfiguration())), [], 'settings');

    const scan = () => directories.flatMap(filesUnder).map((f) => ({ f, text: fs.readFileSync(f, 'latin1') }));
    // The scan must cover what it claims to: the log line and the audit event of the add (log
    // files are written asynchronously, hence the wait), and the user settings file.
    const read = await until(`the log line and the audit event under ${directories.join(', ')}`, scan, (files) =>
      files.some(({ text }) => text.includes(`token ${token.id} added`))
      && files.some(({ text }) => text.includes('totp.added') && text.includes(token.id)));
    assert.ok(read.some(({ f }) => path.basename(f) === 'settings.json'), 'user settings.json not found');
    assert.deepEqual(read.filter(({ text }) => leaks(text).length).map(({ f }) => f), [], 'files holding the secret');
  });

  it('removes the token and hides the status bar', async () => {
    await vscode.commands.executeCommand('rootTasks.removeTotpToken', { label: LABEL });
    assert.deepEqual(api.store.list().filter((t) => t.label === LABEL), []);
    assert.ok(!(api.statusText() ?? '').includes(LABEL), 'the status bar still shows the removed token');
    if (api.store.list().length === 0) assert.equal(api.statusText(), undefined);
  });
});
