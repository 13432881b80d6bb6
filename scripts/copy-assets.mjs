// tsc compiles only TypeScript: this copies the data files the code reads at run time (vendor
// profiles, the dashboard's static files) beside the compiled JavaScript in dist/.
import { cpSync, readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';

const ROOTS = ['agent', 'checks', 'collector', 'schemas'];
const ASSETS = new Set(['.yaml', '.yml', '.css', '.js', '.html', '.svg', '.png', '.woff2']);
const SKIP = new Set(['testcases', 'fixtures', 'node_modules']);

let copied = 0;
function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (!SKIP.has(name)) walk(path);
    } else if (ASSETS.has(extname(name))) {
      cpSync(path, join('dist', path));
      copied++;
    }
  }
}
for (const root of ROOTS) walk(root);
console.log(`copied ${copied} asset files into dist/`);
