//! Command-line arguments (clap derive). Nothing below this module sees clap's
//! types: the format enums here map onto the reports' own, [`SimArgs`] onto the
//! pipeline's [`SimOptions`]; `completions` and `man` describe the command line itself.

use std::path::PathBuf;

use clap::{Args, CommandFactory, Parser, Subcommand};

use crate::pipeline::SimOptions;
use crate::report::Format;
use crate::report::compare::PairFormat;

#[derive(Debug, Parser)]
#[command(
    name = "shop",
    version,
    about = "Mystery-shop a contact center: simulate callers through a phone menu, queues and agents, and report what they lived through.",
    after_help = "`shop FILE` is short for `shop run FILE`.\nExit codes: 0 success, 1 a `check` gate failed, no staffing meets a target (`staff`, `schedule`) or a `--strict` found something (`validate`, `staff`, `schedule`), 2 bad input or usage."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Simulate one design and report what callers experienced.
    Run(RunArgs),
    /// Run two designs on the same simulated callers and show the differences.
    Compare(CompareArgs),
    /// CI gate: exit 1 when HEAD worsens a gated metric beyond its tolerance.
    Check(CheckArgs),
    /// The mystery shopper: narrate simulated calls step by step.
    Journey(JourneyArgs),
    /// Check a scenario file: load errors, and warnings a designer should see.
    Validate(ValidateArgs),
    /// Print the JSON Schema of the scenario file, for editors: save it with --out and start
    /// a scenario with `# yaml-language-server: $schema=./shop.schema.json`.
    Schema(SchemaArgs),
    /// Print a bundled design to start from (`shop example NAME > my.yaml`); with no name, list them.
    Example(ExampleArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions(CompletionsArgs),
    /// Print the manual page (roff) with every verb and flag: `shop man > shop.1; man ./shop.1`.
    Man(ManArgs),
    /// Queueing formulas, no simulation: service level, waits, hang-ups and occupancy from
    /// Erlang C, or Erlang A with --patience; with --target, the fewest agents meeting it.
    Erlang(ErlangArgs),
    /// The fewest agents per pool and interval meeting the targets in every interval:
    /// Erlang's answer corrected by simulation, then proven minimal. Exit 1 when none within --max-agents does.
    Staff(StaffArgs),
    /// Shifts and breaks from the agents needed per interval, at least cost: the covering
    /// problem's LP bound, rounded and repaired, then simulated, repaired where a target is
    /// missed and confirmed on a fresh seed. `--write` puts the roster into the scenario.
    Schedule(ScheduleArgs),
    /// Fit a scenario to a real call log (arrivals, handle times, patience, staffing).
    Fit(FitArgs),
    /// Simulate a scenario beside a real call log, interval by interval: calls, hang-ups,
    /// waits and service level, log vs simulation with its 95% interval, and the errors.
    Backtest(BacktestArgs),
    /// Forecast calls per day and interval for the next days from a call log (Holt-Winters with a
    /// weekly season), with its error on held-out days beside the seasonal-naive forecast's.
    Forecast(ForecastArgs),
    /// A snapshot of the center at one moment, from a call log (who was on hold, who in talk),
    /// for `run --from`; `shop state --schema` prints the snapshot's JSON Schema.
    State(StateArgs),
    /// Send a call log's own callers through a design: each logged call arrives at its
    /// logged time, with its logged talk time and what the log saw of its patience; the
    /// menu, queues, routing and agents are the design's. `run`'s report, on the log's days.
    Replay(ReplayArgs),
    /// Merge shards (`run|compare|backtest --replications A..B --format shard`) into the report
    /// of all their replications: the same bytes as one run of them, whatever the split and order.
    Merge(MergeArgs),
}

/// Output formats of `compare` and `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CompareFormat {
    Table,
    Json,
    Markdown,
    Csv,
    Html,
}

impl From<CompareFormat> for PairFormat {
    fn from(f: CompareFormat) -> PairFormat {
        match f {
            CompareFormat::Table => PairFormat::Table,
            CompareFormat::Json => PairFormat::Json,
            CompareFormat::Markdown => PairFormat::Markdown,
            CompareFormat::Csv => PairFormat::Csv,
            CompareFormat::Html => PairFormat::Html,
        }
    }
}

/// `compare --format`: a comparison's format, or a shard for `shop merge`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CompareOrShardFormat {
    Table,
    Json,
    Markdown,
    Csv,
    Html,
    /// Both designs' statistics (JSON) for `shop merge`.
    Shard,
}

impl CompareOrShardFormat {
    /// The comparison's format; `None` for a shard.
    pub fn pair(self) -> Option<PairFormat> {
        match self {
            CompareOrShardFormat::Table => Some(PairFormat::Table),
            CompareOrShardFormat::Json => Some(PairFormat::Json),
            CompareOrShardFormat::Markdown => Some(PairFormat::Markdown),
            CompareOrShardFormat::Csv => Some(PairFormat::Csv),
            CompareOrShardFormat::Html => Some(PairFormat::Html),
            CompareOrShardFormat::Shard => None,
        }
    }
}

/// Output formats of `run`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RunFormat {
    Table,
    Json,
    Csv,
    Markdown,
    Html,
}

impl From<RunFormat> for Format {
    fn from(f: RunFormat) -> Format {
        match f {
            RunFormat::Table => Format::Table,
            RunFormat::Json => Format::Json,
            RunFormat::Csv => Format::Csv,
            RunFormat::Markdown => Format::Markdown,
            RunFormat::Html => Format::Html,
        }
    }
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The first design (the baseline).
    pub a: PathBuf,
    /// The second design.
    pub b: PathBuf,
    #[command(flatten)]
    pub sim: SimArgs,
    /// Both designs on this call log's callers instead of simulated ones, paired per
    /// logged day (see `shop replay`).
    #[arg(long, value_name = "LOG")]
    pub traffic: Option<PathBuf>,
    #[command(flatten)]
    pub replay: TrafficArgs,
    /// Output format [default: table, or the one --out's extension names: .json, .csv, .md, .html];
    /// `shard`: both designs' statistics for `shop merge` (docs/shards.md)
    #[arg(long, value_enum)]
    pub format: Option<CompareOrShardFormat>,
    /// Write the comparison to this file (atomically).
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub from: FromArgs,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The design before the change.
    pub base: PathBuf,
    /// The design after the change.
    pub head: PathBuf,
    #[command(flatten)]
    pub sim: SimArgs,
    /// Both designs on this call log's callers instead of simulated ones, paired per
    /// logged day (see `shop replay`): "would last month's callers have waited longer?".
    #[arg(long, value_name = "LOG")]
    pub traffic: Option<PathBuf>,
    #[command(flatten)]
    pub replay: TrafficArgs,
    /// A gate `[SCOPE:]METRIC OP LIMIT`. A signed limit is a change from BASE ('wait.p95 <= +5%',
    /// 'wait.max <= +30s', 'service_level >= -2pt'); an unsigned one a level HEAD must meet
    /// ('wait.p95 <= 3m', 'abandon_rate <= 5%'). Scopes: 'corporate:', 'all:', 'queue billing:'.
    /// Repeatable; replaces the default gates ('time_to_answer.p95 <= +10s',
    /// 'time_to_answer.max <= +10% or +30s', 'wait.p95 <= +5% or +5s', 'wait.max <= +10% or +30s',
    /// 'hang_up_rate <= +1pt', per caller type and for all callers).
    #[arg(long = "gate", value_name = "GATE")]
    pub gates: Vec<String>,
    /// A YAML file with a list of gates under `gates:` (the team's policy, kept in the repository).
    #[arg(long = "gates", value_name = "FILE")]
    pub gates_file: Option<PathBuf>,
    /// Output format [default: table, or the one --out's extension names: .json, .csv, .md, .html]
    #[arg(long, value_enum)]
    pub format: Option<CompareFormat>,
    /// A caller type or queue gated in BASE but absent from HEAD (renamed or removed)
    /// is noted instead of failing the gate.
    #[arg(long)]
    pub allow_missing: bool,
    /// While a gate's 95% interval straddles its limit, `check` doubles the replications
    /// (the same days, then new ones) up to this many; a gate still undecided is
    /// INCONCLUSIVE (exit 1) [default: 8× the file's replications]
    #[arg(long, value_name = "N")]
    pub max_replications: Option<u32>,
    /// Write the verdict to this file (atomically); the exit code is unchanged.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}

/// Output formats of `journey`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum JourneyFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct JourneyArgs {
    /// The scenario file (YAML).
    pub file: PathBuf,
    /// Only callers of this type.
    #[arg(long)]
    pub caller: Option<String>,
    /// Only callers with this reason.
    #[arg(long)]
    pub reason: Option<String>,
    /// How many journeys to narrate: the first ones to dial, from replication 0 on.
    #[arg(long, default_value_t = 1, conflicts_with = "worst", value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub count: u32,
    /// Narrate the N calls with the longest wait in the run `shop run` reports
    /// with the same file, seed and replications: the hold (the first one's is
    /// `wait.max`), an email's response time, a callback's time to callback.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub worst: Option<u32>,
    #[command(flatten)]
    pub sim: SimArgs,
    #[arg(long, value_enum, default_value = "text")]
    pub format: JourneyFormat,
    /// Write the narration to this file (atomically).
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// The scenario file (YAML).
    pub file: PathBuf,
    /// Exit 1 when there are warnings (for CI).
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Write the schema to this file (atomically).
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ExampleArgs {
    /// The bundled design, e.g. support_line (`shop example` lists them).
    pub name: Option<String>,
    /// Write the design to this file (atomically).
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write the page to this file (atomically).
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}

/// The call-log layouts `shop fit` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogSchema {
    /// What `shop run --log` writes.
    Shop,
    /// The public research log of a bank's call center (one row per call, `vru_entry`, `q_start`, ...).
    AnonymousBank,
}

impl From<LogSchema> for crate::logs::schema::LogSchema {
    fn from(s: LogSchema) -> Self {
        match s {
            LogSchema::Shop => crate::logs::schema::LogSchema::Shop,
            LogSchema::AnonymousBank => crate::logs::schema::LogSchema::AnonymousBank,
        }
    }
}

/// Output formats of `fit`'s report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FitFormat {
    Table,
    Json,
}

/// How `fit` estimates agents per interval (`--agents`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FitAgents {
    /// Distinct agents seen serving in the interval (overstates capacity).
    Distinct,
    /// Mean busy agents: the load carried, not the capacity.
    Busy,
    /// Mean busy agents while at least one caller holds; the peak busy count where nobody held.
    BusyWhileWaiting,
    /// Agents on the phones: busy while a caller holds, carried across the gaps between holds
    /// (the default: busy-while-waiting reads the moments callers hold, when fewer agents
    /// happen to be on the phones, and leans low).
    OnPhones,
}

#[derive(Debug, Args)]
pub struct FitArgs {
    /// The call log (CSV, comma- or tab-separated).
    pub log: PathBuf,
    /// The log's layout [default: detected from the header].
    #[arg(long, value_enum)]
    pub schema: Option<LogSchema>,
    /// Length of the intervals of the arrival profile and the staffing.
    #[arg(long, default_value = "30m")]
    pub interval: String,
    /// The center's service-level threshold (e.g. 20s): no log records it. Written into the
    /// fitted scenario and used for the log's service level when calibrating [default: 30s,
    /// the scenario's default].
    #[arg(long, value_name = "DURATION")]
    pub service_level: Option<String>,
    /// The estimated wait over which the center offers a callback (e.g. 90s): no log shows the
    /// offers, only the callbacks taken. Used to count who was offered one and written into the
    /// fitted queue [default: 2m, the scenario's default].
    #[arg(long, value_name = "DURATION")]
    pub callback_offer: Option<String>,
    /// Fit arrivals and staffing per weekday: one scenario per weekday seen
    /// (`fitted.yaml` becomes `fitted.mon.yaml`, ...), beside the all-days one.
    #[arg(long)]
    pub day_of_week: bool,
    /// Two calls of one customer this close (end to next dial) are a redial.
    #[arg(long, default_value = "2h", value_name = "DURATION")]
    pub redial_window: String,
    /// Write the fitted scenario here (atomically); without it the scenario goes to
    /// standard output and the report to standard error.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Format of the report of what was fitted.
    #[arg(long, value_enum, default_value = "table")]
    pub format: FitFormat,
    /// Which estimate of agents per interval to write (all four are printed;
    /// see docs/call-logs.md).
    #[arg(long, value_enum, default_value = "on-phones")]
    pub agents: FitAgents,
    /// Keep the log's last days out of the fit ('7d' or '7'): score the scenario on days it
    /// never saw with `shop backtest LOG SCENARIO --last 7d`.
    #[arg(long, value_name = "DAYS")]
    pub holdout: Option<String>,
    /// Fit this day type (as the report names them: `weekdays`, `friday`, ...)
    /// [default: the busiest type].
    #[arg(long, value_name = "NAME")]
    pub day_type: Option<String>,
    /// After fitting, adjust each interval's agents (and one patience scale per caller type)
    /// until the simulation's service level and abandon rate match the log's within its noise.
    #[arg(long)]
    pub calibrate: bool,
    /// Worker threads for --calibrate's simulations (default: all cores). The result does not depend on it.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub threads: Option<u32>,
    /// Write one scenario per day type into this folder (`DIR/weekdays.yaml`, ...; atomically).
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ForecastArgs {
    /// The call log (CSV, comma- or tab-separated).
    pub log: PathBuf,
    /// The log's layout [default: detected from the header].
    #[arg(long, value_enum)]
    pub schema: Option<LogSchema>,
    /// Length of the intervals of the intraday profile.
    #[arg(long, default_value = "30m", value_name = "DURATION")]
    pub interval: String,
    /// Forecast the log's last days from the ones before ('7d'; '0' for none) and print the
    /// error beside the seasonal-naive forecast's [default: 7d when the log has three weeks].
    #[arg(long, value_name = "DAYS")]
    pub holdout: Option<String>,
    /// How many days to forecast after the log's last.
    #[arg(long, default_value = "14d", value_name = "DAYS")]
    pub horizon: String,
    /// Write the `arrivals` and `volume_spread` of one forecast day (see --day) for a scenario
    /// to this file (atomically; refused if it exists, unless --force).
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// With --out: write a whole scenario, this one with the forecast day's `arrivals` (each caller
    /// type named like a log type gets its share of the calls), `opens`, `horizon`, `interval`
    /// and `volume_spread`; everything else (and its comments) kept.
    #[arg(long, value_name = "BASE", requires = "out")]
    pub scenario: Option<PathBuf>,
    /// Which forecast day --out writes: 1 = the day after the log's last.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    pub day: u32,
    /// Overwrite --out if it exists.
    #[arg(long)]
    pub force: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: FitFormat,
}

#[derive(Debug, Args)]
pub struct BacktestArgs {
    /// The call log (CSV, comma- or tab-separated).
    pub log: PathBuf,
    /// The scenario to set beside it (e.g. the one `shop fit` wrote).
    pub scenario: PathBuf,
    /// The log's layout [default: detected from the header].
    #[arg(long, value_enum)]
    pub schema: Option<LogSchema>,
    /// Length of the intervals compared [default: the scenario's `interval`].
    #[arg(long, value_name = "DURATION")]
    pub interval: Option<String>,
    /// Score only the log's last days ('7d' or '7'): the days `shop fit --holdout 7d` kept out.
    #[arg(long, value_name = "DAYS")]
    pub last: Option<String>,
    #[command(flatten)]
    pub sim: SimArgs,
    /// Output format [default: table, or the one --out's extension names: .json, .csv, .md, .html];
    /// `shard`: the simulation's statistics and the log's counts for `shop merge` (docs/shards.md)
    #[arg(long, value_enum)]
    pub format: Option<RunOrShardFormat>,
    /// Write the backtest to this file (atomically).
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}

/// What `shop replay` may redraw instead of taking it from the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Redraw {
    /// Talk times from the design's pools (a design that changes who answers, or how long talks last).
    Handle,
}

/// How a call log is read as traffic (`replay`, `--traffic`).
#[derive(Debug, Clone, Args)]
pub struct TrafficArgs {
    /// The log's layout [default: detected from the header].
    #[arg(long, value_enum)]
    pub schema: Option<LogSchema>,
    /// The design's caller type a caller type of the log calls as: LOGTYPE=CALLER.
    /// Repeatable [default: the caller type of the same name].
    #[arg(long = "map", value_name = "LOGTYPE=CALLER")]
    pub map: Vec<String>,
    /// Replay only the log's last days ('7d' or '7').
    #[arg(long, value_name = "DAYS")]
    pub last: Option<String>,
    /// Draw this from the design instead of taking it from the log.
    #[arg(long, value_enum, value_name = "WHAT")]
    pub redraw: Vec<Redraw>,
}

#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// The call log (CSV, comma- or tab-separated; `shop run --log` or `anonymous-bank`).
    pub log: PathBuf,
    /// The design to send the log's callers through.
    pub scenario: PathBuf,
    #[command(flatten)]
    pub traffic: TrafficArgs,
    #[command(flatten)]
    pub sim: SimArgs,
    /// Output format [default: table, or the one --out's extension names: .json, .csv, .md, .html]
    #[arg(long, value_enum)]
    pub format: Option<RunFormat>,
    /// Write the report to this file (atomically).
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}

/// Options that change what is simulated.
#[derive(Debug, Clone, Args)]
pub struct SimArgs {
    /// Random seed (overrides the file's `seed`).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Number of independent simulated days (overrides the file's `replications`); `run`,
    /// `compare` and `backtest` with `--format shard` also take a range A..B: replications A
    /// to B-1 only (docs/shards.md).
    #[arg(long, value_name = "N|A..B", value_parser = parse_replications)]
    pub replications: Option<Replications>,
    /// Worker threads for replications (default: all cores). The report does not depend on it.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub threads: Option<u32>,
    /// Refuse to start when the expected calls per replication exceed this (guards against typos like 1e9/h).
    #[arg(long, value_name = "N", default_value_t = 50_000_000)]
    pub max_calls: u64,
}

/// `--replications`: a count (replications 0 to N-1), or a range A..B (a shard's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replications {
    Count(u32),
    Range(u32, u32),
}

/// The most replications one run takes.
const MAX_REPLICATIONS: u32 = 100_000;

fn parse_replications(text: &str) -> Result<Replications, String> {
    let number = |t: &str| {
        t.trim()
            .parse::<u32>()
            .map_err(|_| format!("`{t}` is not a whole number: give N or a range A..B (e.g. 0..100)"))
    };
    match text.split_once("..") {
        None => {
            let n = number(text)?;
            if !(1..=MAX_REPLICATIONS).contains(&n) {
                return Err(format!("{n} is not in 1..={MAX_REPLICATIONS}"));
            }
            Ok(Replications::Count(n))
        }
        Some((a, b)) => {
            let (a, b) = (number(a)?, number(b)?);
            if a >= b {
                return Err(format!("the range {a}..{b} is empty: A..B runs replications A to B-1, so A < B"));
            }
            if b - a > MAX_REPLICATIONS {
                return Err(format!("the range {a}..{b} holds {} replications, more than {MAX_REPLICATIONS}", b - a));
            }
            Ok(Replications::Range(a, b))
        }
    }
}

impl SimArgs {
    /// The pipeline's options. A range A..B is a shard's (`run --format shard`):
    /// other runs refuse it.
    pub fn options(&self) -> Result<SimOptions, String> {
        if let Some(Replications::Range(a, b)) = self.replications {
            return Err(format!(
                "error: --replications {a}..{b}: a range of replications is a shard, for `shop run|compare|backtest ... --format shard`\n  \
                 help: give a count (--replications {b}) for a report, or add --format shard --out part.json"
            ));
        }
        Ok(self.shard_options().0)
    }

    /// The pipeline's options and the replications a shard runs (0..N for a count).
    pub fn shard_options(&self) -> (SimOptions, Option<std::ops::Range<u32>>) {
        let (replications, range) = match self.replications {
            Some(Replications::Count(n)) => (Some(n), None),
            Some(Replications::Range(a, b)) => (Some(b - a), Some(a..b)),
            None => (None, None),
        };
        (SimOptions { seed: self.seed, replications, threads: self.threads, max_calls: self.max_calls }, range)
    }
}

/// `run --format`: a report's format, or a shard for `shop merge`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RunOrShardFormat {
    Table,
    Json,
    Csv,
    Markdown,
    Html,
    /// The statistics (JSON) for `shop merge`.
    Shard,
}

impl RunOrShardFormat {
    /// The report's format; `None` for a shard.
    pub fn report(self) -> Option<Format> {
        match self {
            RunOrShardFormat::Table => Some(Format::Table),
            RunOrShardFormat::Json => Some(Format::Json),
            RunOrShardFormat::Csv => Some(Format::Csv),
            RunOrShardFormat::Markdown => Some(Format::Markdown),
            RunOrShardFormat::Html => Some(Format::Html),
            RunOrShardFormat::Shard => None,
        }
    }
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The shards (`shop run ... --format shard --out part-K.json`), in any order.
    #[arg(required = true, value_name = "SHARD")]
    pub shards: Vec<PathBuf>,
    /// Output format [default: table, or the one --out's extension names: .json, .csv, .md, .html]
    #[arg(long, value_enum)]
    pub format: Option<RunFormat>,
    /// Write the report to this file (atomically).
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// The scenario file (YAML).
    pub file: PathBuf,
    #[command(flatten)]
    pub sim: SimArgs,
    /// Output format [default: table, or the one --out's extension names: .json, .csv, .md, .html];
    /// `shard`: the run's statistics for `shop merge` (docs/shards.md)
    #[arg(long, value_enum)]
    pub format: Option<RunOrShardFormat>,
    /// Write the report to this file (atomically: a temporary file renamed into place).
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Also write one CSV row per simulated call to this file (streamed; see docs/call-logs.md).
    #[arg(long, value_name = "FILE")]
    pub log: Option<PathBuf>,
    #[command(flatten)]
    pub from: FromArgs,
}

/// Where a run starts: an empty center at the opening, or a snapshot (intraday).
#[derive(Debug, Args, Default)]
pub struct FromArgs {
    /// Start every replication from this snapshot of the center (callers on hold, calls in talk,
    /// agents on duty and on break, ...) and simulate the rest of the day (docs/intraday.md).
    #[arg(long, value_name = "STATE.json")]
    pub from: Option<PathBuf>,
    /// The snapshot's moment, overriding its `at`: a clock time (10:40) or an offset from the opening (2h40m).
    #[arg(long, value_name = "TIME", requires = "from")]
    pub at: Option<String>,
    /// Scale the rest of the day's arrivals by the calls that arrived so far over the plan's
    /// (the snapshot's `arrived_so_far`), per caller type.
    #[arg(long, requires = "from")]
    pub rescale: bool,
}

#[derive(Debug, Args)]
pub struct StateArgs {
    /// The call log to take the snapshot from.
    #[arg(required_unless_present = "schema")]
    pub log: Option<PathBuf>,
    /// The moment: a clock time (10:40) or an offset from the log's time 0 (2h40m).
    #[arg(long, value_name = "TIME", required_unless_present = "schema")]
    pub at: Option<String>,
    /// The day: YYYY-MM-DD for a dated log, the replication for a `shop` log [default: the log's first].
    #[arg(long, value_name = "D")]
    pub date: Option<String>,
    /// The clock time of a `shop` log's time 0 (the scenario's `opens`), for a clock-time --at.
    #[arg(long, value_name = "HH:MM")]
    pub opens: Option<String>,
    /// The log's layout (shop, anonymous-bank); alone, without LOG: print the snapshot's JSON Schema.
    #[arg(long, value_enum, num_args = 0..=1, value_name = "LAYOUT")]
    pub schema: Option<Option<LogSchema>>,
    /// Write the snapshot (or the schema) to this file (atomically) instead of stdout.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}

/// The verbs `shop` with no arguments shows, in this order.
const COMMON_VERBS: [&str; 6] = ["run", "compare", "check", "journey", "validate", "example"];
#[derive(Debug, Args)]
pub struct ErlangArgs {
    /// Calls arriving (Poisson): 120/h, 2/m, 0.5/s.
    #[arg(long)]
    pub rate: String,
    /// Mean talk time, taken as exponential: 5m, 4m30s.
    #[arg(long)]
    pub handle: String,
    /// Mean patience on hold, taken as exponential (Erlang A). Omitted: nobody hangs up (Erlang C).
    #[arg(long)]
    pub patience: Option<String>,
    /// The figures at this many agents.
    #[arg(long, conflicts_with = "targets", value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub agents: Option<u32>,
    /// The fewest agents meeting this target: 'service_level(20s) >= 80%', 'wait.mean <= 30s',
    /// 'wait.p95 <= 3m', 'abandon_rate <= 5%', 'occupancy <= 85%'. Repeatable: all must hold.
    #[arg(long = "target", value_name = "TARGET")]
    pub targets: Vec<String>,
    /// The service level's "answered within" threshold [default: a target's `service_level(T)`, else 30s].
    #[arg(long, value_name = "DURATION")]
    pub service_level: Option<String>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: RunFormat,
    /// Write the figures to this file (atomically).
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct StaffArgs {
    pub file: PathBuf,
    /// A target every interval must meet: 'service_level >= 80%' (the file's threshold),
    /// 'service_level(20s) >= 80%', 'wait.mean <= 30s', 'wait.p95 <= 3m', 'abandon_rate <= 5%',
    /// 'occupancy <= 85%', 'response_time.p95 <= 4h' (email), 'time_to_callback.p95 <= 30m';
    /// scoped 'business: wait.p95 <= 2m' (a caller type), 'queue tech: service_level >= 80%'
    /// (the calls offered to a queue) or 'tech_team: occupancy <= 85%' (a pool). Repeatable: all
    /// must hold [default: service_level >= 80% in every queue a voice or chat caller reaches].
    #[arg(long = "target", value_name = "TARGET")]
    pub targets: Vec<String>,
    /// Targets from a YAML file: a list under `targets:`.
    #[arg(long = "targets", value_name = "FILE")]
    pub targets_file: Option<PathBuf>,
    /// The pools to staff, comma-separated [default: all]; the others keep their shifts.
    #[arg(long, value_delimiter = ',', value_name = "POOL,...")]
    pub pools: Vec<String>,
    /// Fewest agents per pool and interval [default: 1 while calls are offered to the pool, else 0].
    #[arg(long, value_name = "N")]
    pub min_agents: Option<u32>,
    /// Most agents per pool and interval.
    #[arg(long, value_name = "N", default_value_t = 500, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub max_agents: u32,
    /// The staffing interval, overriding the file's `interval` (e.g. 15m, 1h).
    #[arg(long, value_name = "DURATION")]
    pub interval: Option<String>,
    /// Write the scenario with the staffing found as shifts to this file (never the input).
    #[arg(long, value_name = "FILE")]
    pub write: Option<PathBuf>,
    /// A target holds in an interval only when its interval at this level (two-sided, over the
    /// replications: 95% is the report's ci95) lies on the right side of the bound, so that a
    /// fresh seed meets it too (e.g. 95%, 0.9) [default: the pooled figure decides].
    #[arg(long, value_name = "LEVEL")]
    pub confidence: Option<String>,
    /// Staff for the day that surprises: a target holds in an interval only when it holds there on
    /// at least this share of the simulated days (each replication's own figure), e.g. 90%
    /// [default: the figure pooled over all days decides]. Use with `volume_spread`.
    #[arg(long, value_name = "SHARE")]
    pub days_met: Option<String>,
    /// Skip the confirming run (the staffing found simulated again on a fresh seed).
    #[arg(long)]
    pub no_confirm: bool,
    /// The confirming run's seed [default: the search's seed + 1].
    #[arg(long, value_name = "SEED", conflicts_with = "no_confirm")]
    pub confirm_seed: Option<u64>,
    /// Exit 1 when the confirming run misses a target in an interval (its whole 95% interval
    /// on the wrong side).
    #[arg(long, conflicts_with = "no_confirm")]
    pub strict: bool,
    #[command(flatten)]
    pub sim: SimArgs,
    #[arg(long, value_enum)]
    pub format: Option<RunFormat>,
    /// Write the report to this file (atomically).
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}

/// Output formats of `schedule`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ScheduleFormat {
    #[value(alias = "table")]
    Text,
    Markdown,
    Json,
    Html,
}

impl From<ScheduleFormat> for Format {
    fn from(f: ScheduleFormat) -> Format {
        match f {
            ScheduleFormat::Text => Format::Table,
            ScheduleFormat::Markdown => Format::Markdown,
            ScheduleFormat::Json => Format::Json,
            ScheduleFormat::Html => Format::Html,
        }
    }
}

#[derive(Debug, Args)]
pub struct ScheduleArgs {
    /// The scenario file (YAML).
    #[arg(required_unless_present = "rules_schema")]
    pub file: Option<PathBuf>,
    /// The shift and break rules (YAML; see docs/schedule.md, and --rules-schema).
    #[arg(long, value_name = "RULES", required_unless_present = "rules_schema")]
    pub rules: Option<PathBuf>,
    /// Print the rules file's JSON Schema and stop.
    #[arg(long)]
    pub rules_schema: bool,
    /// The agents needed per pool and interval: `shop staff --format json` output
    /// [default: computed as `shop staff` does, for the targets].
    #[arg(long, value_name = "STAFF.json")]
    pub requirement: Option<PathBuf>,
    /// A target every interval must meet, as `shop staff --target` (repeatable)
    /// [default: service_level >= 80% in every queue a voice or chat caller reaches].
    #[arg(long = "target", value_name = "TARGET")]
    pub targets: Vec<String>,
    /// Targets from a YAML file: a list under `targets:`.
    #[arg(long = "targets", value_name = "FILE")]
    pub targets_file: Option<PathBuf>,
    /// As `shop staff --confidence`: a target holds where its 95% (or this level's) interval does.
    #[arg(long, value_name = "LEVEL")]
    pub confidence: Option<String>,
    /// As `shop staff --days-met`: a target holds where it holds on this share of the days.
    #[arg(long, value_name = "SHARE")]
    pub days_met: Option<String>,
    /// Most agents per pool and interval when the requirement is computed.
    #[arg(long, value_name = "N", default_value_t = 500, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub max_agents: u32,
    /// The requirement's interval when it is computed, overriding the file's `interval` (e.g. 15m).
    #[arg(long, value_name = "DURATION", conflicts_with = "requirement")]
    pub interval: Option<String>,
    /// Soft coverage: leave an interval short where covering it costs more than the penalty,
    /// and name it [default: every interval covered].
    #[arg(long)]
    pub soft: bool,
    /// With --soft: an agent-hour short costs this many of the dearest paid hours.
    #[arg(long, value_name = "HOURS", requires = "soft")]
    pub penalty: Option<f64>,
    /// Skip the simulation (no repair, no confirming run): the covering alone.
    #[arg(long)]
    pub no_simulate: bool,
    /// The confirming run's seed [default: the scenario's seed + 1].
    #[arg(long, value_name = "SEED", conflicts_with = "no_simulate")]
    pub confirm_seed: Option<u64>,
    /// Exit 1 when the confirming run misses a target in an interval (its whole 95% interval
    /// on the wrong side), as `shop staff --strict`.
    #[arg(long, conflicts_with = "no_simulate")]
    pub strict: bool,
    /// Write the scenario with the roster as `shifts:` to this file (comments kept; atomically).
    #[arg(long, value_name = "OUT")]
    pub write: Option<PathBuf>,
    #[command(flatten)]
    pub sim: SimArgs,
    #[arg(long, value_enum)]
    pub format: Option<ScheduleFormat>,
    /// Write the report to this file (atomically).
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}

/// Reads the first argument before clap does: `shop FILE ...` means `shop run FILE ...`.
/// `Err` holds what to print on stderr (exit 2): the short usage for `shop` alone, or
/// "unknown command" with a suggestion for a mistyped verb (`shop comapre A B`) that is
/// not an existing file either. The verbs come from clap's own definition, so a verb
/// added to [`Command`] is known here without another list to keep up to date.
pub fn normalize_args(mut args: Vec<String>) -> Result<Vec<String>, String> {
    let Some(first) = args.get(1) else {
        return Err(short_usage());
    };
    if first.starts_with('-') {
        return Ok(args);
    }
    let mut cmd = Cli::command();
    cmd.build(); // adds the `help` verb
    let verbs: Vec<&str> =
        cmd.get_subcommands().flat_map(|s| std::iter::once(s.get_name()).chain(s.get_all_aliases())).collect();
    if verbs.contains(&first.as_str()) {
        return Ok(args);
    }
    if let Some(verb) = mistyped_verb(first, &verbs) {
        return Err(format!("error: unknown command '{first}'\n  help: did you mean '{verb}'?\n"));
    }
    args.insert(1, "run".to_string());
    Ok(args)
}

/// The verb `word` is a typo of, unless it may be a file: it exists, or looks like a path.
fn mistyped_verb<'a>(word: &str, verbs: &[&'a str]) -> Option<&'a str> {
    if word.contains(['.', '/', '\\']) || std::path::Path::new(word).exists() {
        return None;
    }
    let word = word.to_lowercase();
    verbs
        .iter()
        .map(|v| (strsim::damerau_levenshtein(&word, v), *v))
        .filter(|(d, v)| *d <= (v.len() / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, v)| v)
}

/// What `shop` alone prints: the most used verbs with their arguments and summary.
pub fn short_usage() -> String {
    let cmd = Cli::command();
    let rows: Vec<(String, String)> = COMMON_VERBS
        .iter()
        .filter_map(|v| cmd.find_subcommand(v))
        .map(|verb| {
            let mut synopsis = format!("shop {}", verb.get_name());
            for arg in verb.get_positionals() {
                let name = arg.get_id().as_str().to_uppercase();
                synopsis.push_str(&if arg.is_required_set() { format!(" {name}") } else { format!(" [{name}]") });
            }
            let about = verb.get_about().map(|a| a.to_string()).unwrap_or_default();
            (synopsis, about)
        })
        .collect();
    let width = rows.iter().map(|(s, _)| s.len()).max().unwrap_or(0);
    let mut text = format!(
        "Usage: shop <COMMAND> [ARGS]\n\n{}\n\nMost used:\n",
        cmd.get_about().map(|a| a.to_string()).unwrap_or_default()
    );
    for (synopsis, about) in rows {
        text.push_str(&format!("  {synopsis:width$}  {about}\n"));
    }
    text.push_str("\n`shop FILE` is short for `shop run FILE`.\n`shop --help` lists every command; `shop help COMMAND` explains one.\n");
    text
}

#[cfg(test)]
mod replications_tests {
    use super::{Replications, parse_replications};

    #[test]
    fn a_count_or_a_range() {
        assert_eq!(parse_replications("100"), Ok(Replications::Count(100)));
        assert_eq!(parse_replications("0..100"), Ok(Replications::Range(0, 100)));
        assert_eq!(parse_replications("250..251"), Ok(Replications::Range(250, 251)));
        for bad in ["0", "100001", "5..5", "7..3", "a..3", "..3", "1..", "-1..3", "0..200000"] {
            assert!(parse_replications(bad).is_err(), "{bad}");
        }
    }
}
