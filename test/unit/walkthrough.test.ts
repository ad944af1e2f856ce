// The first-run walkthrough: its steps in package.json complete only through the context keys the
// extension sets (src/core/walkthrough.ts), and a done step stays done across activations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { WALKTHROUGH_STEPS, WalkthroughProgress, type WalkthroughStep } from '../../src/core/walkthrough';

const root = join(__dirname, '..', '..');

function memory(): { get<T>(k: string): T | undefined; update(k: string, v: unknown): Promise<void>; data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  return { data, get: <T>(k: string) => data.get(k) as T | undefined, update: async (k, v) => void data.set(k, v) };
}

test('a step is shown done once, when its condition holds, and again after a restart from the kept state', () => {
  const store = memory();
  const shown: WalkthroughStep[] = [];
  const progress = new WalkthroughProgress(store, (s) => shown.push(s));
  progress.mark('scanned', false);
  assert.deepEqual(shown, []);
  progress.mark('scanned');
  progress.mark('scanned');
  progress.mark('credentials');
  assert.deepEqual(shown, ['scanned', 'credentials']);
  assert.ok(progress.isDone('scanned') && !progress.isDone('totp'));

  const again: WalkthroughStep[] = [];
  const restarted = new WalkthroughProgress(store, (s) => again.push(s));
  // Shown in the walkthrough's order, whatever the order they happened in.
  assert.deepEqual(again, ['credentials', 'scanned']);
  assert.ok(restarted.isDone('credentials'));
});

test('a kept value that is not a step name is ignored', () => {
  const store = memory();
  store.data.set('rootTasks.walkthrough.v1', ['credentials', 'bogus']);
  const shown: string[] = [];
  new WalkthroughProgress(store, (s) => shown.push(s));
  assert.deepEqual(shown, ['credentials']);
});

test('package.json: one walkthrough whose steps complete on exactly the context keys the extension sets, with small images from media/', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    contributes: { walkthroughs: Array<{ id: string; steps: Array<{ id: string; description: string; completionEvents: string[]; media: { svg?: string; image?: string } }> }>; commands: Array<{ command: string }> };
  };
  const [walkthrough, ...others] = pkg.contributes.walkthroughs;
  assert.equal(others.length, 0);
  assert.deepEqual(walkthrough!.steps.map((s) => s.completionEvents), WALKTHROUGH_STEPS.map((s) => [`onContext:rootTasks.walkthrough.${s}`]));
  const declared = new Set(pkg.contributes.commands.map((c) => c.command));
  for (const step of walkthrough!.steps) {
    const file = step.media.svg ?? step.media.image;
    assert.ok(file && file.startsWith('media/') && existsSync(join(root, file)), `${step.id}: ${file}`);
    assert.ok(statSync(join(root, file)).size < 8 * 1024, `${file} is small`);
    // Every button runs one of the extension's own commands (or opens its settings).
    const buttons = [...step.description.matchAll(/\]\(command:([\w.]+)/g)].map((m) => m[1]!);
    assert.ok(buttons.length > 0, `${step.id} has a button`);
    for (const b of buttons) assert.ok(declared.has(b) || b === 'workbench.action.openSettings', `${step.id}: ${b}`);
  }
});
