/**
 * A token service for the registry tests (the distribution token spec): `GET /token?service=…&scope=…`
 * with basic credentials answers a JWT granting each scope's actions the user is allowed, signed
 * ES256 with a key whose self-signed certificate (openssl) is the registry's `rootcertbundle`; the
 * certificate rides in the token's `x5c` header, as the registry's token auth verifies it.
 */
import { execFileSync } from 'node:child_process'
import { createPrivateKey, randomUUID, sign, X509Certificate } from 'node:crypto'
import { createServer } from 'node:http'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface TokenService {
  /** the URL the registry names in its Bearer challenges */
  readonly realm: string
  readonly service: string
  readonly issuer: string
  /** the PEM file of the certificate the registry trusts */
  readonly bundle: string
  /** the scopes each token granted, in order (`repository:<name>:<actions>`, space-separated) */
  readonly granted: string[]
  stop(): Promise<void>
}

/** A user's password and the actions they may have on every repository. */
export type Users = Readonly<Record<string, { readonly password: string; readonly actions: readonly string[] }>>

const b64url = (b: Buffer | string): string => Buffer.from(b).toString('base64url')

export const startTokenService = async (users: Users): Promise<TokenService> => {
  const dir = await mkdtemp(join(tmpdir(), 'stratum-token-'))
  const [keyFile, bundle] = [join(dir, 'key.pem'), join(dir, 'cert.pem')]
  execFileSync(
    'openssl',
    [
      ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'],
      ...['-keyout', keyFile, '-out', bundle, '-days', '2', '-subj', '/CN=stratum-test-token'],
    ],
    { stdio: 'ignore' },
  )
  const key = createPrivateKey(await readFile(keyFile))
  const cert = new X509Certificate(await readFile(bundle))
  const [service, issuer] = ['stratum-test-registry', 'stratum-test-token']
  const granted: string[] = []
  const header = b64url(JSON.stringify({ typ: 'JWT', alg: 'ES256', x5c: [cert.raw.toString('base64')] }))
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://token')
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1]
    const [user, password] = Buffer.from(basic ?? '', 'base64')
      .toString()
      .split(':') as [string, string?]
    const who = users[user]
    if (url.pathname !== '/token' || who === undefined || who.password !== password) return res.writeHead(401).end()
    const access = url.searchParams.getAll('scope').flatMap((s) => {
      const [type, name, actions] = s.split(':') as [string, string?, string?]
      const allowed = (actions ?? '').split(',').filter((a) => who.actions.includes(a))
      return type === 'repository' && name !== undefined ? [{ type, name, actions: allowed }] : []
    })
    granted.push(access.map((a) => `${a.type}:${a.name}:${a.actions.join(',')}`).join(' '))
    const now = Math.floor(Date.now() / 1000)
    const claims = {
      iss: issuer,
      sub: user,
      aud: service,
      exp: now + 300,
      nbf: now - 10,
      iat: now,
      jti: randomUUID(),
      access,
    }
    const input = `${header}.${b64url(JSON.stringify(claims))}`
    const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' })
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ token: `${input}.${b64url(signature)}`, expires_in: 300 }))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  const { port } = server.address() as { port: number }
  return {
    realm: `http://127.0.0.1:${port}/token`,
    service,
    issuer,
    bundle,
    granted,
    stop: async () => {
      await new Promise((r) => server.close(r))
      await rm(dir, { recursive: true, force: true })
    },
  }
}
