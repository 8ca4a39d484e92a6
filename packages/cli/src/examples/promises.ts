import { datasetName, describeError, isStorageError, openStore, runTask } from '@stratum/core'
import { createSimDriver } from '@stratum/sim-driver'

/** The quick start with Promises: each call runs at once, and a failure rejects with a StorageError value. */
export const quickstartPromises = async (layoutDir: string, tag: string) => {
  const driver = createSimDriver({ pools: ['tank'] }) // or createZfsDriver() from @stratum/zfs-driver
  const store = await openStore(driver, datasetName('tank/stratum'))
  try {
    const image = await store.extractImage(layoutDir, tag, { signal: AbortSignal.timeout(60_000) })
    await store.start('web-1', image.top)
    const root = await runTask(driver.fs(datasetName('tank/stratum/runtime/web-1'))) // runTask: any TaskEither
    await runTask(root.writeFile('motd', Buffer.from('hello\n'), { flag: 'truncate' }))
    const layer = await store.commit('web-1', { keep: false })
    return { image, layer, packaged: await store.packageLayer(layer.chainId) }
  } catch (e) {
    throw isStorageError(e) ? new Error(describeError(e)) : e // e._tag names the error: 'Cancelled' after the timeout
  }
}
