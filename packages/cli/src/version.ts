/** The CLI's version: the `version` field of this package's package.json (beside src/ and dist/). */
import { readFileSync } from 'node:fs'

const read = (): string => {
  // our own file, read at every start: a plain check, so `--help` loads no codec library
  const m: unknown = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  return typeof m === 'object' && m !== null && 'version' in m && typeof m.version === 'string' ? m.version : 'unknown'
}

/** e.g. `0.1.0` */
export const VERSION = read()
