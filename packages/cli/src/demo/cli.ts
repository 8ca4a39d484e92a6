/** Running the CLI in-process with --json: one parsed document per call, or the error line. */
import { captureIo } from '../io.js'
import { main } from '../main.js'

export interface CliResult {
  readonly code: number
  readonly json: unknown
  readonly stderr: string
}

export const cliIn =
  (cwd: string, state: string) =>
  async (...args: string[]): Promise<CliResult> => {
    const io = captureIo({ cwd })
    const code = await main(['--json', '--state', state, ...args], io)
    const out = io.out().trim()
    return { code, json: out === '' ? undefined : JSON.parse(out), stderr: io.err().trim() }
  }
