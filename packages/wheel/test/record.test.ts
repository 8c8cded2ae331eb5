import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { compareCodePoints, formatRecord, installedRecordRows, parseCsvLine } from '../src/index.js'

/** Strings mixing ASCII, BMP characters above the surrogates, astral characters and lone surrogates. */
function samples(count: number): string[] {
  const alphabet = ['a', 'b', 'Z', '_', '/', 'é', '\u00ff', '\ud7ff', '\ue000', '\uffff', '😀', '𝒳', '\ud800', '\udfff', '\u0000']
  let seed = 7
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648
    return seed / 2147483648
  }
  return Array.from({ length: count }, () => Array.from({ length: Math.floor(random() * 5) }, () => alphabet[Math.floor(random() * alphabet.length)]).join(''))
}

describe('compareCodePoints', () => {
  it("sorts as Python sorts str (lone surrogates included)", () => {
    const strings = samples(400)
    // JSON carries lone surrogates as \\udXXX escapes both ways.
    const sorted = JSON.parse(execFileSync('/usr/bin/python3', ['-c', 'import json, sys; print(json.dumps(sorted(json.load(sys.stdin))))'], { input: JSON.stringify(strings), encoding: 'utf8' })) as string[]
    expect([...strings].sort(compareCodePoints)).toEqual(sorted)
  })

  it('orders RECORD rows by path, then hash, then size, and quotes as csv does', () => {
    const text = formatRecord([
      { path: 'b.py', hash: 'sha256=x', size: '1' },
      { path: 'a,b.py', hash: '', size: '' },
      { path: 'a.py', hash: 'sha256=y', size: '2' },
    ])
    expect(text).toBe('"a,b.py",,\r\na.py,sha256=y,2\r\nb.py,sha256=x,1\r\n')
    expect(parseCsvLine('"a,b.py",,')).toEqual(['a,b.py', '', ''])
  })
})

describe('installedRecordRows', () => {
  it('maps the wheel rows to installed paths, rehashes changed files, adds generated files and bytecode', () => {
    const recordText = 'demo/__init__.py,sha256=a,1\r\ndemo-1.0.data/scripts/run,sha256=b,2\ndemo-1.0.dist-info/RECORD,,\r\nodd,sha256=c,3,extra\n'
    const installed = new Map([
      ['demo/__init__.py', 'demo/__init__.py'],
      ['demo-1.0.data/scripts/run', '../../../bin/run'],
      ['demo/__pycache__/__init__.cpython-311.pyc', 'demo/__pycache__/__init__.cpython-311.pyc'],
    ])
    const changed = new Map([['../../../bin/run', { hash: 'sha256=new', size: 9 }]])
    const generated = [
      { path: '../../../bin/tool', hash: 'sha256=console', size: 5 },
      { path: 'demo-1.0.dist-info/INSTALLER', hash: 'sha256=i', size: 8 },
      { path: '../../../bin/tool', hash: 'sha256=gui', size: 6 },
    ]
    const { rows, warnings } = installedRecordRows({ recordText, installed, changed, generated })
    expect(rows).toEqual([
      { path: 'demo/__init__.py', hash: 'sha256=a', size: '1' },
      { path: '../../../bin/run', hash: 'sha256=new', size: '9' },
      { path: 'demo-1.0.dist-info/RECORD', hash: '', size: '' },
      { path: 'odd', hash: 'sha256=c', size: '3' },
      // A path written twice has the last content's hash in both rows, as pip's.
      { path: '../../../bin/tool', hash: 'sha256=gui', size: '6' },
      { path: 'demo-1.0.dist-info/INSTALLER', hash: 'sha256=i', size: '8' },
      { path: '../../../bin/tool', hash: 'sha256=gui', size: '6' },
      { path: 'demo/__pycache__/__init__.cpython-311.pyc', hash: '', size: '' },
    ])
    expect(warnings).toEqual(['RECORD line has more than three elements: ["odd","sha256=c","3","extra"]'])
  })
})
