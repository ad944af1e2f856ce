// `npm run package`: a production build (vsce runs `vscode:prepublish`) packaged into a .vsix,
// offline. Everything the extension needs is bundled into dist/ (packed, see esbuild.js), so vsce
// packs no node_modules; .vscodeignore keeps sources, tests, maps and tools out. Prints what vsce
// said, the file's contents and size; fails when vsce warned or the .vsix is over MAX_VSIX_BYTES.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The size promised for the .vsix (the bench's target too). */
export const MAX_VSIX_BYTES = 300 * 1024;

export function packageExtension(root, out) {
  const { name, version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const vsix = out ?? join(root, `${name}-${version}.vsix`);
  const r = spawnSync(process.execPath, [
    join(root, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--out', vsix,
  ], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`vsce package failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
  return { vsix, bytes: statSync(vsix).size, output: `${r.stdout}${r.stderr}` };
}

/** vsce's warnings (and npm's, from the prepublish script it runs). */
export function packageWarnings(output) {
  return output.split('\n').filter((l) => /\bwarn(ing)?\b/i.test(l));
}

function listVsix(vsix) {
  const r = spawnSync('unzip', ['-v', vsix], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout : '';
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  try {
    const { vsix, bytes, output } = packageExtension(root);
    // vsce's own lines, without the file tree it prints (the listing below has the sizes).
    process.stdout.write(output.split('\n').filter((l) => l.trim() && !/^[\s│├└─]/.test(l) && !/\.vsix$/.test(l.trim())).join('\n') + '\n');
    process.stdout.write(listVsix(vsix));
    console.log(`${relative(root, vsix)}: ${(bytes / 1024).toFixed(1)} KiB (${bytes} bytes; at most ${MAX_VSIX_BYTES / 1024} KiB)`);
    const warnings = packageWarnings(output);
    if (warnings.length) throw new Error(`packaging warned:\n${warnings.join('\n')}`);
    if (bytes > MAX_VSIX_BYTES) throw new Error(`the .vsix is ${bytes} bytes, over ${MAX_VSIX_BYTES}`);
  } catch (err) {
    console.error(err.message);
    process.exit(1);
  }
}
