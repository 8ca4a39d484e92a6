// Names are bytes: a name with escaped bytes reaches the host as exactly those bytes, readdir gives it back through nameFromBytes, and a name with no byte form is a typed error naming it.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { nameFromBytes, type FileTree } from '@stratum/core'
import { hostFileTree } from '../../src/index.js'
import { bytes, failsIo, ok, readAll, sandbox, type Sandbox, callModes } from './helpers.js'

let sb: Sandbox
let t: FileTree

const latin1 = (s: string): Buffer => Buffer.from(s, 'latin1')
const cafE9 = nameFromBytes(latin1('caf\xe9'))
const cafE8 = nameFromBytes(latin1('caf\xe8'))
/** the host's names of a directory, as latin1 text (one char per byte) */
const hostNames = (dir: string): string[] =>
  readdirSync(Buffer.from(dir, 'latin1'), { encoding: 'buffer' })
    .map((b) => b.toString('latin1'))
    .sort()

describe.each(callModes())('pin=$pin native=$native', ({ pin, native }) => {
  beforeEach(() => {
    sb = sandbox()
    t = hostFileTree(sb.root, { readOnly: false, pin, native })
  })
  afterEach(() => sb.dispose())

  it("two entries 'caf\\xe9' and 'caf\\xe8' stay two files with their exact bytes on disk", async () => {
    await ok(t.writeFile(cafE9, bytes('e9')))
    await ok(t.writeFile(cafE8, bytes('e8')))
    expect(hostNames(sb.root)).toEqual(['caf\xe8', 'caf\xe9'])
    expect(readFileSync(Buffer.concat([Buffer.from(`${sb.root}/`), latin1('caf\xe9')]), 'utf8')).toBe('e9')
    expect(await ok(t.readdir(''))).toEqual([cafE8, cafE9])
    expect(await readAll(await ok(t.read(cafE9)))).toBe('e9')
  })

  it('directories, symlink targets and renames with escaped bytes keep their bytes', async () => {
    await ok(t.mkdir(cafE9))
    await ok(t.writeFile(`${cafE9}/${cafE8}`, bytes('x')))
    await ok(t.symlink(`${cafE9}/${cafE8}`, 'link'))
    await ok(t.rename(`${cafE9}/${cafE8}`, `${cafE9}/moved-${cafE8}`))
    expect(hostNames(sb.root)).toEqual(['caf\xe9', 'link'])
    expect(hostNames(`${sb.root}/caf\xe9`)).toEqual(['moved-caf\xe8'])
    expect(readlinkSync(join(sb.root, 'link'), { encoding: 'buffer' }).toString('latin1')).toBe('caf\xe9/caf\xe8')
    expect(await ok(t.readlink('link'))).toBe(`${cafE9}/${cafE8}`)
    expect(await ok(t.readdir(cafE9))).toEqual([`moved-${cafE8}`])
  })

  // the mknod program takes text arguments: the node is made under a temporary name in the pinned directory and linked to its bytes
  it.runIf(pin)('a FIFO named with escaped bytes keeps its bytes', async () => {
    await ok(t.mkdir(cafE9))
    await ok(t.mknod(`${cafE9}/fifo-${cafE8}`, '|'))
    expect(hostNames(`${sb.root}/caf\xe9`)).toEqual(['fifo-caf\xe8'])
    expect((await ok(t.lstat(`${cafE9}/fifo-${cafE8}`))).type).toBe('|')
  })

  it('a name with a lone surrogate (no byte form) is EINVAL naming it, and nothing is created', async () => {
    const r = await t.writeFile('bad\ud800name', bytes('x'))()
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'Io', code: 'EINVAL', path: 'bad\ud800name' } })
    await failsIo(t.mkdir('d\udfffx'), 'EINVAL')
    await failsIo(t.symlink('to\ud800', 'l'), 'EINVAL')
    expect(readdirSync(sb.root)).toEqual([])
  })
})
