/**
 * FIFOs, device nodes and sockets. Node has no mknod(2): FIFOs and devices are made by the
 * `mknod` program (execFile, no shell, the absolute host path after `--`; mknod(2) never
 * follows the final component and fails if it exists); a name that is not UTF-8 (which an
 * argument cannot carry) is made under a temporary name and hard-linked to its bytes. Sockets
 * are bound by a Node server under a short name in the parent directory opened as
 * /proc/<pid>/fd/N (Linux; sun_path holds at most 107 bytes), hard-linked to their name, then
 * closed (which unlinks the temp name).
 */
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { constants } from 'node:fs'
import { linkSync, unlinkSync } from 'node:fs'
import { link, open, unlink } from 'node:fs/promises'
import { createServer } from 'node:net'
import { fail } from './errno.js'
import { hostJoin, type HostPath } from './host-names.js'
import { majorMinor } from './stat.js'

const runMknod = (args: readonly string[]): Promise<void> =>
  new Promise((resolve, reject) => {
    execFile('mknod', args, { env: { ...process.env, LC_ALL: 'C' } }, (error, _out, stderr) => {
      if (error === null) {
        resolve()
        return
      }
      const text = String(stderr)
      const code = /File exists/.test(text)
        ? 'EEXIST'
        : /No such file or directory/.test(text)
          ? 'ENOENT'
          : /Operation not permitted/.test(text)
            ? 'EPERM'
            : /Read-only file system/.test(text)
              ? 'EROFS'
              : /Not a directory/.test(text)
                ? 'ENOTDIR'
                : 'EIO'
      reject(Object.assign(new Error(`mknod: ${text.trim() || error.message}`), { code }))
    })
  })

const tempName = (what: string): string => `.stratum-${what}-${randomBytes(6).toString('hex')}`

/** Runs mknod for `name` in `dir`: directly when the path is a string, else under a temp name linked to the bytes. */
const mknodAt = async (dir: HostPath, name: string, rest: readonly string[]): Promise<void> => {
  const host = hostJoin(dir, name)
  if (typeof host === 'string') return runMknod(['-m', '600', '--', host, ...rest])
  if (typeof dir !== 'string')
    return fail('EINVAL', 'a device node or FIFO under a directory whose name is not UTF-8 (no pinning here)')
  const tmp = `${dir}/${tempName('node')}`
  await runMknod(['-m', '600', '--', tmp, ...rest])
  try {
    linkSync(tmp, host)
  } finally {
    unlinkSync(tmp)
  }
}

export const makeFifo = (dir: HostPath, name: string): Promise<void> => mknodAt(dir, name, ['p'])

export const makeDevice = (dir: HostPath, name: string, type: 'B' | 'C', rdev: number): Promise<void> => {
  const [major, minor] = majorMinor(rdev)
  return mknodAt(dir, name, [type === 'B' ? 'b' : 'c', String(major), String(minor)])
}

const listen = (path: string): Promise<{ close: () => Promise<void> }> =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(path, () => resolve({ close: () => new Promise<void>((res) => server.close(() => res())) }))
  })

export const makeSocket = async (dir: HostPath, name: string): Promise<void> => {
  if (process.platform !== 'linux') fail('EINVAL', 'sockets are made through /proc/<pid>/fd (Linux only)')
  if (typeof dir !== 'string')
    return fail('EINVAL', 'a socket under a directory whose name is not UTF-8 (no pinning here)')
  const dh = await open(`${dir}/.`, constants.O_RDONLY | constants.O_DIRECTORY)
  try {
    const tmp = tempName('sock')
    const pinned = `/proc/${process.pid}/fd/${dh.fd}`
    const server = await listen(`${pinned}/${tmp}`)
    try {
      await link(`${pinned}/${tmp}`, hostJoin(pinned, name))
    } finally {
      await server.close()
      await unlink(`${pinned}/${tmp}`).catch(() => undefined)
    }
  } finally {
    await dh.close()
  }
}
