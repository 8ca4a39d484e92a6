// Bundles the built CLI (dist/bin.js, after `tsc -b`) and its JavaScript dependencies into one
// file, dist/stratum.js, the package's `bin`: Node then reads and links one module at start
// instead of about two hundred. The two native addons stay outside, loaded by require where used.
import { build } from 'esbuild'

const esModuleBuilds = {
  name: 'es-module-builds',
  setup(b) {
    b.onResolve({ filter: /^(fp-ts|io-ts)\/lib\// }, (a) =>
      b.resolve(a.path.replace('/lib/', '/es6/'), { kind: a.kind, resolveDir: a.resolveDir }),
    )
  },
}

const here = new URL('.', import.meta.url).pathname
await build({
  entryPoints: [`${here}dist/bin.js`],
  outfile: `${here}dist/stratum.js`,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  external: ['koffi', '@napi-rs/xattr'],
  // fp-ts's and io-ts's ES module builds: no CommonJS wrappers to run and copy at start
  mainFields: ['module', 'main'],
  plugins: [esModuleBuilds],
  // CommonJS dependencies (fp-ts, commander) call require for Node's built-ins
  banner: {
    js: "import { createRequire as __stratumRequire } from 'node:module'\nconst require = __stratumRequire(import.meta.url)",
  },
  logLevel: 'warning',
})
