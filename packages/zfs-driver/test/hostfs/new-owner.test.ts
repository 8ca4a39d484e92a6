// A file created with the owner it would get anyway skips its fchown; where the directory's owner or group rules differ, it is chowned.
import { chmodSync, chownSync, lstatSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { bytes, callModes, eachFreshTree, ok } from './helpers.js'

const root = process.geteuid?.() === 0

describe.each(callModes())('pin=$pin native=$native', (mode) => {
  const fresh = eachFreshTree(mode)
  const host = (p: string): string => join(fresh.box().root, p)
  const owner = (p: string): string => {
    const st = lstatSync(host(p))
    return `${st.uid}:${st.gid}`
  }
  const modeOf = (p: string): number => lstatSync(host(p)).mode & 0o7777

  it("a file given this process's own owner has it", async () => {
    const t = fresh.tree()
    await ok(t.mkdir('d'))
    await ok(t.writeFile('d/a', bytes('a'), { uid: process.geteuid!(), gid: process.getegid!(), mode: 0o640 }))
    expect(owner('d/a')).toBe(`${process.geteuid!()}:${process.getegid!()}`)
    expect(modeOf('d/a')).toBe(0o640)
  })

  it.runIf(root)('in a setgid directory of another group, a file asked to be root:root is root:root', async () => {
    const t = fresh.tree()
    await ok(t.mkdir('d'))
    chownSync(host('d'), 0, 4321)
    chmodSync(host('d'), 0o2755)
    await ok(t.writeFile('d/a', bytes('a'), { uid: 0, gid: 0 }))
    expect(owner('d/a')).toBe('0:0')
  })

  it.runIf(root)(
    'a directory this tree made setgid of another group after a file was written in it: the next file is still root:root',
    async () => {
      const t = fresh.tree()
      await ok(t.mkdir('d'))
      await ok(t.writeFile('d/a', bytes('a'), { uid: 0, gid: 0 }))
      await ok(t.chown('d', 0, 4321))
      await ok(t.chmod('d', 0o2755))
      await ok(t.writeFile('d/b', bytes('b'), { uid: 0, gid: 0 }))
      expect(owner('d/b')).toBe('0:0')
    },
  )

  it.runIf(root)('a file of another owner, and setuid/setgid: owner and mode both set', async () => {
    const t = fresh.tree()
    await ok(t.mkdir('d'))
    await ok(t.writeFile('d/a', bytes('a'), { uid: 1234, gid: 0, mode: 0o4755 }))
    await ok(t.writeFile('d/b', bytes('b'), { uid: 0, gid: 5678, mode: 0o2755 }))
    expect([owner('d/a'), owner('d/b')]).toEqual(['1234:0', '0:5678'])
    expect([modeOf('d/a'), modeOf('d/b')]).toEqual([0o4755, 0o2755])
  })

  it.runIf(root)('a file rewritten in place (truncate) is still chowned to what is asked', async () => {
    const t = fresh.tree()
    await ok(t.writeFile('f', bytes('a'), { uid: 1234, gid: 1234 }))
    await ok(t.writeFile('f', bytes('b'), { flag: 'truncate', uid: 0, gid: 0 }))
    expect(owner('f')).toBe('0:0')
  })
})
