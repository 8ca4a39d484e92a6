/**
 * push: the chain under a layer written as an image (saveImage's bytes: the same layers give the
 * same digests) and uploaded to a registry under a tag. The image is written to a temporary
 * layout first, removed after.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { err, type StorageError } from '../errors.js'
import { readImage } from '../oci/layout.js'
import { parseImageReference } from '../oci/reference.js'
import { apiHost, openReference } from '../registry/client.js'
import { pushImage } from '../registry/push.js'
import type { StoreContext } from './context.js'
import type { LayerRef } from './layout.js'
import { saveImage } from './save.js'
import { fail, must, steps } from './steps.js'
import type { PushedImage, PushOptions } from './types.js'

/** The repository of the base image to mount blobs from, when it was pulled from the same registry. */
const mountSource = (base: string | undefined, registry: string): string | undefined => {
  const r = base === undefined ? undefined : parseImageReference(base)
  return r !== undefined && E.isRight(r) && r.right.domain !== undefined && apiHost(r.right.domain) === registry
    ? r.right.path
    : undefined
}

export const push = (
  ctx: StoreContext,
  top: LayerRef,
  reference: string,
  options: PushOptions,
): TE.TaskEither<StorageError, PushedImage> =>
  steps(async () => {
    const ref = await must(TE.fromEither(parseImageReference(reference)))
    if (ref.digest !== undefined)
      fail(err('InvalidName', { name: reference, reason: 'push names a tag, not a digest (the digest is the result)' }))
    const tag = ref.tag ?? 'latest'
    const repo = await openReference(ref, options)
    const dir = await mkdtemp(join(tmpdir(), 'stratum-push-'))
    try {
      const saved = await must(
        saveImage(ctx, top, dir, tag, options.compression === undefined ? {} : { compression: options.compression }),
      )
      const image = await must(readImage(dir, tag))
      const sent = await pushImage(repo, dir, image, tag, mountSource(saved.base, repo.registry), options.chunkSize)
      return { ...saved, reference: `${repo.registry}/${repo.repository}:${tag}`, ...sent }
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
