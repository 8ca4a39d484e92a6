/** Runs a driver method named in a fixture (`{ method, args }`) and returns its Either as plain data. */
import type { Driver } from '@stratum/core'

export interface Call {
  readonly method: keyof Driver
  readonly args: readonly unknown[]
}

export type Outcome = { readonly right: unknown } | Record<string, unknown>

export const runCall = async (driver: Driver, call: Call): Promise<Outcome> => {
  const f = driver[call.method] as unknown as (
    ...a: unknown[]
  ) => () => Promise<{ _tag: 'Left' | 'Right'; left?: unknown; right?: unknown }>
  const r = await f(...call.args)()
  if (r._tag === 'Right') return { right: r.right === undefined ? null : r.right }
  const { cause: _cause, ...left } = r.left as Record<string, unknown>
  return left
}
