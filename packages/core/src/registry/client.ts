/**
 * One repository of an OCI registry through the distribution API (Node's fetch): requests under
 * `/v2/<repository>/` (or a URL the registry gave, an upload's Location), answering a 401 once with the credentials its challenge asks for
 * (basic, or a bearer token from the realm it names). Plain HTTP only when asked and only to a
 * loopback host. Every failure is a `Registry` error naming the registry, repository and what
 * was asked for.
 */
import { err, type StorageError } from '../errors.js'
import { fail } from '../layer/run.js'
import { parseChallenge } from './challenge.js'
import type { ImageReference } from '../oci/reference.js'
import { type Credentials, credentialsFor } from './credentials.js'

/** How to reach a registry (pull and push). */
export interface RegistryOptions {
  /** plain HTTP instead of HTTPS, allowed only to a loopback host (a test registry) */
  readonly insecure?: boolean
  /** default: the auth files users already have (`$REGISTRY_AUTH_FILE`, containers' auth.json, `~/.docker/config.json`) */
  readonly credentials?: Credentials
}

export interface Repository {
  readonly registry: string
  readonly repository: string
  /** GET `/v2/<repository>/<path>`: the response of a 2xx status, else a `Registry` error (thrown for `steps`) */
  get(path: string, what: string, accept?: string): Promise<Response>
  /** `method` on `/v2/<repository>/<path>` or on an absolute URL; `ok` says which statuses succeed (default 2xx) */
  request(method: string, path: string, what: string, init?: RequestSpec): Promise<Response>
  /** a `Registry` error about `what` */
  error(what: string, status: number | undefined, reason: string): StorageError
}

/** A request's headers, body, and the statuses that are not failures. */
export interface RequestSpec {
  readonly headers?: Record<string, string>
  /** a body read once: a request answered with a 401 is sent again, so give bytes or a factory */
  readonly body?: () => Uint8Array | string | AsyncIterable<Uint8Array>
  readonly ok?: (status: number) => boolean
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d+)?$/

/** The API host of a reference's domain: Docker Hub's registry for `docker.io` (or none). */
export const apiHost = (domain: string | undefined): string =>
  domain === undefined || domain === 'docker.io' || domain === 'index.docker.io' ? 'registry-1.docker.io' : domain

export const openRepository = (
  registry: string,
  repository: string,
  options: RegistryOptions,
  credentials: Credentials | undefined,
): Repository => {
  const error = (what: string, status: number | undefined, reason: string): StorageError =>
    err('Registry', { registry, repository, what, status, reason })
  if (options.insecure === true && !LOOPBACK.test(registry))
    fail(error('', undefined, 'plain HTTP (--insecure) is allowed only to a loopback host'))
  const base = `${options.insecure === true ? 'http' : 'https'}://${registry}/v2/${repository}/`
  let authorization: string | undefined
  const send = async (
    url: string,
    what: string,
    headers: Record<string, string>,
    method = 'GET',
    body?: () => Uint8Array | string | AsyncIterable<Uint8Array>,
  ): Promise<Response> => {
    try {
      const b = body?.()
      return await fetch(url, {
        method,
        headers,
        redirect: 'follow',
        ...(b === undefined ? {} : { body: b, duplex: 'half' as const }),
      } as RequestInit)
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause
      return fail(error(what, undefined, `unreachable: ${cause?.code ?? cause?.message ?? String(e)}`))
    }
  }
  const basic = (c: Credentials) => `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`
  const authenticate = async (res: Response, what: string): Promise<void> => {
    const ch = parseChallenge(res.headers.get('www-authenticate'))
    if (ch === undefined) fail(error(what, 401, 'unauthorized, and no challenge to answer'))
    if (ch!.scheme === 'basic') {
      if (credentials === undefined)
        fail(error(what, 401, 'credentials required (none given or found in the auth files)'))
      authorization = basic(credentials!)
      return
    }
    const realm = ch!.params.realm
    if (realm === undefined) fail(error(what, 401, 'bearer challenge without a realm'))
    const url = new URL(realm!)
    if (ch!.params.service !== undefined) url.searchParams.set('service', ch!.params.service)
    // the challenge may name several scopes (a mount also needs pull on the source repository): one parameter each
    for (const scope of (ch!.params.scope ?? `repository:${repository}:pull`).split(' ').filter((x) => x !== ''))
      url.searchParams.append('scope', scope)
    const r = await send(url.href, what, credentials === undefined ? {} : { authorization: basic(credentials) })
    if (!r.ok) fail(error(what, r.status, `token endpoint ${url.origin}${url.pathname} refused: ${await reasonOf(r)}`))
    const body = (await r.json().catch(() => ({}))) as { token?: unknown; access_token?: unknown }
    const token = typeof body.token === 'string' ? body.token : body.access_token
    if (typeof token !== 'string') fail(error(what, r.status, 'token endpoint gave no token'))
    authorization = `Bearer ${token as string}`
  }
  // a token the registry still refuses was not granted what the request needs: name the scopes
  const refusedScope = (res: Response, what: string): void => {
    const ch = parseChallenge(res.headers.get('www-authenticate'))
    if (ch?.params.error === 'insufficient_scope')
      fail(
        error(
          what,
          401,
          `not granted ${ch.params.scope ?? 'the access asked for'} (insufficient_scope): these credentials may not do that`,
        ),
      )
  }
  const request = async (method: string, path: string, what: string, spec: RequestSpec = {}): Promise<Response> => {
    const url = /^https?:\/\//.test(path) ? path : path.startsWith('/') ? new URL(path, base).href : base + path
    const headers = (): Record<string, string> => ({
      ...spec.headers,
      ...(authorization === undefined ? {} : { authorization }),
    })
    let res = await send(url, what, headers(), method, spec.body)
    // a 401 is answered once per request: with credentials when none were sent, or with a new token
    // (a token is for the scopes its challenge named: a push needs more than the pull before it)
    if (res.status === 401 && (authorization === undefined || authorization.startsWith('Bearer '))) {
      await authenticate(res, what)
      res = await send(url, what, headers(), method, spec.body)
    }
    if (res.status === 401) refusedScope(res, what)
    if (!(spec.ok ?? ((s: number) => s >= 200 && s < 300))(res.status))
      fail(error(what, res.status, await reasonOf(res)))
    return res
  }
  const get = (path: string, what: string, accept?: string): Promise<Response> =>
    request('GET', path, what, accept === undefined ? {} : { headers: { accept } })
  return { registry, repository, get, request, error }
}

/** The registry's own words for a failure: its first `errors[].message`, else the status text. */
const reasonOf = async (res: Response): Promise<string> => {
  const text = await res.text().catch(() => '')
  try {
    const m = (JSON.parse(text) as { errors?: { code?: string; message?: string }[] }).errors?.[0]
    if (m !== undefined) return [m.code, m.message].filter((x) => x !== undefined).join(': ')
  } catch {}
  return res.statusText || `HTTP ${res.status}`
}

/**
 * The repository a reference names (Docker Hub's `library/` for a bare name) at its registry, or
 * at `mirror`, with credentials from the options or the auth files (looked up for that host).
 */
export const openReference = async (
  ref: ImageReference,
  options: RegistryOptions,
  mirror?: string,
): Promise<Repository> => {
  const repository = ref.domain === undefined && !ref.path.includes('/') ? `library/${ref.path}` : ref.path
  const credentials = options.credentials ?? (await credentialsFor(mirror ?? ref.domain ?? 'docker.io', repository))
  return openRepository(mirror ?? apiHost(ref.domain), repository, options, credentials)
}
