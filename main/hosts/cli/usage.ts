// The `genqueue` command's interface, written once: the help text and the usage error. Outside
// tools drive this command, so what it accepts and prints is a contract: change it only by adding.
export const USAGE = `Usage: genqueue <command> [options]

Commands:
  run [<path…>] --prompt <text> Queue images (folders recursively) and process them until done;
                                with no paths, process what is already queued.
      [--model <id>] [--size <ratio>] [--resolution <r>] [--n <k>] [--out <dir>]
      [--option <name=value>…] [--json] [--simulate] [--force] [--no-wait]
                                --option: one of the model's own options (see genqueue models),
                                such as --option quality=high; repeat it for more.
                                --no-wait: give up (exit 1, jobs kept) while APIMart cannot be
                                reached, instead of waiting for it.
      [--estimate] [--max-spend <USD>]
                                --estimate: print what the images would cost ("≈ $0.42 for 20
                                images") and stop; nothing is queued or uploaded.
                                --max-spend: pay for no task past this many US dollars in this
                                run; the rest are held (exit 3), and a run with a higher cap
                                releases them.
  prepare <path…> --out <dir>   Make images acceptable to APIMart without uploading (a dry run).
      [--json] [--metadata strip|keep|keep-with-gps] [--max-dimension <px>]
  watch [<dir…>] [--prompt <text>] [--model <id>] [--size <ratio>] [--resolution <r>] [--n <k>]
      [--option <name=value>…] [--out <dir>] [--json] [--simulate]
                                Watch folders (recursively; with none, those watched before) and
                                process each new image once, until Ctrl-C; jobs stay queued, and
                                the next start catches up. Says every folder and its recipe.
  watch --list [--json]         Show the watched folders, their recipes and output folders.
  watch --remove <dir…>         Stop watching folders (their jobs and results stay).
  jobs [--state queued|active|done|failed|ambiguous|all] [--json]
                                One line per job: id, stage, source, and why it failed. Works
                                while another instance runs.
  status [--json]               Show the queue in GENQUEUE_HOME (works while another instance runs).
  models [--json] [--simulate]  List the models the key can use and each one's options (APIMart's
                                own list and schemas; GenQueue's built-in list when offline).
  retry [<job…>] [--failed|--ambiguous]
                                Queue failed and/or ambiguous jobs again (ambiguous ones may be
                                billed twice: they were possibly created before GenQueue stopped).
  cancel <job…>                 Cancel jobs.
  simulator [--port <n>]        Run the built-in APIMart simulator until Ctrl-C.
  --version, -V                 Print GenQueue's version.

Environment:
  APIMART_API_KEY    your APIMart key (not needed with --simulate, nor by jobs, status, retry,
                     cancel, watch --list and watch --remove)
  APIMART_BASE_URL   default https://api.apimart.ai
  GENQUEUE_HOME      data directory (queue database, caches, settings)

Exit codes: 0 all succeeded, 1 any job failed or the queue could not go on, 2 usage error,
3 jobs held at a spending cap (--max-spend, or the day's cap in Settings), 130 stopped by Ctrl-C.`;

export class UsageError extends Error {
  override name = 'UsageError';
}
