/**
 * Image references in the OCI/Docker grammar (distribution's reference package):
 * `[host[:port]/]path[:tag][@algorithm:hex]`. Parsed once at the boundary; the name is kept as
 * written (no `docker.io/library/` or `:latest` added: a local store names what the user named).
 */
import * as E from 'fp-ts/lib/Either.js'
import { err, type StorageError } from '../errors.js'

/** An image reference's parts: name, domain, tag, digest. */
export interface ImageReference {
  /** `[host[:port]/]path`, without tag or digest */
  readonly name: string
  /** the registry host (with port) when the first component is one */
  readonly domain: string | undefined
  readonly path: string
  readonly tag: string | undefined
  readonly digest: string | undefined
}

const NAME_MAX = 255
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])'
const DOMAIN = new RegExp(`^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?$`)
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/
const TAG = /^[\w][\w.-]{0,127}$/
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/

const bad = (ref: string, reason: string): E.Either<StorageError, never> =>
  E.left(err('InvalidName', { name: ref, reason: `image reference: ${reason}` }))

/** A first component is a domain when it has a '.' or a ':' or is `localhost` (distribution's rule). */
const looksLikeDomain = (c: string): boolean =>
  c.includes('.') || c.includes(':') || c === 'localhost' || c !== c.toLowerCase()

/** Parses an image reference (`[host/]path[:tag][@digest]`, the distribution grammar): InvalidName saying what is wrong. */
export const parseImageReference = (ref: string): E.Either<StorageError, ImageReference> => {
  if (ref === '') return bad(ref, 'empty')
  const at = ref.indexOf('@')
  const digest = at < 0 ? undefined : ref.slice(at + 1)
  const rest = at < 0 ? ref : ref.slice(0, at)
  if (digest !== undefined && !DIGEST.test(digest)) return bad(ref, `invalid digest '${digest}'`)
  const lastSlash = rest.lastIndexOf('/')
  const colon = rest.indexOf(':', lastSlash + 1)
  const tag = colon < 0 ? undefined : rest.slice(colon + 1)
  const name = colon < 0 ? rest : rest.slice(0, colon)
  if (tag !== undefined && !TAG.test(tag)) return bad(ref, `invalid tag '${tag}'`)
  if (name.length > NAME_MAX) return bad(ref, `name longer than ${NAME_MAX} characters`)
  const parts = name.split('/')
  const domain = parts.length > 1 && looksLikeDomain(parts[0]!) ? parts[0]! : undefined
  if (domain !== undefined && !DOMAIN.test(domain)) return bad(ref, `invalid registry host '${domain}'`)
  const pathParts = domain === undefined ? parts : parts.slice(1)
  const wrong = pathParts.find((c) => !PATH_COMPONENT.test(c))
  if (wrong !== undefined) {
    const why =
      wrong === ''
        ? 'empty path component'
        : `invalid path component '${wrong}' (lowercase letters, digits, '.', '_', '__', '-')`
    return bad(ref, why)
  }
  return E.right({ name, domain, path: pathParts.join('/'), tag, digest })
}

/** The reference written back: `name[:tag][@digest]`. */
export const formatImageReference = (r: ImageReference): string =>
  `${r.name}${r.tag === undefined ? '' : `:${r.tag}`}${r.digest === undefined ? '' : `@${r.digest}`}`
