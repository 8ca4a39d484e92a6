import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { chainIdOf, chainIds, type DiffId, parseChainId, parseDigest, sha256 } from '../../src/oci/digest.js'

const d = (c: string) => `sha256:${c.repeat(64)}` as DiffId

describe('digests', () => {
  it('sha256 of a known string', () => {
    expect(sha256('abc')).toBe('sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
  })

  it('parses only sha256:<64 lower hex>', () => {
    expect(E.isRight(parseDigest(d('a')))).toBe(true)
    for (const bad of [
      `sha256:${'A'.repeat(64)}`,
      `sha512:${'a'.repeat(64)}`,
      `sha256:${'a'.repeat(63)}`,
      'a'.repeat(64),
      '',
    ]) {
      expect(parseDigest(bad)).toMatchObject({ _tag: 'Left', left: { _tag: 'InvalidName', name: bad } })
    }
    expect(E.isLeft(parseChainId('sha256:zz'))).toBe(true)
  })

  // vectors computed with sha256sum: chainID(L2) = sha256("<diffID(L1)> <diffID(L2)>")
  it('chainID of a stack follows the OCI formula', () => {
    expect(chainIdOf('empty', d('a'))).toBe(d('a'))
    const ids = chainIds([d('a'), d('b'), d('c')])
    expect(ids[0]).toBe(d('a'))
    expect(ids[1]).toBe('sha256:ccd722928bd92476ba1745586fed6e45a102504185ad88cd89e01ff116fd146c')
    expect(ids[2]).toBe('sha256:c1377126441fb2f5ec2c21ae2a60255331d639e830f0ee1b40a36e52d4c40588')
    expect(chainIdOf(ids[1]!, d('c'))).toBe(ids[2])
  })

  it('the same diff over two parents gives two chainIDs', () => {
    expect(chainIdOf(chainIdOf('empty', d('a')), d('c'))).not.toBe(chainIdOf(chainIdOf('empty', d('b')), d('c')))
  })
})
