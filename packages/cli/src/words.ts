/**
 * A StorageError in the user's words: the thing they named (a container id, an image name, a
 * layer's chainID) rather than the dataset behind it, and a hint where one helps (the tags an
 * image has, the command that lists what exists). Anything else keeps core's describeError line.
 */
import { describeError, type StorageError, type StoreLayout } from '@stratum/core'
import type { Session } from './session.js'

/** What the command's open store knows that puts an error in the user's words. */
export interface Known {
  /** the store's datasets (where containers and layers live) */
  readonly layout?: StoreLayout
  /** the image names the store records (listed only for a missing image) */
  readonly images?: readonly string[]
  /** the base dataset the command named (--base, or the simulator's default) */
  readonly base?: string
}

/** What `session` (the failed command's store, if it opened one) knows about `e`: the images only when `e` names one. */
export const knownBy = async (session: Session | undefined, e: StorageError): Promise<Known> => {
  if (session === undefined) return {}
  const layout = session.store.layout
  if (e._tag !== 'ReferenceNotFound') return { layout }
  const images = await session.store.listImages()()
  return { layout, images: images._tag === 'Right' ? images.right.map((i) => i.name) : [] }
}

/** An error in the user's words, and a hint when one helps. */
export interface Words {
  readonly message: string
  readonly hint?: string
}

/** `repo:tag` split at the tag's ':' (none when the last ':' comes before a '/'); a digest ref has none. */
const repoOf = (name: string): { repo: string; tag: string | undefined } => {
  const at = name.indexOf('@')
  if (at >= 0) return { repo: name.slice(0, at), tag: undefined }
  const i = name.lastIndexOf(':')
  return i > name.lastIndexOf('/') ? { repo: name.slice(0, i), tag: name.slice(i + 1) } : { repo: name, tag: undefined }
}

const LIST_IMAGES = "'stratum ls images' lists the images, 'stratum ls layers' the layers"

const noImage = (name: string, images: readonly string[]): Words => {
  const { repo } = repoOf(name)
  const tags = images.filter((n) => repoOf(n).repo === repo && n !== name).map((n) => repoOf(n).tag ?? n)
  return tags.length > 0
    ? { message: `no image '${name}'`, hint: `${repo} has the tags: ${tags.join(', ')}` }
    : { message: `no image or layer '${name}'`, hint: LIST_IMAGES }
}

/** The one dataset name component under `parent`, if `name` is one. */
const childOf = (parent: string, name: string): string | undefined => {
  if (!name.startsWith(`${parent}/`)) return undefined
  const id = name.slice(parent.length + 1)
  return /[/@#]/.test(id) ? undefined : id
}

const NO_IMAGE = 'no image of that name'

/** `e` as the user would say it; the error's own line (core's describeError) when nothing better is known. */
export const inUserWords = (e: StorageError, known: Known = {}): Words => {
  const layout = known.layout
  if (e._tag === 'DatasetNotFound' && known.base !== undefined && e.name === known.base)
    return { message: `no store at '${e.name}'`, hint: `'stratum init' with the same --driver and --base makes one` }
  if (e._tag === 'DatasetNotFound' && layout !== undefined) {
    const id = childOf(layout.runtime, e.name)
    if (id !== undefined)
      return { message: `no container '${id}'`, hint: "'stratum ls containers' lists the containers" }
    const hex = childOf(layout.storage, e.name)
    if (hex !== undefined && /^[0-9a-f]{64}$/.test(hex))
      return { message: `no layer 'sha256:${hex}'`, hint: "'stratum ls layers' lists the layers" }
  }
  if (e._tag === 'ReferenceNotFound' && e.reason.startsWith(NO_IMAGE)) {
    const words = noImage(e.name, known.images ?? [])
    return { ...words, message: `${words.message}${e.reason.slice(NO_IMAGE.length)}` }
  }
  return { message: describeError(e) }
}
