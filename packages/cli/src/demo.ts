/** `pnpm demo [--clean]`: runs the demo (see demo/run.ts), keeping its directory unless --clean; non-zero if a check fails. */
import { runDemo } from './demo/run.js'

const ok = await runDemo((line) => console.log(line), { keep: !process.argv.includes('--clean') })
process.exitCode = ok ? 0 : 1
