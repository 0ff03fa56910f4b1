//! Reads a staffing target, `[SCOPE:] FIGURE OP BOUND`, against the
//! scenario's names: the scope (a caller type, a pool, `queue NAME`, `all`),
//! then the figure — one the formulas know (`plan::target`), or a channel time
//! (`response_time.p95`, `time_to_callback.mean`), which must exist in the design.
//! Every error says what is wrong; the command adds the accepted forms.

use super::targets::{Figure, Scope, StaffTarget};
use crate::plan::target::{Goal, METRICS, Target, parse_share};
use crate::scenario::error::did_you_mean;
use crate::scenario::units::parse_duration;
use crate::scenario::{CallerTypeId, Channel, PoolId, QueueId, Scenario};
use crate::stats::metric::{Metric, Rate, Span, Stat};

/// The channel times a target may bound, by name.
const CHANNEL_SPANS: [(&str, Span); 2] =
    [("response_time", Span::ResponseTime), ("time_to_callback", Span::TimeToCallback)];

/// The statistics a time target may bound (not `max`: one call decides it).
const STATS: [(&str, Stat); 5] =
    [("mean", Stat::Mean), ("p50", Stat::P50), ("p90", Stat::P90), ("p95", Stat::P95), ("p99", Stat::P99)];

impl StaffTarget {
    /// Parses `[SCOPE:] FIGURE OP BOUND` against the scenario's names;
    /// `service_level` without `(T)` is measured at `default_within` seconds.
    pub fn parse(text: &str, sc: &Scenario, default_within: f64) -> Result<StaffTarget, String> {
        let norm = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let (scope_text, rest) = match norm.split_once(':') {
            Some((s, r)) => (Some(s.trim()), r.trim()),
            None => (None, norm.as_str()),
        };
        let (figure, figure_text) = parse_figure(rest, default_within)?;
        let scope = match scope_text {
            None | Some("all") => Scope::All,
            Some(s) => parse_scope(s, rest, &figure, sc).map_err(|e| format!("`{norm}`: {e}"))?,
        };
        if let Figure::Channel { metric, .. } = &figure {
            in_design(*metric, &scope, sc).map_err(|e| format!("`{norm}`: {e}"))?;
        }
        let text = match scope_text {
            Some(s) => format!("{s}: {figure_text}"),
            None => figure_text,
        };
        Ok(StaffTarget { text, scope, figure })
    }
}

/// The figure and its bound, and its text (whitespace normalised).
fn parse_figure(text: &str, default_within: f64) -> Result<(Figure, String), String> {
    let Some(at) = text.find(">=").or_else(|| text.find("<=")) else {
        return Target::parse(text, default_within).map(|t| (Figure::Line(t.clone()), t.text));
    };
    let left = text[..at].trim();
    let name = left.split('(').next().unwrap_or(left).trim();
    if name == "within_target" {
        return parse_within_target(text).map(|f| (f, text.to_string()));
    }
    if let Some((span, stat)) = name.split_once('.') {
        if let Some((_, span)) = CHANNEL_SPANS.iter().find(|(n, _)| *n == span) {
            return parse_channel(text, *span, stat).map(|f| (f, text.to_string()));
        }
    }
    if !METRICS.contains(&name) {
        let known = figure_names();
        let hint = did_you_mean(name, known.iter().map(String::as_str))
            .map(|s| format!("; did you mean `{s}`?"))
            .unwrap_or_default();
        return Err(format!("`{text}`: unknown figure `{name}`{hint}"));
    }
    Target::parse(text, default_within).map(|t| (Figure::Line(t.clone()), t.text))
}

/// Every figure name a target may use.
fn figure_names() -> Vec<String> {
    let channel = CHANNEL_SPANS.iter().flat_map(|(span, _)| STATS.iter().map(move |(st, _)| format!("{span}.{st}")));
    METRICS.iter().map(|m| m.to_string()).chain(channel).chain(["within_target".to_string()]).collect()
}

/// `response_time.p95 <= 4h`: a channel time's statistic at most a positive duration.
fn parse_channel(text: &str, span: Span, stat: &str) -> Result<Figure, String> {
    let metric_of = |st: Stat| Metric::Duration(span, st);
    let Some((_, stat)) = STATS.iter().find(|(n, _)| *n == stat) else {
        let name = metric_of(Stat::Mean).name();
        let base = name.trim_end_matches(".mean");
        return Err(format!("`{text}`: {base} takes .mean, .p50, .p90, .p95 or .p99"));
    };
    let metric = metric_of(*stat);
    let (left, right) = match (text.find("<="), text.find(">=")) {
        (Some(i), None) => (&text[..i], text[i + 2..].trim()),
        (None, Some(_)) => {
            return Err(format!("`{text}`: for {metric} lower is better, so a target reads `{metric} <= ...`"));
        }
        _ => return Err(format!("`{text}` needs exactly one `>=` or `<=` between the figure and the bound")),
    };
    if left.contains('(') {
        return Err(format!("`{text}`: only service_level takes a threshold in parentheses"));
    }
    let at_most = parse_duration(right).map_err(|e| format!("`{text}`: {e}"))?;
    if at_most <= 0.0 {
        return Err(format!("`{text}`: no finite staffing makes {metric} 0; give a positive bound"));
    }
    Ok(Figure::Channel { metric, bound: at_most })
}

/// `within_target >= 90%`: the share of emails started within their
/// caller type's `response_target`, at least a share.
fn parse_within_target(text: &str) -> Result<Figure, String> {
    let metric = Metric::Rate(Rate::WithinTarget);
    let right = match (text.find(">="), text.find("<=")) {
        (Some(i), None) => text[i + 2..].trim(),
        (None, Some(_)) => {
            return Err(format!("`{text}`: for {metric} higher is better, so a target reads `{metric} >= ...`"));
        }
        _ => return Err(format!("`{text}` needs exactly one `>=` or `<=` between the figure and the bound")),
    };
    let at_least = parse_share(right).map_err(|e| format!("`{text}`: {e}"))?;
    if at_least >= 1.0 {
        return Err(format!("`{text}`: no finite staffing starts every email within its target; give less than 100%"));
    }
    Ok(Figure::Channel { metric, bound: at_least })
}

/// The scope before `:` (not `all`); `rest`: the target after it, for hints.
fn parse_scope(s: &str, rest: &str, figure: &Figure, sc: &Scenario) -> Result<Scope, String> {
    let queues = || names(sc.queues.iter().map(|q| q.name.as_str()));
    let callers = || names(sc.callers.iter().map(|c| c.name.as_str()));
    let pools = || names(sc.pools.iter().map(|p| p.name.as_str()));
    let is_occupancy = matches!(figure, Figure::Line(t) if matches!(t.goal, Goal::Occupancy(_)));
    // `queue NAME`; `queue` alone too, unless a caller type or pool has that name.
    let named = sc.callers.iter().any(|c| c.name == s) || sc.pools.iter().any(|p| p.name == s);
    let queue_name = s.strip_prefix("queue").filter(|n| (n.is_empty() && !named) || n.starts_with(' '));
    if let Some(name) = queue_name.map(str::trim) {
        if name.is_empty() {
            return Err(format!("`queue` needs a name: `queue NAME:` (queues: {})", queues()));
        }
        let Some(q) = sc.queues.iter().position(|q| q.name == name) else {
            let hint = did_you_mean(name, sc.queues.iter().map(|q| q.name.as_str()))
                .map(|x| format!("; did you mean `{x}`?"))
                .unwrap_or_default();
            return Err(format!("no queue is called `{name}`{hint} (queues: {})", queues()));
        };
        return match figure {
            _ if is_occupancy => {
                Err(format!("occupancy is a pool's figure; scope it with a pool ({}) or not at all", pools()))
            }
            Figure::Channel { metric, .. } => Err(format!(
                "a queue scope bounds the calls offered to the queue (wait.*, service_level, abandon_rate); {metric} \
                 is a caller type's figure: scope it with a caller type ({}) or not at all",
                callers()
            )),
            Figure::Line(_) => Ok(Scope::Queue(QueueId(q as u16))),
        };
    }
    let caller = sc.callers.iter().position(|c| c.name == s);
    let pool = sc.pools.iter().position(|p| p.name == s);
    match (caller, pool, is_occupancy) {
        (_, Some(p), true) => Ok(Scope::Pool(PoolId(p as u16))),
        (Some(_), None, true) => {
            Err(format!("occupancy is a pool's figure; scope it with a pool ({}) or not at all", pools()))
        }
        (Some(c), _, false) => Ok(Scope::Caller(CallerTypeId(c as u16))),
        (None, Some(_), false) => Err(format!(
            "`{s}` is a pool; a pool scope only bounds occupancy. Scope caller figures with a caller type ({}) \
             or a queue (`queue NAME:`)",
            callers()
        )),
        (None, None, _) if sc.queues.iter().any(|q| q.name == s) => {
            Err(format!("`{s}` is a queue: write `queue {s}: {rest}`"))
        }
        (None, None, _) => {
            let all = sc.callers.iter().map(|c| c.name.as_str()).chain(sc.pools.iter().map(|p| p.name.as_str()));
            let hint = did_you_mean(s, all).map(|x| format!("; did you mean `{x}`?")).unwrap_or_default();
            Err(format!(
                "no caller type or pool is called `{s}`{hint} (caller types: {}; pools: {}; a queue is \
                 scoped `queue NAME:`)",
                callers(),
                pools()
            ))
        }
    }
}

/// A channel time must exist in the design: email callers for a response
/// time, a queue offering callbacks (and a voice caller) for time to callback.
fn in_design(metric: Metric, scope: &Scope, sc: &Scenario) -> Result<(), String> {
    let span = match metric {
        Metric::Duration(span, _) => span,
        // An email's figure, as its response time is.
        Metric::Rate(Rate::WithinTarget) => Span::ResponseTime,
        _ => return Ok(()),
    };
    let of = |ch: Channel| names(sc.callers.iter().filter(|c| c.channel == ch).map(|c| c.name.as_str()));
    match span {
        Span::ResponseTime => {
            if !sc.callers.iter().any(|c| c.channel == Channel::Email) {
                return Err(format!("{metric} is an email's figure and no caller type has `channel: email`"));
            }
            if let Scope::Caller(c) = scope {
                let ct = &sc.callers[c.index()];
                if ct.channel != Channel::Email {
                    return Err(format!(
                        "{metric} is an email's figure and `{}` is a {} caller type (email: {})",
                        ct.name,
                        ct.channel.as_str(),
                        of(Channel::Email)
                    ));
                }
            }
        }
        Span::TimeToCallback => {
            if !sc.queues.iter().any(|q| q.callback.is_some()) {
                return Err(format!("no queue offers callbacks (queue key `callback:`), so there is no {metric}"));
            }
            if let Scope::Caller(c) = scope {
                let ct = &sc.callers[c.index()];
                if ct.channel != Channel::Voice {
                    return Err(format!(
                        "callbacks are offered to voice callers only and `{}` is a {} caller type (voice: {})",
                        ct.name,
                        ct.channel.as_str(),
                        of(Channel::Voice)
                    ));
                }
            }
        }
        _ => {}
    }
    Ok(())
}

fn names<'a>(it: impl Iterator<Item = &'a str>) -> String {
    it.map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const DESIGN: &str = "name: t\nhorizon: 2h\nstart: tech\ncallers:\n  phone: { arrivals: 60/h }\n  \
        writer: { channel: email, arrivals: 5/h, entry: inbox }\nqueues:\n  \
        tech: { pools: [team], callback: { offer_when_ewt_over: 1m, accept: 0.5 } }\n  inbox: { pools: [team] }\n\
        pools:\n  team: { agents: 3, handle: exp(4m) }\n";

    fn parse(text: &str) -> Result<StaffTarget, String> {
        let sc = crate::scenario::load_str("t.yaml", DESIGN).map_err(|e| format!("{e:?}"))?.scenario;
        StaffTarget::parse(text, &sc, 30.0)
    }

    #[test]
    fn scopes_name_a_queue_a_caller_type_or_a_pool() {
        let t = parse("queue  tech : service_level >= 80%").unwrap();
        assert_eq!((t.scope, t.text.as_str()), (Scope::Queue(QueueId(0)), "queue tech: service_level >= 80%"));
        assert_eq!(parse("writer: wait.p95 <= 1h").unwrap().scope, Scope::Caller(CallerTypeId(1)));
        assert_eq!(parse("team: occupancy <= 85%").unwrap().scope, Scope::Pool(PoolId(0)));
        let t = parse("writer: response_time.p95 <= 4h").unwrap();
        let want = Figure::Channel { metric: Metric::Duration(Span::ResponseTime, Stat::P95), bound: 14_400.0 };
        assert_eq!(t.figure, want);
        assert!(matches!(parse("time_to_callback.mean <= 30m").unwrap().figure, Figure::Channel { .. }));
    }

    #[test]
    fn bad_scopes_and_figures_say_what_to_write() {
        let e = |s: &str| parse(s).unwrap_err();
        assert!(e("queue tehc: wait.p95 <= 2m").contains("did you mean `tech`"), "{}", e("queue tehc: wait.p95 <= 2m"));
        assert!(e("queue: wait.p95 <= 2m").contains("`queue` needs a name"));
        assert!(e("tech: wait.p95 <= 2m").contains("write `queue tech: wait.p95 <= 2m`"));
        assert!(e("queue tech: occupancy <= 80%").contains("occupancy is a pool's figure"));
        assert!(e("queue tech: response_time.p95 <= 4h").contains("caller type's figure"));
        assert!(e("phone: response_time.p95 <= 4h").contains("`phone` is a voice caller type"));
        assert!(e("writer: time_to_callback.p95 <= 4h").contains("voice callers only"));
        assert!(e("response_time.max <= 4h").contains(".mean, .p50"));
        assert!(e("response_time.p95 >= 4h").contains("lower is better"));
        assert!(e("response_time.p95 <= 0s").contains("positive bound"));
        assert!(e("respnse_time.p95 <= 4h").contains("did you mean `response_time.p95`"));
    }
}
