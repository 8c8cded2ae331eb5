import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { fileURLToPath } from 'node:url'
import { dirname, join } from 'node:path'
import type { OptionSpec } from '@pipette/config'

/**
 * Runs the CLI. `pipette --version` (and `-V`) is answered without loading
 * oclif: it is the start-up benchmark and the command scripts call most often.
 *
 * Before oclif, the command line is read as pip's main parser reads it: pip's
 * general options may come before the command name (`pipette -v install x`,
 * `pipette --python .venv list`); the first word after them is the command,
 * which oclif gets first, followed by everything else in order (the general
 * options are read again by the command, with the configuration). An
 * unknown command is pip's `ERROR: unknown command "x" - maybe you meant "y"`
 * (exit 1); a bad general option is pip's usage error (exit 2).
 */
export async function runCli(argv: readonly string[], binUrl: string): Promise<void> {
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    process.stdout.write(`${versionLine(binUrl)}\n`)
    return
  }
  const routed = await routeCommandLine(argv, binUrl)
  if (routed === null) return
  const { runOclif } = await import('./run-oclif.js')
  await runOclif(routed, binUrl)
}

/** pip prints `pip X from DIR (python Y)`; pipette prints the same shape. */
export function versionLine(binUrl: string): string {
  const root = dirname(dirname(fileURLToPath(binUrl)))
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }
  return `pipette ${pkg.version} from ${root} (node ${process.versions.node})`
}

/**
 * One command by name, from the built command files, with one or two system calls: 'command', a topic's
 * subcommands, null when there is no such command, undefined when the command files cannot be read.
 */
function findCommand(binUrl: string, name: string): 'command' | Set<string> | null | undefined {
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(name)) return null
  const dir = fileURLToPath(new URL('../dist/commands/', binUrl))
  try {
    return new Set(readdirSync(join(dir, name)).filter((file) => file.endsWith('.js') && file !== 'index.js').map((file) => file.slice(0, -3)))
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code !== 'ENOENT' && code !== 'ENOTDIR') return undefined
  }
  if (existsSync(join(dir, `${name}.js`))) return 'command'
  return existsSync(dir) ? null : undefined
}

/** The commands (name -> subcommands of a topic, or null), from the built command files; null when they cannot be listed. */
function listCommands(binUrl: string): Map<string, Set<string> | null> | null {
  const dir = fileURLToPath(new URL('../dist/commands/', binUrl))
  const commands = new Map<string, Set<string> | null>()
  try {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        const subcommands = readdirSync(join(dir, entry.name)).filter((name) => name.endsWith('.js') && name !== 'index.js')
        commands.set(entry.name, new Set(subcommands.map((name) => name.slice(0, -3))))
      } else if (entry.name.endsWith('.js')) {
        commands.set(entry.name.slice(0, -3), null)
      }
    }
  } catch {
    return null
  }
  return commands
}

const HELP = { type: 'boolean', char: 'h' } as const

/**
 * pip's `parse_command`: the command-line words for oclif (the command, a
 * topic's subcommand, then the rest in order), or null when the answer was
 * printed here (a version, an error; `process.exitCode` is set).
 */
async function routeCommandLine(argv: readonly string[], binUrl: string): Promise<string[] | null> {
  const [{ GENERAL_OPTIONS }, { specsFromFlags }] = await Promise.all([import('./options/general.js'), import('./options/specs.js')])
  const declared = { ...GENERAL_OPTIONS, help: HELP }
  const specs = specsFromFlags(declared)
  let rest: readonly string[] = argv
  let version = false
  let help = false
  // The usual command line starts with the command's name: nothing to parse before it (and @pipette/config
  // is not loaded here, which keeps `pipette install --help` as fast as before).
  if ((argv[0] ?? '').startsWith('-')) {
    const { OptionError, parseCommandLine } = await import('@pipette/config')
    try {
      const parsed = parseCommandLine({ specs, argv, interspersed: false, home: homedir() })
      rest = parsed.args
      version = parsed.values['version'] === true
      help = parsed.values['help'] === true
    } catch (error) {
      if (!(error instanceof OptionError)) throw error
      process.stderr.write(`\nUsage:   \n  pipette <command> [options]\n\n${error.message}\n`)
      process.exitCode = 2
      return null
    }
  }
  if (version) {
    process.stdout.write(`${versionLine(binUrl)}\n`)
    return null
  }
  if (help) return [...argv]
  if (rest.length === 0) return []
  const name = rest[0] as string
  const found = findCommand(binUrl, name)
  if (found === undefined) return [...argv]
  if (found === null) {
    const commands = listCommands(binUrl) ?? new Map()
    const { closeMatches } = await import('@pipette/config')
    const guess = closeMatches(name.toLowerCase(), commands.keys())[0]
    process.stderr.write(`ERROR: unknown command "${name}"${guess === undefined ? '' : ` - maybe you meant "${guess}"`}\n`)
    process.exitCode = 1
    return null
  }
  const start = argv.length - rest.length
  const before = argv.slice(0, start)
  const after = argv.slice(start + 1)
  const subcommands = found
  if (subcommands !== 'command') {
    const index = subcommandIndex(after, subcommands, specs)
    if (index !== -1) return [name, after[index] as string, ...before, ...after.slice(0, index), ...after.slice(index + 1)]
  }
  return [name, ...before, ...after]
}

/** Where a topic's subcommand is among the words after its name: the first word naming one that is not a general option's value. */
function subcommandIndex(words: readonly string[], subcommands: ReadonlySet<string>, specs: readonly OptionSpec[]): number {
  const takesValue = new Set(specs.filter((spec) => spec.action === 'store' || spec.action === 'append').flatMap((spec) => spec.long.map((long) => `--${long}`)))
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string
    if (word === '--') return -1
    if (word.startsWith('--')) {
      if (!word.includes('=') && takesValue.has(word)) i++
      continue
    }
    if (word.startsWith('-') && word !== '-') continue
    if (subcommands.has(word)) return i
  }
  return -1
}
