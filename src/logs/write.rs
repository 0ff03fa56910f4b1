//! `shop run --log calls.csv`: one CSV row per simulated call, what an analyst
//! loads into a dataframe (and what `shop fit --schema shop` reads back).
//!
//! Streamed: each replication writes its rows to its own part file as its calls
//! end, the parts are concatenated in replication order into a temporary file
//! beside the log, renamed into place. Memory holds only the calls in progress;
//! the bytes do not depend on the number of threads.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use crate::scenario::{CallerTypeId, Scenario};
use crate::sim::{CallTag, Observer, Step, engine};
use crate::stats::collect::{RepStats, Runs};
use crate::time::{SimDuration, SimTime};

/// One simulated call, as written. Times are seconds from the start of the
/// simulated day (time 0); empty when the call never got there.
#[derive(Debug, Serialize)]
pub struct CallRow<'a> {
    /// Which simulated day (0-based).
    pub replication: u32,
    /// The caller type.
    pub caller: &'a str,
    pub reason: &'a str,
    /// The caller type's channel: voice, chat or email.
    pub channel: &'a str,
    /// When the call was dialed (s).
    pub dial: f64,
    /// When it first joined a queue (s).
    pub entered_queue: Option<f64>,
    /// The first queue it reached (or was turned away from, when `blocked`).
    pub queue: Option<&'a str>,
    /// When a human first answered (s).
    pub answered: Option<f64>,
    /// When the call ended for the caller (s).
    pub ended: f64,
    /// `resolved`, `abandoned_menu`, `abandoned_queue`, `blocked` or `unresolved`.
    pub outcome: &'a str,
    /// The pool of the first agent who answered.
    pub pool: Option<&'a str>,
    /// That agent: `POOL-N`, stable through the day.
    pub agent: Option<&'a str>,
    /// The `call_id` of the call this one redials.
    pub redial_of: Option<&'a str>,
    /// `r{replication}-{caller}-{journey}-{call}`: unique in the file.
    pub call_id: &'a str,
    /// `r{replication}-{caller}-{journey}`: the same for a caller's redials.
    pub customer: &'a str,
    pub priority: i32,
    /// Time spent hearing menu prompts (s).
    pub menu_time: f64,
    /// Total time on hold over all queue legs (s), when it reached a queue.
    pub hold: Option<f64>,
    /// The first conversation's talk time (s), when answered.
    pub talk: Option<f64>,
    pub transfers: u32,
    /// The work of that conversation (s): the talk time, but for a chat the
    /// time it would have taken alone (the agent's other chats stretch its
    /// talk by `concurrency_slowdown`). What `shop replay` gives an agent.
    pub work: Option<f64>,
    /// The estimated wait (s) the caller heard at their first queue
    /// (announced, or with a callback offer they declined): a caller who
    /// stayed was at least that patient, one who left on hearing it less.
    pub told_wait: Option<f64>,
}

/// A call in progress, from its steps so far.
#[derive(Default)]
struct Open {
    dial: SimTime,
    menu: SimDuration,
    entered_queue: Option<SimTime>,
    queue: Option<u16>,
    answered: Option<SimTime>,
    first_agent: Option<(u16, u32)>,
    talk: Option<SimDuration>,
    work: Option<SimDuration>,
    told: Option<SimDuration>,
    transfers: u32,
}

/// The observer of one replication: writes a row as each call ends.
pub struct CallLogger<'a, W: Write> {
    sc: &'a Scenario,
    out: csv::Writer<W>,
    open: HashMap<(CallerTypeId, u32), Open>,
    /// The first write error; the rest of the replication is then skipped.
    pub error: Option<csv::Error>,
}

impl<'a, W: Write> CallLogger<'a, W> {
    pub fn new(sc: &'a Scenario, out: W) -> Self {
        let out = csv::WriterBuilder::new().has_headers(false).from_writer(out);
        CallLogger { sc, out, open: HashMap::new(), error: None }
    }

    /// Flushes and hands back the writer, or the first error.
    pub fn finish(mut self) -> Result<W, String> {
        if let Some(e) = self.error {
            return Err(e.to_string());
        }
        self.out.flush().map_err(|e| e.to_string())?;
        self.out.into_inner().map_err(|e| e.error().to_string())
    }

    fn ended(&mut self, now: SimTime, call: CallTag, outcome: &str, hold: Option<SimDuration>) {
        let o = self.open.remove(&(call.caller, call.journey)).unwrap_or_default();
        let sc = self.sc;
        let ct = &sc.callers[call.caller.index()];
        let customer = format!("r{}-{}-{}", call.replication, ct.name, call.journey);
        let call_id = format!("{customer}-{}", call.call_no);
        let redial_of = (call.call_no > 0).then(|| format!("{customer}-{}", call.call_no - 1));
        let agent = o.first_agent.map(|(p, a)| format!("{}-{a}", sc.pools[p as usize].name));
        let secs = |t: SimTime| t.as_secs_f64();
        let row = CallRow {
            replication: call.replication,
            caller: &ct.name,
            reason: &sc.reasons[call.reason.index()],
            channel: ct.channel.as_str(),
            dial: secs(o.dial),
            entered_queue: o.entered_queue.map(secs),
            queue: o.queue.map(|q| sc.queues[q as usize].name.as_str()),
            answered: o.answered.map(secs),
            ended: secs(now),
            outcome,
            pool: o.first_agent.map(|(p, _)| sc.pools[p as usize].name.as_str()),
            agent: agent.as_deref(),
            redial_of: redial_of.as_deref(),
            call_id: &call_id,
            customer: &customer,
            priority: ct.priority,
            menu_time: o.menu.as_secs_f64(),
            hold: hold.map(SimDuration::as_secs_f64),
            talk: o.talk.map(SimDuration::as_secs_f64),
            transfers: o.transfers,
            work: o.work.map(SimDuration::as_secs_f64),
            told_wait: o.told.map(SimDuration::as_secs_f64),
        };
        if let Err(e) = self.out.serialize(&row) {
            self.error = Some(e);
        }
    }
}

impl<W: Write> Observer for CallLogger<'_, W> {
    const ENABLED: bool = true;

    fn step(&mut self, now: SimTime, call: CallTag, step: Step) {
        if self.error.is_some() {
            return;
        }
        let key = (call.caller, call.journey);
        match step {
            Step::Dialed => {
                self.open.insert(key, Open { dial: now, ..Open::default() });
            }
            Step::Ended { outcome, hold, reached_queue } => {
                self.ended(now, call, outcome.as_str(), reached_queue.then_some(hold));
            }
            _ => {
                let Some(o) = self.open.get_mut(&key) else { return };
                match step {
                    Step::Heard { listen, .. } => o.menu += listen,
                    Step::Queued { queue, .. } if o.entered_queue.is_none() => {
                        o.entered_queue = Some(now);
                        o.queue = Some(queue.0);
                    }
                    Step::BusySignal { queue } => {
                        o.queue.get_or_insert(queue.0);
                    }
                    Step::Answered { pool, agent, .. } if o.answered.is_none() => {
                        o.answered = Some(now);
                        o.first_agent = Some((pool.0, agent));
                    }
                    Step::Talked { talk, work, .. } => {
                        o.talk.get_or_insert(talk);
                        o.work.get_or_insert(work);
                    }
                    Step::Transferred { .. } => o.transfers += 1,
                    // Told a wait (stayed or left on hearing it), before any
                    // answer (a caller told on a later leg had held already).
                    Step::EwtAnnounced { ewt, .. } | Step::CallbackOffered { ewt, accepted: false, .. }
                        if o.answered.is_none() && o.told.is_none() && ewt < SimDuration::INFINITE =>
                    {
                        o.told = Some(ewt);
                    }
                    _ => {}
                }
            }
        }
    }
}

/// The header row, from the record's field names.
fn header() -> Result<Vec<u8>, String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "replication",
        "caller",
        "reason",
        "channel",
        "dial",
        "entered_queue",
        "queue",
        "answered",
        "ended",
        "outcome",
        "pool",
        "agent",
        "redial_of",
        "call_id",
        "customer",
        "priority",
        "menu_time",
        "hold",
        "talk",
        "transfers",
        "work",
        "told_wait",
    ])
    .map_err(|e| e.to_string())?;
    w.into_inner().map_err(|e| e.error().to_string())
}

/// Checks `--log` before anything is simulated: a file name in an existing
/// folder, and not the scenario being run.
pub fn check_log_path(log: &Path, scenario: &Path) -> Result<(), String> {
    let same = match (std::fs::canonicalize(log), std::fs::canonicalize(scenario)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if same {
        return Err(format!(
            "error: --log {}: this is the scenario being run; it would be overwritten\n  help: give the log another name, e.g. --log calls.csv",
            log.display()
        ));
    }
    if log.is_dir() {
        return Err(format!("error: --log {}: this is a directory; give a file name", log.display()));
    }
    let dir = folder_of(log);
    if !dir.is_dir() {
        return Err(format!(
            "error: --log {}: the folder {} does not exist; create it first",
            log.display(),
            dir.display()
        ));
    }
    Ok(())
}

fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Runs every replication (in parallel, `threads` as in `--threads`), each
/// writing its calls to a part file, then joins the parts in replication
/// order into `log`, atomically. Returns the statistics, the same as a run
/// without a log. `tick` is called after each replication (progress).
pub fn run_logged(sc: &Scenario, threads: Option<usize>, log: &Path, tick: &(dyn Fn() + Sync)) -> Result<Runs, String> {
    let fail = |e: std::io::Error| format!("error: --log {}: cannot write it: {e}", log.display());
    let dir = folder_of(log);
    let parts = tempfile::Builder::new().prefix(".shop-log-").tempdir_in(&dir).map_err(fail)?;
    // A Ctrl-C while the days run removes the parts (the folder is dropped otherwise).
    crate::interrupt::scratch(Some(parts.path().to_path_buf()));
    let part_path = |rep: u32| parts.path().join(format!("{rep}.csv"));

    type Partial = (RepStats, Vec<(u32, RepStats)>);
    let one = |rep: u32| -> Result<Partial, String> {
        let file = File::create(part_path(rep)).map_err(fail)?;
        let mut logger = CallLogger::new(sc, BufWriter::with_capacity(1 << 16, file));
        let stats = engine::simulate(sc, rep, &mut logger);
        let w = logger.finish().map_err(|e| format!("error: --log {}: cannot write it: {e}", log.display()))?;
        w.into_inner().map_err(|e| fail(e.into_error()))?;
        tick();
        let frozen = stats.frozen();
        Ok((stats, vec![(rep, frozen)]))
    };
    // Pooled as they complete (integer addition: the order does not matter),
    // so memory stays flat however many replications run.
    let work = || -> Option<Result<Partial, String>> {
        (0..sc.replications).into_par_iter().map(one).try_reduce_with(|(mut pooled, mut reps), (other, more)| {
            pooled.merge(&other);
            reps.extend(more);
            Ok((pooled, reps))
        })
    };
    let done = match threads {
        None => work(),
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build()
            .map_err(|e| format!("cannot start {n} threads: {e}"))?
            .install(work),
    };
    let Some(done) = done else {
        return Err("no replications to run".into());
    };
    let (pooled, mut reps) = done?;
    reps.sort_by_key(|r| r.0);
    let per_rep = reps.into_iter().map(|r| r.1).collect();

    crate::interrupt::while_writing(|| -> Result<(), String> {
        let mut out = tempfile::Builder::new().prefix(".shop-").suffix(".tmp").tempfile_in(&dir).map_err(fail)?;
        {
            let mut w = BufWriter::with_capacity(1 << 16, out.as_file_mut());
            w.write_all(&header()?).map_err(fail)?;
            for rep in 0..sc.replications {
                let mut part = File::open(part_path(rep)).map_err(fail)?;
                std::io::copy(&mut part, &mut w).map_err(fail)?;
                drop(part);
                let _ = std::fs::remove_file(part_path(rep));
            }
            w.flush().map_err(fail)?;
        }
        out.as_file().sync_all().map_err(fail)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let perms = std::fs::metadata(log).map_or(std::fs::Permissions::from_mode(0o644), |m| m.permissions());
            let _ = out.as_file().set_permissions(perms);
        }
        out.persist(log).map_err(|e| fail(e.error))?;
        Ok(())
    })?;
    crate::interrupt::scratch(None);
    Ok(Runs { pooled, per_rep })
}

/// `shop run --log`: checks the volume and the log's path, then runs with
/// [`run_logged`] (a progress bar on a terminal for long runs).
pub fn simulate_logged(
    sc: &Scenario,
    args: &crate::pipeline::SimOptions,
    label: &str,
    log: &Path,
    scenario: &Path,
) -> Result<Runs, crate::pipeline::Failure> {
    crate::pipeline::check_volume(sc, args.max_calls, label)?;
    check_log_path(log, scenario)?;
    let expected = sc.expected_calls() * f64::from(sc.replications);
    let bar = if crate::pipeline::stderr_is_terminal() && expected > 2.0e6 {
        let bar = indicatif::ProgressBar::new(u64::from(sc.replications));
        bar.set_prefix(label.to_string());
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let tick = || bar.inc(1);
    let runs = run_logged(sc, args.threads.map(|t| t as usize), log, &tick)?;
    bar.finish_and_clear();
    Ok(runs)
}
