/**
 * Child process for the shared-*.test.ts files: a LayerStore on a simulator persisted to a
 * state file, used the way a separate runtime process would.
 *   extract <shared|plain> <stateFile> <layoutDir> <ref>     extract one image, print its top, exit
 *   churn   <shared|plain> <stateFile> <layoutDir> <ref>...  extract, start, apply, commit, remove in a
 *                                                            loop until killed; prints 'ready' once
 */
import { datasetName, describe, type LayerStore, openLayerStore, type StorageError } from '@stratum/core'
import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import { openSharedSimDriver, openSimDriver } from '../src/index.js'
import { CHILD_BASE, CHURN_TAR } from './shared-helpers.js'

const ok = async <A>(te: TaskEither<StorageError, A>, what: string): Promise<A> => {
  const r = await te()
  if (E.isLeft(r)) throw new Error(`${what}: ${describe(r.left)}`)
  return r.right
}

const main = async (): Promise<void> => {
  const [cmd, kind, file, dir, ...refs] = process.argv.slice(2)
  const driver = await ok(kind === 'shared' ? openSharedSimDriver({ stateFile: file! }) : openSimDriver({ stateFile: file! }), 'open driver')
  const store: LayerStore = await ok(openLayerStore(driver, datasetName(CHILD_BASE)), 'open store')
  if (cmd === 'extract') {
    const img = await ok(store.extractImage(dir!, refs[0]!), `extract ${refs[0]}`)
    process.stdout.write(`${JSON.stringify({ top: img.top, reused: img.layers.map((l) => l.reused) })}\n`)
    return
  }
  for (let i = 0; ; i++) {
    const ref = refs[i % refs.length]!
    const img = await ok(store.extractImage(dir!, ref), `extract ${ref}`)
    const id = `c${process.pid}-${i}`
    await ok(store.start(id, img.top), `start ${id}`)
    await ok(store.apply(id, (async function* () { yield CHURN_TAR })()), `apply ${id}`)
    if (i % 3 === 2) await ok(store.removeContainer(id), `remove ${id}`)
    else await ok(store.commit(id, { keep: i % 3 === 1 }), `commit ${id}`)
    if (i === 0) process.stdout.write('ready\n')
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`)
  process.exit(1)
})
