// localExecutor runs argv without a shell: exit code, stdout bytes and stderr text come back; a program that cannot start rejects.
import { describe, expect, it } from 'vitest'
import { datasetName } from '@stratum/core'
import { createZfsDriver, localExecutor } from '../src/index.js'

describe('localExecutor', () => {
  it('returns a non-zero exit as a value, stdout as bytes, stderr as text, with LC_ALL=C', async () => {
    const r = await localExecutor(['/bin/sh', '-c', 'printf "a\\tb\\377"; echo "LC_ALL=$LC_ALL" >&2; exit 3'])
    expect(r.code).toBe(3)
    expect([...r.stdout]).toEqual([0x61, 0x09, 0x62, 0xff])
    expect(r.stderr).toBe('LC_ALL=C\n')
  })

  it('passes arguments verbatim (no shell): spaces, quotes, $ and newlines', async () => {
    const arg = `it's "$HOME" a\nb; rm -rf /`
    const r = await localExecutor(['/bin/echo', arg])
    expect(r.stdout.toString()).toBe(`${arg}\n`)
  })

  it('rejects when the program does not exist; the driver turns that into Io', async () => {
    await expect(localExecutor(['/nonexistent/zfs'])).rejects.toThrow()
    const r = await createZfsDriver({ exec: (argv) => localExecutor(['/nonexistent/zfs', ...argv.slice(1)]) }).promote(
      datasetName('p/a'),
    )()
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'Io', code: 'EIO', path: 'p/a' } })
  })
})
