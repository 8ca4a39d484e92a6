/** The store tests' tar entries, written by the one tar builder. */
import { tarOf } from '../../src/testing.js'

export type Entry = { path: string; content?: string; dir?: boolean }

export const makeTar = (entries: readonly Entry[]): Promise<Uint8Array> =>
  tarOf(
    entries.map((e) =>
      e.dir === true ? { name: e.path, type: 'directory' } : { name: e.path, body: e.content ?? '' },
    ),
  )

export async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes
}
