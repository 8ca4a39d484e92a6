// The resolver's shortcut for a path in a directory walked before gives what a full walk gives.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { FileTree } from '@stratum/core'
import { hostFileTree } from '../../src/index.js'
import { canPin } from '../../src/hostfs/resolve.js'
import { bytes, ok, sandbox, type Sandbox } from './helpers.js'

let sb: Sandbox
let t: FileTree

describe.runIf(canPin())('the directories of earlier walks', () => {
  beforeEach(() => {
    sb = sandbox()
    t = hostFileTree(sb.root, { readOnly: false })
  })
  afterEach(() => sb.dispose())

  it("a path ending in '/' or '/.' names the directory itself: the next name under it goes into it", async () => {
    await ok(t.mkdir('d'))
    for (const named of ['d/', 'd/.']) {
      await ok(t.lstat(named))
      await ok(t.writeFile(`${named === 'd/' ? 'd' : 'd/.'}/f${named.length}`, bytes('in d')))
    }
    expect(readFileSync(join(sb.root, 'd/f2'), 'utf8')).toBe('in d')
    expect(readFileSync(join(sb.root, 'd/./f3'), 'utf8')).toBe('in d')
    expect(existsSync(join(sb.root, 'f2')) || existsSync(join(sb.root, 'f3'))).toBe(false)
  })

  it('a directory reached through a symlink is walked again once the symlink points elsewhere', async () => {
    await ok(t.mkdir('one'))
    await ok(t.mkdir('two'))
    await ok(t.symlink('one', 'l'))
    await ok(t.writeFile('l/a', bytes('1')))
    await ok(t.unlink('l'))
    await ok(t.symlink('/two', 'l'))
    await ok(t.writeFile('l/b', bytes('2')))
    expect(readFileSync(join(sb.root, 'one/a'), 'utf8')).toBe('1')
    expect(readFileSync(join(sb.root, 'two/b'), 'utf8')).toBe('2')
    expect(existsSync(join(sb.root, 'one/b'))).toBe(false)
  })

  it('a directory replaced by another one under the same name is the new one', async () => {
    await ok(t.mkdir('d'))
    await ok(t.writeFile('d/a', bytes('old')))
    await ok(t.rename('d', 'old'))
    await ok(t.mkdir('d'))
    await ok(t.writeFile('d/b', bytes('new')))
    expect(readFileSync(join(sb.root, 'd/b'), 'utf8')).toBe('new')
    expect(existsSync(join(sb.root, 'old/b'))).toBe(false)
  })

  it('of several directories walked in turn, the one replaced is the new one and the others stay', async () => {
    await ok(t.mkdir('a'))
    await ok(t.mkdir('b'))
    await ok(t.writeFile('a/1', bytes('a1')))
    await ok(t.writeFile('b/1', bytes('b1')))
    await ok(t.rename('a', 'old'))
    await ok(t.mkdir('a'))
    await ok(t.writeFile('b/2', bytes('b2')))
    await ok(t.writeFile('a/2', bytes('a2')))
    expect(readFileSync(join(sb.root, 'a/2'), 'utf8')).toBe('a2')
    expect(readFileSync(join(sb.root, 'b/2'), 'utf8')).toBe('b2')
    expect(existsSync(join(sb.root, 'old/2'))).toBe(false)
  })
})
