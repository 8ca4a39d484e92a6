/** `pnpm demo`: runs the demo (see demo/run.ts) and exits non-zero if any check fails. */
import { runDemo } from './demo/run.js'

const ok = await runDemo((line) => console.log(line), { keep: process.argv.includes('--keep') })
process.exitCode = ok ? 0 : 1
