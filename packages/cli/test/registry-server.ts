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
