/**
 * External tools for the interoperability tests (umoci, skopeo, GNU tar). Where a tool is
 * missing, the tests that need it are skipped with the reason in their name; under CI
 * (CI=true) a missing tool is a failing test instead, since .ci/run installs them.
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { it } from 'vitest'

const exec = promisify(execFile)

export const hasTool = async (tool: string): Promise<boolean> =>
  exec(tool, ['--version']).then(
    () => true,
    () => false,
  )

/** Runs a tool; a failure throws with its stderr. */
export const sh = async (cwd: string, tool: string, ...args: string[]): Promise<string> => {
  try {
    return (await exec(tool, args, { cwd, maxBuffer: 64 * 1024 * 1024 })).stdout
  } catch (e) {
    const x = e as { stderr?: string; message: string }
    throw new Error(`${tool} ${args.join(' ')} failed: ${x.stderr ?? x.message}`)
  }
}

/** `it` when every tool is there; else a visible skip, or under CI a failing test naming the missing tools. */
export const itWith = (tools: Record<string, boolean>): typeof it => {
  const missing = Object.entries(tools)
    .filter(([, ok]) => !ok)
    .map(([t]) => t)
  if (missing.length === 0) return it
  const why = `${missing.join(', ')} not installed (apt-get install -y ${missing.join(' ')})`
  if (process.env.CI === 'true') {
    return ((name: string) =>
      it(`${name} [${why}]`, () => {
        throw new Error(`interop test cannot run: ${why}; .ci/run installs them as root on Debian`)
      })) as unknown as typeof it
  }
  return ((name: string, fn?: () => unknown) => it.skip(`${name} [skipped: ${why}]`, fn)) as unknown as typeof it
}
