/**
 * pip's "General Options" (pip 26), which every command takes, before or
 * after its name (`pipette -v install x`, `pipette install -v x`). Declared
 * here once as plain data, without oclif, because `main.ts` needs them before
 * oclif is loaded: to find the command name after the general options, as
 * pip's main parser does. `general-flags.ts` turns them into oclif flags.
 *
 * Some are accepted for compatibility and change nothing in pipette (their
 * description says so; they are hidden from the help, whose rendering costs
 * start-up time per option): --debug, --log, --keyring-provider,
 * --exists-action, --disable-pip-version-check, --no-python-version-warning,
 * --use-feature, --use-deprecated, --resume-retries. --no-color is shown.
 */
import type { FlagDeclaration } from './specs.js'

const GENERAL = 'GENERAL'

export const GENERAL_OPTIONS = {
  debug: {
    type: 'boolean',
    description: "Accepted for pip compatibility (pip lets unhandled exceptions propagate); no effect: pipette's own errors never show a stack trace.",
    helpGroup: GENERAL,
    hidden: true,
  },
  isolated: {
    type: 'boolean',
    description: 'Run in an isolated mode, ignoring environment variables and user configuration.',
    helpGroup: GENERAL,
  },
  'require-virtualenv': {
    type: 'boolean',
    aliases: ['require-venv'],
    description: 'Only run in a virtual environment (the one --python, VIRTUAL_ENV or ./.venv points to); exit with status 3 otherwise.',
    helpGroup: GENERAL,
  },
  python: {
    type: 'option',
    helpValue: '<python>',
    description: 'Run against this Python: a path, a name on PATH (python3.12) or a virtual environment directory.',
    helpGroup: GENERAL,
  },
  verbose: {
    type: 'boolean',
    char: 'v',
    description: 'Give more output. Option is additive, and can be used up to 3 times.',
    helpGroup: GENERAL,
    pip: { action: 'count' },
  },
  version: {
    type: 'boolean',
    char: 'V',
    description: 'Show version and exit.',
    helpGroup: GENERAL,
    hidden: true,
  },
  quiet: {
    type: 'boolean',
    char: 'q',
    description: 'Give less output. Option is additive, and can be used up to 3 times (corresponding to WARNING, ERROR, and CRITICAL logging levels).',
    helpGroup: GENERAL,
    pip: { action: 'count' },
  },
  log: {
    type: 'option',
    aliases: ['log-file', 'local-log'],
    helpValue: '<path>',
    description: 'Accepted for pip compatibility (a verbose appending log); no effect: pipette writes no log file.',
    helpGroup: GENERAL,
    pip: { type: 'path' },
    hidden: true,
  },
  'no-input': {
    type: 'boolean',
    description: 'Disable prompting for input.',
    helpGroup: GENERAL,
  },
  'keyring-provider': {
    type: 'option',
    options: ['auto', 'disabled', 'import', 'subprocess'],
    default: 'auto',
    helpValue: '<keyring_provider>',
    description: 'Accepted for pip compatibility [auto, disabled, import, subprocess]; no effect: pipette does not use keyring (credentials come from URLs, PIPETTE_INDEX_* variables and .netrc).',
    helpGroup: GENERAL,
    hidden: true,
  },
  proxy: {
    type: 'option',
    helpValue: '<proxy>',
    description: 'Specify a proxy in the form scheme://[user:passwd@]proxy.server:port. Without it, HTTPS_PROXY, HTTP_PROXY and NO_PROXY are honoured.',
    helpGroup: GENERAL,
  },
  retries: {
    type: 'option',
    default: 5,
    helpValue: '<retries>',
    description: 'Maximum attempts to establish a new HTTP connection. (default: 5)',
    helpGroup: GENERAL,
    pip: { type: 'int' },
  },
  timeout: {
    type: 'option',
    aliases: ['default-timeout'],
    default: 15,
    helpValue: '<sec>',
    description: 'Set the socket timeout (default 15 seconds).',
    helpGroup: GENERAL,
    pip: { type: 'float' },
  },
  'exists-action': {
    type: 'option',
    multiple: true,
    options: ['s', 'i', 'w', 'b', 'a'],
    helpValue: '<action>',
    description: 'Accepted for pip compatibility (the default action when a path already exists: (s)witch, (i)gnore, (w)ipe, (b)ackup, (a)bort); no effect: pipette never asks.',
    helpGroup: GENERAL,
    hidden: true,
  },
  'trusted-host': {
    type: 'option',
    multiple: true,
    helpValue: '<hostname>',
    description: 'Mark this host or host:port pair as trusted, even though it does not have valid or any HTTPS.',
    helpGroup: GENERAL,
  },
  cert: {
    type: 'option',
    helpValue: '<path>',
    description: 'Path to PEM-encoded CA certificate bundle. If provided, overrides the default (else REQUESTS_CA_BUNDLE, CURL_CA_BUNDLE).',
    helpGroup: GENERAL,
    pip: { type: 'path' },
  },
  'client-cert': {
    type: 'option',
    helpValue: '<path>',
    description: 'Path to SSL client certificate, a single file containing the private key and the certificate in PEM format.',
    helpGroup: GENERAL,
    pip: { type: 'path' },
  },
  'cache-dir': {
    type: 'option',
    helpValue: '<dir>',
    description: 'Store the cache data in <dir>. (environment: PIPETTE_CACHE_DIR, PIP_CACHE_DIR)',
    helpGroup: GENERAL,
    pip: { type: 'path' },
  },
  'no-cache-dir': {
    type: 'boolean',
    description: 'Disable the cache.',
    helpGroup: GENERAL,
    pip: { action: 'disable', dest: 'cache-dir' },
  },
  'disable-pip-version-check': {
    type: 'boolean',
    description: 'Accepted for pip compatibility; no effect: pipette never checks for a newer version of itself.',
    helpGroup: GENERAL,
    hidden: true,
  },
  'no-color': {
    type: 'boolean',
    description: 'Suppress colored output.',
    helpGroup: GENERAL,
  },
  'no-python-version-warning': {
    type: 'boolean',
    description: 'Accepted for pip compatibility; no effect (as in pip 26).',
    helpGroup: GENERAL,
    hidden: true,
  },
  'use-feature': {
    type: 'option',
    multiple: true,
    options: ['fast-deps', 'build-constraint', 'inprocess-build-deps', 'truststore', 'no-binary-enable-wheel-cache'],
    helpValue: '<feature>',
    description: "Accepted for pip compatibility (pip's new features); no effect.",
    helpGroup: GENERAL,
    hidden: true,
  },
  'use-deprecated': {
    type: 'option',
    multiple: true,
    options: ['legacy-resolver', 'legacy-certs'],
    helpValue: '<feature>',
    description: "Accepted for pip compatibility (pip's deprecated features); no effect.",
    helpGroup: GENERAL,
    hidden: true,
  },
  'resume-retries': {
    type: 'option',
    default: 5,
    helpValue: '<resume_retries>',
    description: 'Accepted for pip compatibility (attempts to resume an incomplete download); no effect: pipette restarts an interrupted download.',
    helpGroup: GENERAL,
    pip: { type: 'int' },
    hidden: true,
  },
} satisfies Record<string, FlagDeclaration>

/**
 * Commands pip runs even under --require-virtualenv (their `ignore_require_venv`),
 * with pipette's own `venv`.
 */
export const IGNORE_REQUIRE_VIRTUALENV: ReadonlySet<string> = new Set(['cache', 'completion', 'config', 'debug', 'hash', 'help', 'index', 'inspect', 'list', 'search', 'show', 'venv'])
