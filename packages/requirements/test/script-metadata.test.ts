import { describe, expect, it } from 'vitest'
import { findMetadataBlocks, parseScriptMetadata, PyprojectError } from '../src/index.js'

// The example of PEP 723.
const EXAMPLE = `# /// script
# requires-python = ">=3.11"
# dependencies = [
#   "requests<3",
#   "rich",
# ]
# ///

import requests
from rich.pretty import pprint
`

describe('parseScriptMetadata (PEP 723)', () => {
  it("reads the PEP's example", async () => {
    const meta = (await parseScriptMetadata(EXAMPLE))!
    expect(meta.dependencies.map(String)).toEqual(['requests<3', 'rich'])
    expect(String(meta.requiresPython)).toBe('>=3.11')
    expect(meta.line).toBe(1)
  })
  it('returns null without a script block', async () => {
    expect(await parseScriptMetadata('import os\n# /// other\n# x = 1\n# ///\n')).toBeNull()
    expect(await parseScriptMetadata('# /// script\nx = 1\n# ///\n')).toBeNull()
  })
  it('closes the block at the last `# ///` of the comment run (as the reference regex)', async () => {
    const source = '# /// script\n# dependencies = ["a"]\n# [tool.x]\n# y = \"\"\"\n# ///\n# \"\"\"\n# ///\nprint()\n'
    const meta = (await parseScriptMetadata(source))!
    expect(meta.tool).toEqual({ x: { y: '///\n' } })
    expect(findMetadataBlocks(source)).toHaveLength(1)
    // A later block in the same comment run is swallowed by the first one.
    expect(findMetadataBlocks('# /// a\n# x = 1\n# ///\n# /// b\n# y = 1\n# ///\n').map((b) => b.type)).toEqual(['a'])
  })
  it('accepts `#` lines, CRLF, and ignores other block types', async () => {
    const source = '#!/usr/bin/env python\r\n# /// pyproject\r\n# x = 1\r\n# ///\r\n\r\n# /// script\r\n#\r\n# dependencies = ["b>=1"]\r\n# ///\r\n'
    expect((await parseScriptMetadata(source))!.dependencies.map(String)).toEqual(['b>=1'])
    expect(findMetadataBlocks(source).map((b) => b.type)).toEqual(['pyproject', 'script'])
  })
  it.each([
    ['# /// script\n# a = 1\n# ///\n\n# /// script\n# b = 1\n# ///\n', null, /multiple script metadata blocks \(lines 1, 5\)/],
    ['# /// script\n# dependencies = [\n# ///\n', null, /invalid TOML in the script block/],
    ['# /// script\n# dependencies = "requests"\n# ///\n', 'dependencies', /must be an array of strings/],
    ['# /// script\n# dependencies = ["ok", "no["]\n# ///\n', 'dependencies[1]', /Invalid requirement/],
    ['# /// script\n# requires-python = "3.11"\n# ///\n', 'requires-python', /not a valid version specifier/],
  ])('%j', async (source, key, message) => {
    try {
      await parseScriptMetadata(source, { file: 'tool.py' })
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(PyprojectError)
      expect((error as PyprojectError).key).toBe(key)
      expect((error as Error).message).toMatch(message)
      expect((error as Error).message.startsWith('tool.py: ')).toBe(true)
    }
  })
})
