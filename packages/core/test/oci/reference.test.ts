import * as E from 'fp-ts/lib/Either.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatImageReference, parseImageReference } from '../../src/oci/reference.js'

const ok = (ref: string) => {
  const r = parseImageReference(ref)
  if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
  return r.right
}
const reason = (ref: string): string => {
  const r = parseImageReference(ref)
  if (E.isRight(r) || r.left._tag !== 'InvalidName') throw new Error(`${ref} was accepted`)
  return r.left.reason
}
const HEX = 'a'.repeat(64)

describe('image references (OCI/Docker grammar)', () => {
  it('splits domain, path, tag and digest', () => {
    expect(ok('busybox')).toEqual({
      name: 'busybox',
      domain: undefined,
      path: 'busybox',
      tag: undefined,
      digest: undefined,
    })
    expect(ok('library/debian:12.5-slim')).toMatchObject({
      name: 'library/debian',
      domain: undefined,
      tag: '12.5-slim',
    })
    expect(ok('localhost:5000/app/web:v1')).toMatchObject({ domain: 'localhost:5000', path: 'app/web', tag: 'v1' })
    expect(ok(`registry.example.com/x@sha256:${HEX}`)).toMatchObject({
      domain: 'registry.example.com',
      path: 'x',
      tag: undefined,
      digest: `sha256:${HEX}`,
    })
    expect(ok(`[::1]:5000/a:b@sha256:${HEX}`)).toMatchObject({ domain: '[::1]:5000', path: 'a', tag: 'b' })
    expect(ok('my_app__x.y-z')).toMatchObject({ path: 'my_app__x.y-z' })
  })
  it('refuses what distribution refuses, saying why', () => {
    expect(reason('')).toMatch(/empty/)
    expect(reason('Busybox')).toMatch(/invalid path component 'Busybox'/)
    expect(reason('a//b')).toMatch(/empty path component/)
    expect(reason('a/b:')).toMatch(/invalid tag ''/)
    expect(reason('a:-x')).toMatch(/invalid tag/)
    expect(reason(`a:${'t'.repeat(129)}`)).toMatch(/invalid tag/)
    expect(reason('a@sha256:short')).toMatch(/invalid digest/)
    expect(reason('a_/b')).toMatch(/invalid path component 'a_'/)
    expect(reason('-x.com/a')).toMatch(/invalid registry host/)
    expect(reason(`${'a'.repeat(256)}`)).toMatch(/longer than 255/)
  })
  // Property: a parsed reference formats back to the same string.
  it('formats back what it parsed', () => {
    const comp = fc.stringMatching(/^[a-z0-9]{1,5}([._-][a-z0-9]{1,4})?$/)
    const arb = fc.record({
      domain: fc.option(fc.constantFrom('localhost:5000', 'r.example.com', 'ghcr.io'), { nil: undefined }),
      path: fc.array(comp, { minLength: 1, maxLength: 3 }),
      tag: fc.option(fc.stringMatching(/^\w[\w.-]{0,10}$/), { nil: undefined }),
      digest: fc.option(fc.constant(`sha256:${HEX}`), { nil: undefined }),
    })
    fc.assert(
      fc.property(arb, ({ domain, path, tag, digest }) => {
        const text = `${domain === undefined ? '' : `${domain}/`}${path.join('/')}${tag === undefined ? '' : `:${tag}`}${digest === undefined ? '' : `@${digest}`}`
        expect(formatImageReference(ok(text))).toBe(text)
      }),
      { numRuns: 100 },
    )
  })
})
