// `npm run package`: a production build (vsce runs `vscode:prepublish`) packaged into a .vsix,
// offline. Everything the extension
// needs is bundled into dist/, so vsce packs no node_modules; .vscodeignore keeps sources, tests,
// maps and tools out. Prints the file's size and contents.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export function packageExtension(root, out) {
  const { name, version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const vsix = out ?? join(root, `${name}-${version}.vsix`);
  const r = spawnSync(process.execPath, [
    join(root, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--out', vsix,
  ], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`vsce package failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
  return { vsix, bytes: statSync(vsix).size };
}

function listVsix(vsix) {
  const r = spawnSync('unzip', ['-l', vsix], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout : '';
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  try {
    const { vsix, bytes } = packageExtension(root);
    process.stdout.write(listVsix(vsix));
    console.log(`${relative(root, vsix)}: ${(bytes / 1024).toFixed(1)} KiB (${bytes} bytes)`);
  } catch (err) {
    console.error(err.message);
    process.exit(1);
  }
}
