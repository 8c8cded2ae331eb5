import { dirname, join } from 'node:path'
import type { RequirementsFileSystem } from '../src/index.js'

/** An in-memory file system rooted at `root`: file contents by relative path. */
export function fakeFileSystem(root: string, files: Readonly<Record<string, string | Uint8Array>>): RequirementsFileSystem {
  const contents = new Map<string, Uint8Array>()
  const directories = new Set<string>([root])
  for (const [name, content] of Object.entries(files)) {
    const path = join(root, name)
    contents.set(path, typeof content === 'string' ? new TextEncoder().encode(content) : content)
    for (let dir = dirname(path); dir.startsWith(root) && !directories.has(dir); dir = dirname(dir)) directories.add(dir)
  }
  return {
    async readFile(path) {
      const content = contents.get(path)
      if (content === undefined) {
        throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' })
      }
      return content
    },
    stat(path) {
      if (contents.has(path)) return 'file'
      if (directories.has(path)) return 'directory'
      return null
    },
  }
}
