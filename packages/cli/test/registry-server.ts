/**
 * A real distribution registry (Debian's docker-registry) for the pull tests: on 127.0.0.1 at a
 * free port, a temporary storage directory, htpasswd auth (bcrypt, written by htpasswd -B).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface TestRegistry {
  /** `127.0.0.1:<port>` */
  readonly host: string
  /** the registry's storage root (blobs under docker/registry/v2/blobs) */
  readonly storage: string
  readonly user: string
  readonly password: string
  stop(): Promise<void>
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })

const answers = async (host: string): Promise<boolean> =>
  fetch(`http://${host}/v2/`).then(
    (r) => r.status === 401,
    () => false,
  )

export const startRegistry = async (): Promise<TestRegistry> => {
  const dir = await mkdtemp(join(tmpdir(), 'stratum-registry-'))
  const [user, password] = ['stratum', 'pull-secret']
  await writeFile(join(dir, 'htpasswd'), execFileSync('htpasswd', ['-Bbn', user, password]))
  const host = `127.0.0.1:${await freePort()}`
  const storage = join(dir, 'data')
  const config = [
    'version: 0.1',
    'log: { level: error }',
    `storage: { filesystem: { rootdirectory: ${storage} }, delete: { enabled: true } }`,
    `http: { addr: "${host}", secret: stratum-test }`,
    `auth: { htpasswd: { realm: stratum-test, path: ${join(dir, 'htpasswd')} } }`,
  ].join('\n')
  await writeFile(join(dir, 'config.yml'), config)
  const child: ChildProcess = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: 'ignore' })
  for (let i = 0; i < 100 && !(await answers(host)); i++) await new Promise((r) => setTimeout(r, 100))
  if (!(await answers(host))) throw new Error(`docker-registry did not answer on ${host}`)
  return {
    host,
    storage,
    user,
    password,
    stop: async () => {
      child.kill('SIGKILL')
      await rm(dir, { recursive: true, force: true })
    },
  }
}

/** A front for `reg` speaking the token flow: Bearer challenges, a `/token` endpoint checking basic credentials. */
export interface TokenFront {
  readonly host: string
  /** cut the connections of the next `times` GETs of this blob after half their bytes (a registry dying mid-download) */
  cutNext(digest: string, times?: number): void
  /** the Range headers the front was sent, in order */
  readonly ranges: string[]
  /** the paths of the requests it forwarded to the registry, in order */
  readonly requests: string[]
  stop(): Promise<void>
}

export const startTokenFront = async (reg: TestRegistry): Promise<TokenFront> => {
  const { createServer: createHttp } = await import('node:http')
  const token = 'stratum-test-token'
  const basic = `Basic ${Buffer.from(`${reg.user}:${reg.password}`).toString('base64')}`
  let cut: { digest: string; times: number } | undefined
  const ranges: string[] = []
  const requests: string[] = []
  const server = createHttp(async (req, res) => {
    const url = req.url ?? '/'
    if (url.startsWith('/token')) {
      if (req.headers.authorization !== basic) return res.writeHead(401).end()
      res.writeHead(200, { 'content-type': 'application/json' })
      return res.end(JSON.stringify({ token }))
    }
    if (req.headers.authorization !== `Bearer ${token}`) {
      const realm = `http://${host}/token`
      res.writeHead(401, {
        'www-authenticate': `Bearer realm="${realm}",service="stratum-test",scope="repository:stratum/demo:pull"`,
      })
      return res.end()
    }
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const range = req.headers.range
    if (range !== undefined) ranges.push(range)
    requests.push(url)
    const up = await fetch(`http://${reg.host}${url}`, {
      method: req.method ?? 'GET',
      headers: {
        ...(req.headers.accept === undefined ? {} : { accept: String(req.headers.accept) }),
        ...(range === undefined ? {} : { range }),
        authorization: basic,
      },
      ...(chunks.length === 0 ? {} : { body: Buffer.concat(chunks) }),
    })
    const body = Buffer.from(await up.arrayBuffer())
    const headers: Record<string, string> = {}
    up.headers.forEach((v, k) => {
      if (k !== 'content-length' && k !== 'transfer-encoding' && k !== 'connection') headers[k] = v
    })
    if (cut !== undefined && url.includes(`/blobs/${cut.digest}`)) {
      cut = cut.times > 1 ? { ...cut, times: cut.times - 1 } : undefined
      res.writeHead(up.status, { ...headers, 'content-length': String(body.length) })
      res.write(body.subarray(0, body.length >> 1))
      return setTimeout(() => res.socket?.destroy(), 50)
    }
    res.writeHead(up.status, { ...headers, 'content-length': String(body.length) })
    res.end(body)
  })
  const port = await freePort()
  const host = `127.0.0.1:${port}`
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()))
  return {
    host,
    cutNext: (digest, times = 1) => {
      cut = { digest, times }
    },
    ranges,
    requests,
    stop: () => new Promise((r) => server.close(() => r())),
  }
}
