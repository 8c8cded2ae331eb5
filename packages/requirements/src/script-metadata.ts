/**
 * PEP 723 inline script metadata: a `# /// script` comment block in a Python
 * file whose body (with the leading `# ` or `#` removed from each line) is a
 * TOML document with `dependencies`, `requires-python` and `[tool]`.
 *
 * The block grammar is the PEP's reference regular expression, applied line by
 * line instead (no backtracking): a block opens with `# /// TYPE`, continues
 * through lines that are `#` or start with `# `, and closes at the LAST
 * `# ///` line of that run (the reference expression is greedy). Two `script`
 * blocks are an error; blocks of other types are ignored.
 */
import type * as Valibot from 'valibot'
import { parseSpecifierSet } from '@pipette/pep440'
import type { SpecifierSet } from '@pipette/pep440'
import { loadTomlTools, PyprojectError } from './pyproject.js'
import { parseRequirement } from './requirement.js'
import type { Requirement } from './requirement.js'

export interface ScriptMetadata {
  readonly dependencies: readonly Requirement[]
  readonly requiresPython: SpecifierSet | null
  /** The `[tool]` table, unchecked. */
  readonly tool: Readonly<Record<string, unknown>>
  /** The 1-based line of the `# /// script` opening line. */
  readonly line: number
}

export interface MetadataBlock {
  readonly type: string
  /** 1-based line of the opening `# /// TYPE`. */
  readonly line: number
  /** The body with comment prefixes removed. */
  readonly content: string
}

const OPEN = /^# \/\/\/ ([a-zA-Z0-9-]+)$/
const HINT = '# /// script\n# requires-python = ">=3.11"\n# dependencies = ["requests<3"]\n# ///'

function isCommentLine(line: string): boolean {
  return line === '#' || line.startsWith('# ')
}

/** Every `# /// TYPE` block of a Python source, in order. */
export function findMetadataBlocks(source: string): MetadataBlock[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n')
  const blocks: MetadataBlock[] = []
  let i = 0
  while (i < lines.length) {
    const open = OPEN.exec(lines[i]!)
    // The opening line must be followed by a newline (the reference expression's `$\s`).
    if (open === null || i + 1 >= lines.length) {
      i++
      continue
    }
    let close = -1
    let j = i + 1
    while (j < lines.length && isCommentLine(lines[j]!)) {
      // A closing line must have at least one content line before it.
      if (lines[j] === '# ///' && j > i + 1) close = j
      j++
    }
    if (close === -1) {
      i++
      continue
    }
    const content = lines
      .slice(i + 1, close)
      .map((line) => (line.startsWith('# ') ? line.slice(2) : line.slice(1)) + '\n')
      .join('')
    blocks.push({ type: open[1]!, line: i + 1, content })
    i = close + 1
  }
  return blocks
}

function scriptSchema(v: typeof Valibot) {
  return v.looseObject({
    dependencies: v.optional(v.array(v.string('must be a string'), 'must be an array of strings')),
    'requires-python': v.optional(v.string('must be a string')),
    tool: v.optional(v.record(v.string(), v.unknown(), 'must be a table')),
  })
}

let schema: ReturnType<typeof scriptSchema> | undefined

/**
 * Reads the `script` metadata block of a Python file (PEP 723), or null when
 * there is none. Throws {@link PyprojectError} (key = the TOML key) for two
 * blocks, bad TOML or a bad value.
 *
 * @example
 * const meta = await parseScriptMetadata(await readFile('tool.py', 'utf8'), { file: 'tool.py' })
 * meta?.dependencies.map(String) // ['requests<3']
 */
export async function parseScriptMetadata(
  source: string,
  options: { readonly file?: string | undefined } = {},
): Promise<ScriptMetadata | null> {
  const file = options.file ?? '<script>'
  const blocks = findMetadataBlocks(source).filter((block) => block.type === 'script')
  if (blocks.length === 0) return null
  if (blocks.length > 1) {
    throw new PyprojectError({
      file,
      key: null,
      message: `multiple script metadata blocks (lines ${blocks.map((b) => b.line).join(', ')})`,
      hint: 'Keep a single block:\n' + HINT,
    })
  }
  const block = blocks[0]!
  const { v, parseToml, TomlError } = await loadTomlTools()
  schema ??= scriptSchema(v)
  let document: unknown
  try {
    document = parseToml(block.content)
  } catch (error) {
    if (!(error instanceof TomlError)) throw error
    throw new PyprojectError({
      file,
      key: null,
      message: `invalid TOML in the script block at line ${block.line + error.line}: ${error.message.split('\n')[0]}`,
      hint: HINT,
      cause: error,
    })
  }
  const result = v.safeParse(schema, document)
  if (!result.success) {
    const issue = result.issues[0]
    throw new PyprojectError({ file, key: (v.getDotPath(issue) ?? '').replace(/\.(\d+)(?=\.|$)/g, '[$1]'), message: issue.message, hint: HINT })
  }
  const table = result.output
  const dependencies = (table.dependencies ?? []).map((text, index) => {
    try {
      return parseRequirement(text)
    } catch (error) {
      throw new PyprojectError({ file, key: `dependencies[${index}]`, message: (error as Error).message, hint: HINT, cause: error })
    }
  })
  let requiresPython: SpecifierSet | null = null
  if (table['requires-python'] !== undefined) {
    try {
      requiresPython = parseSpecifierSet(table['requires-python'])
    } catch (error) {
      throw new PyprojectError({
        file,
        key: 'requires-python',
        message: `'${table['requires-python']}' is not a valid version specifier`,
        hint: HINT,
        cause: error,
      })
    }
  }
  return Object.freeze({
    dependencies: Object.freeze(dependencies),
    requiresPython,
    tool: Object.freeze({ ...(table.tool ?? {}) }),
    line: block.line,
  })
}
