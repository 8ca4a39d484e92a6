import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { matchesLabels, parseLabelArgs } from '../../src/store/labels.js'

describe('label arguments and filters', () => {
  it('k=v sets, k- drops, anything else names the argument', () => {
    expect(parseLabelArgs(['a=1', 'b=x=y', 'c-', 'e='])).toEqual(
      E.right({ set: { a: '1', b: 'x=y', e: '' }, drop: ['c'] }),
    )
    expect(parseLabelArgs(['a'])).toMatchObject(E.left({ _tag: 'InvalidName', name: 'a' }))
    expect(parseLabelArgs(['=v'])).toMatchObject(E.left({ _tag: 'InvalidName', name: '=v' }))
    expect(parseLabelArgs(['a=1', 'a-'])).toMatchObject(E.left({ _tag: 'InvalidName', name: 'a' }))
  })

  it('label=k needs the key, label=k=v the value too; every filter must hold', () => {
    const l = { tier: 'front', env: 'prod' }
    expect(matchesLabels(l, ['tier'])).toBe(true)
    expect(matchesLabels(l, ['tier=front', 'env=prod'])).toBe(true)
    expect(matchesLabels(l, ['tier=back'])).toBe(false)
    expect(matchesLabels(l, ['owner'])).toBe(false)
    expect(matchesLabels(undefined, ['tier'])).toBe(false)
    expect(matchesLabels(undefined, [])).toBe(true)
  })
})
