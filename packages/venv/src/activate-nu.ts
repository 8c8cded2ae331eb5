/**
 * `bin/activate.nu`: activation for nushell, which CPython does not ship.
 * Used as `overlay use .venv/bin/activate.nu`; `deactivate` hides the overlay,
 * which restores PATH and the prompt. The placeholders are replaced by
 * nushell string literals.
 */
export const NUSHELL_ACTIVATE = `# This file must be used with "overlay use bin/activate.nu" from nushell;
# you cannot run it directly. Leave the environment with "deactivate".

export-env {
    let venv_dir = __VENV_DIR__
    let bin_dir = ($venv_dir | path join __VENV_BIN_NAME__)
    let path_name = if ('Path' in ($env | columns)) { 'Path' } else { 'PATH' }
    let old_path = ($env | get $path_name)
    let old_path = if (($old_path | describe) == 'string') { $old_path | split row (char esep) } else { $old_path }
    let prompt_name = __VENV_PROMPT__
    load-env {
        $path_name: ($old_path | prepend $bin_dir)
        VIRTUAL_ENV: $venv_dir
        VIRTUAL_ENV_PROMPT: $prompt_name
    }
    if ($env.VIRTUAL_ENV_DISABLE_PROMPT? | is-empty) {
        let old_prompt = ($env.PROMPT_COMMAND? | default '')
        let new_prompt = if (($old_prompt | describe) | str starts-with 'closure') {
            {|| $"\\(($prompt_name)\\) (do $old_prompt)" }
        } else {
            {|| $"\\(($prompt_name)\\) ($old_prompt)" }
        }
        $env.PROMPT_COMMAND = $new_prompt
    }
}

export alias pydoc = python -m pydoc
export alias deactivate = overlay hide activate
`
