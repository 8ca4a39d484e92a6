/**
 * The demo's image: three layers with the usual shapes of a base image and two updates — a
 * symlink, a hardlink, a setuid binary, a sticky tmp, a whiteout, an opaque directory —
 * and the container change the demo applies before committing.
 */
import type { TarSpec } from './tar.js'

export const DEMO_LAYERS: readonly (readonly TarSpec[])[] = [
  [
    { path: 'bin', type: 'dir' },
    { path: 'bin/sh', body: '#!/bin/sh\necho stratum\n', mode: 0o755 },
    { path: 'bin/busybox', type: 'hardlink', linkname: 'bin/sh' },
    { path: 'bin/su', body: 'setuid\n', mode: 0o4755 },
    { path: 'etc', type: 'dir' },
    { path: 'etc/os-release', body: 'NAME=demo\nVERSION=1\n' },
    { path: 'etc/old.conf', body: 'obsolete\n' },
    { path: 'lib', type: 'dir' },
    { path: 'lib/libc.so.7', body: 'libc 7\n', mode: 0o755 },
    { path: 'lib/libc.so', type: 'symlink', linkname: 'libc.so.7' },
    { path: 'tmp', type: 'dir', mode: 0o1777 },
    { path: 'usr', type: 'dir' },
    { path: 'usr/share', type: 'dir' },
    { path: 'usr/share/doc', type: 'dir' },
    { path: 'usr/share/doc/README', body: 'base docs\n' },
  ],
  [
    { path: 'etc', type: 'dir' },
    { path: 'etc/.wh.old.conf' },
    { path: 'etc/app.conf', body: 'port=80\n' },
    { path: 'var', type: 'dir' },
    { path: 'var/log', type: 'dir' },
    { path: 'var/log/app.log', body: '' },
  ],
  [
    { path: 'usr', type: 'dir' },
    { path: 'usr/share', type: 'dir' },
    { path: 'usr/share/.wh..wh..opq' },
    { path: 'usr/share/man', type: 'dir' },
    { path: 'usr/share/man/app.1', body: '.TH APP 1\n' },
    { path: 'etc', type: 'dir' },
    { path: 'etc/app.conf', body: 'port=8080\n' },
  ],
]

/** What the demo does inside its container, as a tar applied with `stratum apply`. */
export const DEMO_CHANGE: readonly TarSpec[] = [
  { path: 'etc', type: 'dir' },
  { path: 'etc/.wh.os-release' },
  { path: 'etc/app.conf', body: 'port=8443\ntls=on\n', mode: 0o600 },
  { path: 'srv', type: 'dir' },
  { path: 'srv/www', type: 'dir' },
  { path: 'srv/www/index.html', body: '<h1>hello from stratum</h1>\n' },
  { path: 'srv/www/home.html', type: 'hardlink', linkname: 'srv/www/index.html' },
  { path: 'srv/current', type: 'symlink', linkname: 'www' },
  { path: 'var/log/.wh.app.log' },
]
