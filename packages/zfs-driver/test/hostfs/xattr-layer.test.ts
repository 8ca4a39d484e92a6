// A layer tar's binary xattrs (a real security.capability, a non-UTF-8 user value) reach a hostFileTree's files byte for byte.
import * as E from 'fp-ts/lib/Either.js'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { applyLayer, type Capabilities, type TarEntry } from '@stratum/core'
import { encodeHeader, END_OF_ARCHIVE } from '@stratum/core/internal'
import { hostFileTree } from '../../src/index.js'
import { xattrBinding } from '../../src/hostfs/xattr-binding.js'
import { sandbox, xattrRefusal, type Sandbox } from './helpers.js'

const isRoot = process.getuid?.() === 0
/** VFS_CAP_REVISION_2 with the effective bit; permitted = CAP_NET_RAW (13) | CAP_SETUID (7): byte 0x80 is not UTF-8 */
const PING_CAPS = Uint8Array.from([0x01, 0x00, 0x00, 0x02, 0x80, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
const USER_VALUE = Uint8Array.from([0x01, 0x00, 0x00, 0x02, 0xff, 0xfe, 0xc3, 0x28])
const file = (path: string, more: Partial<TarEntry>): TarEntry => ({
  path,
  type: 'file',
  mode: 0o755,
  uid: 0,
  gid: 0,
  mtimeMs: 1_700_000_000_000,
  size: 0,
  ...more,
})
async function* once(b: Uint8Array): AsyncGenerator<Uint8Array> {
  yield b
}

let sb: Sandbox
beforeEach(() => {
  sb = sandbox()
})
afterEach(() => sb.dispose())

const refusal = xattrRefusal()
if (refusal !== '') it.skip(`host xattr tests: ${refusal}`, () => {})

// security.* needs root (CAP_SETFCAP); the user.* half of the check needs only a file system that takes user.*
it.runIf(refusal === '')(
  'apply: security.capability and a non-UTF-8 user.* value land byte for byte on the host files',
  async () => {
    const xattrs: [string, Uint8Array][] = [
      ['user.bin', USER_VALUE],
      ...(isRoot ? [['security.capability', PING_CAPS] as [string, Uint8Array]] : []),
    ]
    const tar = Buffer.concat([
      encodeHeader(file('ping', { size: 1, xattrs })),
      Buffer.from('p'),
      Buffer.alloc(511),
      END_OF_ARCHIVE,
    ])
    const caps: Capabilities = { xattrs: true, deviceNodes: false, chown: isRoot, hostPaths: true }
    const t = hostFileTree(sb.root, { readOnly: false })
    expect(E.isRight(await applyLayer(t, once(tar), { capabilities: caps })())).toBe(true)
    for (const [name, value] of xattrs) {
      expect(xattrBinding()!.getAttributeSync(join(sb.root, 'ping'), name)).toEqual(Buffer.from(value))
      expect(await t.getXattr('ping', name)()).toEqual(E.right(new Uint8Array(Buffer.from(value))))
    }
  },
)
