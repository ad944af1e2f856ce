// `npm run tools`: installs what the host/e2e tiers and `npm start` need (Debian packages when
// root, code-server and playwright-core into .tools/). The tiers do this on first need anyway;
// run it by hand to typecheck test/e2e before a first `npm test`.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureTools } from './lib/tools.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const paths = await ensureTools(root);
console.log(`code-server: ${paths.codeServer}\nplaywright-core: ${paths.playwrightCore}\nchromium: ${paths.chromium}`);
