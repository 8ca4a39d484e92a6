/** The CLI's version: the `version` field of this package's package.json (beside src/ and dist/). */
import { readFileSync } from 'node:fs'
import * as t from 'io-ts'

const Manifest = t.type({ version: t.string })

const read = (): string => {
  const m: unknown = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  return Manifest.is(m) ? m.version : 'unknown'
}

/** e.g. `0.1.0` */
export const VERSION = read()
