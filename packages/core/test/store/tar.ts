/** A tiny in-memory tar builder for the store tests (tar-stream). */
import * as tar from 'tar-stream'

export type Entry = { path: string; content?: string; dir?: boolean }

export const makeTar = async (entries: readonly Entry[]): Promise<Uint8Array> => {
  const pack = tar.pack()
  const chunks: Buffer[] = []
  const done = new Promise<void>((resolve, reject) => {
    pack.on('data', (c: unknown) => chunks.push(c as Buffer))
    pack.on('end', () => resolve())
    pack.on('error', reject)
  })
  const mtime = new Date(1_600_000_000_000)
  for (const e of entries) {
    if (e.dir === true) pack.entry({ name: e.path, type: 'directory', mode: 0o755, mtime })
    else pack.entry({ name: e.path, type: 'file', mode: 0o644, mtime }, e.content ?? '')
  }
  pack.finalize()
  await done
  return new Uint8Array(Buffer.concat(chunks))
}

export async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes
}
