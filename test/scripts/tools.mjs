// `npm run tools`: installs what the host/e2e tiers and `npm start` need (Debian packages when
// root; playwright-core, and code-server with its Node per tested VS Code version, into .tools/).
// The tiers do this on first need anyway; run it by hand to typecheck test/e2e before a first
// `npm test`. ROOT_TASKS_VSCODE picks one VS Code version (test/README.md).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureTools } from './lib/tools.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const tools = await ensureTools(root);
for (const t of tools.targets) console.log(`${t.label}: code-server ${t.codeServer} on ${t.nodePath}`);
console.log(`playwright-core: ${tools.playwrightCore}\nchromium: ${tools.chromium}`);
