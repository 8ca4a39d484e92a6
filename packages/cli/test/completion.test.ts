// `stratum completion bash|zsh|fish`: scripts generated from the registered commands, run in the shells themselves.
import { execFile, execFileSync } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { specOf } from '../src/completion/spec.js'
import { captureIo } from '../src/io.js'
import { buildProgram, main } from '../src/main.js'
import { BIN, tempDir } from './helpers.js'

const exec = promisify(execFile)
const spec = specOf(buildProgram(captureIo({ cwd: '/' }), async () => undefined))
const has = (shell: string): boolean => {
  try {
    execFileSync('sh', ['-c', `command -v ${shell}`], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

const scriptFile = async (shell: string): Promise<string> => {
  const io = captureIo({ cwd: '/' })
  expect(await main(['completion', shell], io)).toBe(0)
  const file = join(await tempDir(), `stratum.${shell}`)
  await writeFile(file, io.out())
  return file
}

/** What bash offers for the command line `words` (the last one the word being completed). */
const bashOffers = async (file: string, ...words: string[]): Promise<string[]> => {
  const line = ['stratum', ...words].map((w) => `'${w}'`).join(' ')
  const { stdout } = await exec('bash', [
    '-c',
    `source "$1"; COMP_WORDS=(${line}); COMP_CWORD=${words.length}; _stratum; printf '%s\\n' "\${COMPREPLY[@]}"`,
    'bash',
    file,
  ])
  return stdout.split('\n').filter((l) => l !== '')
}

describe('stratum completion bash', () => {
  it('registers _stratum for stratum when sourced from the binary', async () => {
    const { stdout } = await exec('bash', [
      '-c',
      `source <("${process.execPath}" "${BIN}" completion bash); complete -p stratum`,
    ])
    expect(stdout).toBe('complete -o default -F _stratum stratum\n')
  })

  it('completes commands, options, option values and argument values as registered', async () => {
    const file = await scriptFile('bash')
    expect(await bashOffers(file, '')).toEqual(spec.commands.map((c) => c.name))
    expect(await bashOffers(file, 'r')).toEqual(['rm', 'rmi', 'recover'])
    expect(await bashOffers(file, '--driver', '')).toEqual(['sim', 'zfs'])
    expect(await bashOffers(file, '--driver', 'zfs', '--base', 'p/s', 'ls', 'c')).toEqual(['containers'])
    expect(await bashOffers(file, 'ls', '')).toEqual(['layers', 'containers', 'images'])
    expect(await bashOffers(file, 'ls', '-')).toEqual(['-H', '-p', '-o', '--filter', '-h', '--help'])
    expect(await bashOffers(file, 'package', '-z', 'g')).toEqual(['gzip'])
    expect(await bashOffers(file, 'completion', '')).toEqual(['bash', 'zsh', 'fish'])
    // a container id or a file: nothing offered, so bash falls back to file names (-o default)
    expect(await bashOffers(file, 'rm', 'web', '')).toEqual([])
    expect(await bashOffers(file, 'ls', 'layers', '')).toEqual([])
  })
})

describe('stratum completion zsh and fish', () => {
  it('name every registered command and each of its options', async () => {
    for (const shell of ['zsh', 'fish']) {
      const io = captureIo({ cwd: '/' })
      expect(await main(['completion', shell], io)).toBe(0)
      for (const c of spec.commands) {
        expect(io.out(), `${shell} ${c.name}`).toContain(shell === 'zsh' ? `'${c.name}:` : `-a '${c.name}'`)
        for (const f of c.options.flatMap((o) => o.flags).filter((f) => f.startsWith('--')))
          expect(io.out(), `${shell} ${c.name} ${f}`).toContain(shell === 'zsh' ? `'${f}[` : `-l ${f.slice(2)}`)
      }
    }
  })

  it.runIf(has('zsh'))('zsh parses the script (zsh -n)', async () => {
    await exec('zsh', ['-n', await scriptFile('zsh')])
  })

  it.runIf(has('fish'))('fish completes from the script as bash does', async () => {
    const file = await scriptFile('fish')
    const offers = async (line: string): Promise<string[]> =>
      (await exec('fish', ['--no-config', '-c', `source $argv[1]; complete -C '${line}'`, file])).stdout
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => l.split('\t')[0]!)
    expect(await offers('stratum ls ')).toEqual(expect.arrayContaining(['layers', 'containers', 'images']))
    expect(await offers('stratum --driver ')).toEqual(['sim', 'zfs'])
    expect(await offers('stratum rm')).toEqual(expect.arrayContaining(['rm', 'rmi']))
  })
})

if (!has('zsh') || !has('fish'))
  console.log('completion.test: zsh or fish is not installed; their scripts are checked as text only')
