// Platform names and matching as containerd's platforms package has them.
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { formatPlatform, hostPlatform, parsePlatform, platformRank } from '../../src/oci/platform.js'

const p = (s: string) => {
  const r = parsePlatform(s)
  if (E.isLeft(r)) throw new Error(s)
  return r.right
}

describe('platforms', () => {
  it('normalises Go and Linux spellings', () => {
    expect(formatPlatform(p('linux/x86_64'))).toBe('linux/amd64')
    expect(formatPlatform(p('linux/aarch64'))).toBe('linux/arm64')
    expect(formatPlatform(p('linux/arm64/v8'))).toBe('linux/arm64')
    expect(formatPlatform(p('linux/arm'))).toBe('linux/arm/v7')
    expect(formatPlatform(p('linux/arm/6'))).toBe('linux/arm/v6')
    expect(formatPlatform(p('linux/amd64/v1'))).toBe('linux/amd64')
    expect(formatPlatform(p('linux/amd64/v3'))).toBe('linux/amd64/v3')
  })

  it('refuses what is not os/arch[/variant], naming it', () => {
    for (const s of ['linux', 'linux/', 'a/b/c/d', 'linux/amd 64'])
      expect(parsePlatform(s)).toMatchObject({ _tag: 'Left', left: { _tag: 'InvalidName', name: s } })
  })

  it('matches os, architecture and variant; an arm host also runs lower arm variants, ranked after its own', () => {
    expect(platformRank(p('linux/arm64'), { os: 'linux', architecture: 'arm64', variant: 'v8' })).toBe(0)
    expect(platformRank(p('linux/amd64'), { os: 'linux', architecture: 'arm64' })).toBeUndefined()
    expect(platformRank(p('linux/amd64'), { os: 'freebsd', architecture: 'amd64' })).toBeUndefined()
    expect(platformRank(p('linux/amd64'), { os: 'linux', architecture: 'amd64', variant: 'v3' })).toBeUndefined()
    expect(platformRank(p('linux/arm/v7'), { os: 'linux', architecture: 'arm' })).toBe(0)
    expect(platformRank(p('linux/arm/v7'), { os: 'linux', architecture: 'arm', variant: 'v6' })).toBe(1)
    expect(platformRank(p('linux/arm/v6'), { os: 'linux', architecture: 'arm', variant: 'v7' })).toBeUndefined()
  })

  it("this host's platform is in Go's spelling", () => {
    const h = hostPlatform()
    expect(h.os).toBe(process.platform)
    expect(['x64', 'ia32', 'mipsel']).not.toContain(h.architecture)
    expect(platformRank(h, h)).toBe(0)
  })
})
