//! The round trip through the binary: `shop run --log` of a design we know,
//! `fit` (then `backtest`) gives the center back; `fit --calibrate` closes
//! what is left, judged on days it never saw (`--holdout`, `backtest --last`).

use std::collections::BTreeMap;
use std::path::Path;

use crate::cmd::{shop, stderr, stdout};
use crate::logs::write;
use serde_json::Value;

fn s(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

fn ok(o: &std::process::Output) -> &std::process::Output {
    assert!(o.status.success(), "{}{}", stdout(o), stderr(o));
    o
}

fn json(o: &std::process::Output) -> Value {
    serde_json::from_slice(&ok(o).stdout).unwrap_or(Value::Null)
}

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

/// A busy center (abandon 15–17%): agents on the phones three quarters of
/// their time on duty, five chained days a replication, two replications
/// (ten days, ~3,600 calls each).
const BUSY: &str = "name: busy center\nseed: 11\nreplications: 2\ndays: 5\nhorizon: 8h\nstart: q\n\
    callers:\n  c: { arrivals: [{ from: 0h, rate: 330/h }, { from: 3h, rate: 560/h }, { from: 6h, rate: 300/h }], patience: exp(2m) }\n\
    queues:\n  q: { pools: [team] }\n\
    pools:\n  team: { agents: [{ from: 0h, agents: 20 }, { from: 3h, agents: 33 }, { from: 6h, agents: 18 }], handle: exp(3m), availability: 0.75 }\n";

/// Whole-day (abandon rate, mean wait) of the log and the simulation.
fn whole_day(b: &Value) -> ((f64, f64), (f64, f64)) {
    let (a, s_) = (&b["overall"]["actual"], &b["overall"]["simulated"]);
    ((num(&a["abandon_rate"]), num(&a["wait"]["mean"])), (num(&s_["abandon_rate"]), num(&s_["wait"]["mean"])))
}

/// Each day's abandon rate and mean wait in a `shop` log (days of a chain apart).
fn daily(log: &Path) -> Vec<(f64, f64)> {
    let mut r = csv::Reader::from_path(log).unwrap();
    let h = r.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    let (rep, dial, outcome, hold) = (col("replication"), col("dial"), col("outcome"), col("hold"));
    let mut days: BTreeMap<i64, (f64, f64, f64)> = BTreeMap::new();
    for rec in r.records() {
        let rec = rec.unwrap();
        let day = rec[rep].parse::<i64>().unwrap() * 366 + (rec[dial].parse::<f64>().unwrap() / 86_400.0) as i64;
        let e = days.entry(day).or_default();
        if let Ok(h) = rec[hold].parse::<f64>() {
            e.0 += 1.0;
            e.2 += h;
            if &rec[outcome] == "abandoned_queue" {
                e.1 += 1.0;
            }
        }
    }
    days.values().map(|(n, ab, w)| (ab / n, w / n)).collect()
}

fn sd(xs: &[f64]) -> f64 {
    let m = xs.iter().sum::<f64>() / xs.len() as f64;
    (xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (xs.len() - 1) as f64).sqrt()
}

/// `fit --calibrate --holdout 2d` from the distinct agents seen serving (far
/// too many on the phones): the fit answers far faster than the log, and
/// calibration brings the fitted days back within 1.5 points and 10%, with
/// more intervals within the noise than before. Returns the written scenario
/// and the held-out days' simulated (abandon rate, mean wait).
fn calibrated_from_distinct(dir: &Path, log: &Path) -> (String, (f64, f64)) {
    let far = dir.join("from_distinct.yaml");
    let v = json(&shop(&[
        "fit",
        s(log),
        "--format",
        "json",
        "--out",
        s(&far),
        "--calibrate",
        "--holdout",
        "2d",
        "--agents",
        "distinct",
    ]));
    let c = &v["fits"][0]["calibration"];
    let (log_ab, fit_ab, cal_ab) = (num(&c["abandon_rate"][0]), num(&c["abandon_rate"][1]), num(&c["abandon_rate"][2]));
    let (log_wait, cal_wait) = (num(&c["wait_mean"][0]), num(&c["wait_mean"][2]));
    assert!(log_ab - fit_ab > 0.05, "the distinct agents answer far faster than the log: {c}");
    assert!((cal_ab - log_ab).abs() <= 0.015, "calibrated abandon {cal_ab:.3}, log {log_ab:.3}");
    assert!((cal_wait / log_wait - 1.0).abs() <= 0.10, "calibrated mean wait {cal_wait:.1}s, log {log_wait:.1}s");
    assert!(num(&c["within_after"]) > num(&c["within_before"]), "{c}");
    let text = std::fs::read_to_string(&far).unwrap();
    let (_, held) = whole_day(&json(&shop(&["backtest", s(log), s(&far), "--last", "2d", "--format", "json"])));
    (text, held)
}

#[test]
fn a_busy_center_of_agents_on_the_phones_part_time_over_chained_days_is_fitted_then_calibrated() {
    let dir = tempfile::tempdir().unwrap();
    let design = write(dir.path(), "busy.yaml", BUSY);
    let log = dir.path().join("calls.csv");
    ok(&shop(&["run", s(&design), "--log", s(&log), "--format", "json"]));

    // fit, no calibration: the agents on the phones are agents × 0.75 within
    // 10% in every interval (measured, seeds 1–6 and 11: 14.6–16.4 for 15, the
    // day's first interval highest as every agent starts the day on the
    // phones; 24.2–25.2 for 24.75; 13.1–13.8 for 13.5); the whole day within 3
    // points and 20% (measured, seeds 1–6: −0.15 −0.2%, −0.27 −1.6%, +0.31
    // +1.9%, −0.26 −1.5%, −0.15 +0.3%, −0.41 −2.4%; with a straight line across
    // the gaps between holds +0.29 +2.3%, +0.03 +0.4%, +0.69 +4.3%, +0.08 +0.5%,
    // +0.21 +2.5%, −0.04 +0.1%;
    // with the agents read only while a caller held, +1.0 to +1.5 points and
    // +6.3% to +10.0%).
    let fitted = dir.path().join("fitted.yaml");
    let v = json(&shop(&["fit", s(&log), "--format", "json", "--out", s(&fitted)]));
    let agents: Vec<f64> = v["fits"][0]["agents"].as_array().unwrap().iter().map(|a| num(&a["agents"])).collect();
    assert_eq!(agents.len(), 16);
    for (k, a) in agents.iter().enumerate() {
        let on_phones = 0.75 * [20.0, 33.0, 18.0][k / 6];
        assert!(
            (a - on_phones).abs() <= 0.10 * on_phones,
            "interval {k}: {a} agents fitted, {on_phones} on the phones"
        );
    }
    let ((log_ab, log_wait), (sim_ab, sim_wait)) =
        whole_day(&json(&shop(&["backtest", s(&log), s(&fitted), "--format", "json"])));
    assert!((0.15..=0.20).contains(&log_ab), "a busy center: the log abandons {log_ab:.3}");
    assert!((sim_ab - log_ab).abs() <= 0.03, "abandon: log {log_ab:.3}, fitted {sim_ab:.3}");
    assert!((sim_wait / log_wait - 1.0).abs() <= 0.20, "mean wait: log {log_wait:.1}s, fitted {sim_wait:.1}s");

    // fit --calibrate --holdout 2d: on the days it fitted, within 1.5 points
    // and 10%. The fit already matches the log within its noise (the spread of
    // its days, not binomial noise alone), so calibration moves nothing that
    // is not beyond that noise.
    let cal = dir.path().join("calibrated.yaml");
    let v = json(&shop(&["fit", s(&log), "--format", "json", "--out", s(&cal), "--calibrate", "--holdout", "2d"]));
    let c = &v["fits"][0]["calibration"];
    let (log_ab, cal_ab) = (num(&c["abandon_rate"][0]), num(&c["abandon_rate"][2]));
    let (log_wait, cal_wait) = (num(&c["wait_mean"][0]), num(&c["wait_mean"][2]));
    assert!((cal_ab - log_ab).abs() <= 0.015, "calibrated abandon {cal_ab:.3}, log {log_ab:.3}");
    assert!((cal_wait / log_wait - 1.0).abs() <= 0.10, "calibrated mean wait {cal_wait:.1}s, log {log_wait:.1}s");
    assert!(num(&c["within_after"]) >= num(&c["within_before"]), "{c}");
    let text = std::fs::read_to_string(&cal).unwrap();
    assert!(text.contains("# Calibrated (`shop fit --calibrate`)"), "{text}");

    // Calibration closes a gap beyond the noise: from the distinct agents seen
    // serving (every agent on duty counted on the phones: the log abandons
    // 15–16%, that fit 3–4%), back to the log's whole day, moving every
    // interval, written as comments (measured, seeds 11 and 1–6: the fit 2.7–3.0%
    // where the log abandons 15.2–16.4%; calibrated −0.66 to +0.53 points and
    // −4.8% to +6.0% on the fitted days, 16 of 16 intervals within the noise
    // from 0; held out as the design that wrote the log does there).
    let (text, (far_ab, far_wait)) = calibrated_from_distinct(dir.path(), &log);
    assert!(text.contains("# calibrated "), "{text}");

    // The held-out days, never seen by the fit nor the calibration: within
    // 1.5 points and 10% beyond the log's own noise there (two standard
    // errors of a two-day mean, from the spread of the log's days: a day of
    // this center abandons 15% ± 2 points).
    let ((held_ab, held_wait), (sim_ab, sim_wait)) =
        whole_day(&json(&shop(&["backtest", s(&log), s(&cal), "--last", "2d", "--format", "json"])));
    let days = daily(&log);
    let ab_noise = 2.0 * sd(&days.iter().map(|d| d.0).collect::<Vec<_>>()) / 2f64.sqrt();
    let wait_noise = 2.0 * sd(&days.iter().map(|d| d.1).collect::<Vec<_>>()) / 2f64.sqrt();
    for (how, ab, wait) in [("fitted", sim_ab, sim_wait), ("from the distinct agents", far_ab, far_wait)] {
        assert!(
            (ab - held_ab).abs() <= 0.015 + ab_noise,
            "held out, {how}: abandon {ab:.3} vs {held_ab:.3} (noise {ab_noise:.3})"
        );
        assert!(
            (wait - held_wait).abs() <= 0.10 * held_wait + wait_noise,
            "held out, {how}: mean wait {wait:.1}s vs {held_wait:.1}s (noise {wait_noise:.1}s)"
        );
    }
}

/// Two pools, the second answering the first's queue after a minute on hold
/// (overflow), and a caller type offered callbacks (half take them), all on
/// the phones three quarters of their time, five chained days.
const TWO_POOLS: &str = "name: two pools with overflow and callbacks\nseed: 5\nreplications: 4\ndays: 5\nhorizon: 8h\nstart: sales_q\n\
    callers:\n  sales: { arrivals: [{ from: 0h, rate: 120/h }, { from: 3h, rate: 200/h }, { from: 6h, rate: 100/h }], patience: exp(3m), entry: sales_q }\n\
    \x20 service: { arrivals: 80/h, patience: exp(4m), entry: service_q }\n\
    queues:\n  sales_q: { pools: [sales_team, { pool: service_team, after: 60s }] }\n\
    \x20 service_q: { pools: [service_team], callback: { offer_when_ewt_over: 2m, accept: 0.5 } }\n\
    pools:\n  sales_team: { agents: [{ from: 0h, agents: 9 }, { from: 3h, agents: 14 }, { from: 6h, agents: 8 }], handle: exp(4m), availability: 0.75 }\n\
    \x20 service_team: { agents: 9, handle: exp(5m), availability: 0.75 }\n";

#[test]
fn two_pools_with_overflow_and_callbacks_are_recovered_and_calibration_closes_the_gap() {
    let dir = tempfile::tempdir().unwrap();
    let design = write(dir.path(), "two.yaml", TWO_POOLS);
    let log = dir.path().join("calls.csv");
    ok(&shop(&["run", s(&design), "--log", s(&log), "--format", "json"]));
    let fitted = dir.path().join("fitted.yaml");
    let v = json(&shop(&["fit", s(&log), "--format", "json", "--out", s(&fitted)]));
    let f = &v["fits"][0];
    let pool =
        |name: &str| f["pools"].as_array().unwrap().iter().find(|p| p["name"] == name).cloned().unwrap_or(Value::Null);
    // The overflow: service_team answers sales callers after a minute on hold.
    let (sales_team, service_team) = (pool("sales_team"), pool("service_team"));
    let overflow = service_team["serves"].as_array().unwrap().iter().find(|s| s["caller"] == "sales").cloned().unwrap();
    assert!((num(&overflow["after"]) - 60.0).abs() <= 5.0, "{overflow}");
    let text = std::fs::read_to_string(&fitted).unwrap();
    assert!(text.contains("sales_q: { pools: [sales_team, { pool: service_team, after: 1m"), "{text}");
    // The callbacks: half of those offered take one.
    let accept =
        f["callers"].as_array().unwrap().iter().find(|c| c["name"] == "service").map(|c| num(&c["callback_accept"]));
    assert!(accept.is_some_and(|a| (a - 0.5).abs() <= 0.08), "callback accept {accept:?}");
    // Offered over the threshold, not announced to all: almost every caller who
    // left on hearing the wait heard (rebuilt) an estimate over 2m (measured,
    // seeds 1–6: 0.2–0.7% at or below it).
    let service_fit = f["callers"].as_array().unwrap().iter().find(|c| c["name"] == "service").cloned().unwrap();
    assert!(num(&service_fit["left_below_offer"]) < 0.05 && service_fit["announces_too"].is_null(), "{service_fit}");
    assert!(!text.contains("announce_ewt"), "{text}");
    // Each pool's agents on the phones: agents × 0.75 within 10% in every interval
    // (measured, seeds 1–3, the line bent up through the busy count's rises:
    // sales 6.6–6.95 for 6.75, 10.3–10.7 for 10.5; service 6.6–6.9 for 6.75,
    // availability 0.747–0.751 for 0.75, 0.737 with a straight line; the day's
    // first interval reads high: every agent starts the day on the phones).
    for (p, on_duty) in [(&sales_team, [9.0, 14.0, 8.0]), (&service_team, [9.0, 9.0, 9.0])] {
        for (k, a) in p["agents"].as_array().unwrap().iter().enumerate() {
            let want = 0.75 * on_duty[k / 6];
            assert!((num(&a["agents"]) - want).abs() <= 0.10 * want, "{} interval {k}: {a} for {want}", p["name"]);
        }
    }
    // The callback type's patience (4m): the callers who declined the offer and
    // left at once on hearing the wait count as patience below the wait they
    // were told (rebuilt from the log), those who stayed as above it
    // (measured: 4m 01s; 5m 10s when the leavers were left out).
    let service = f["callers"].as_array().unwrap().iter().find(|c| c["name"] == "service").cloned().unwrap();
    let patience = num(&service["patience"]["exp_mean"]);
    assert!((patience - 240.0).abs() <= 0.10 * 240.0, "service patience {patience:.1}s for 240s");
    assert!(num(&service["patience"]["left_on_hearing"]) > 500.0, "{}", service["patience"]);
    // The pool answering that queue is written on duty, with its share on the
    // phones, so the fitted queue tells the wait the log's did.
    let on_duty = text.split("  service_team:").nth(1).unwrap_or_default();
    assert!(on_duty.contains("availability: 0.7"), "{text}");
    // Its share on the phones, from the agents on the phones over those on duty:
    // 0.75 within 0.01 (measured, seeds 1–6: 0.747–0.751; 0.737 when the count
    // between holds was a straight line between the gap's ends).
    let availability = service_team["availability"].as_f64().unwrap_or(0.0);
    assert!((availability - 0.75).abs() <= 0.01, "service_team availability {availability} for 0.75");
    // Fit then backtest: the whole day's abandon rate and mean wait within 3
    // points and 20%. Measured, seeds 1–6, abandon and mean wait over the log's:
    // +0.68 pt +2.9%, −0.16 +0.4%, +0.15 +3.5%, −0.30 −0.0%, +0.48 +3.8%,
    // +0.39 +4.0%; with a straight line across the gaps between holds +1.29
    // +6.5%, +0.88 +5.6%, +1.10 +7.3%, +0.86 +4.5%, +1.09 +7.2%, +0.94 +7.0%. With
    // the agents read only while a caller held (low: callers hold more when
    // fewer agents happen to be on the phones) it was +3.06 +14.6%, +2.68
    // +14.2%, +2.43 +13.6%, +2.04 +11.7%, +2.01 +10.7%, +2.27 +13.0%.
    let ((log_ab, log_wait), (sim_ab, sim_wait)) =
        whole_day(&json(&shop(&["backtest", s(&log), s(&fitted), "--format", "json"])));
    assert!((0.15..=0.22).contains(&log_ab), "a busy center: the log abandons {log_ab:.3}");
    assert!((sim_ab - log_ab).abs() <= 0.03, "abandon: log {log_ab:.3}, fitted {sim_ab:.3}");
    assert!((sim_wait / log_wait - 1.0).abs() <= 0.20, "mean wait: log {log_wait:.1}s, fitted {sim_wait:.1}s");
    // Calibrated on all but the last two days, each pool's agents on its own
    // queue's service level (sales_team on the sales callers', service_team on
    // the service callers'), scored on those days.
    let cal = dir.path().join("calibrated.yaml");
    let v = json(&shop(&["fit", s(&log), "--format", "json", "--out", s(&cal), "--calibrate", "--holdout", "2d"]));
    let c = &v["fits"][0]["calibration"];
    let before = c["pool_agents_fitted"].as_array().map(Vec::len);
    assert_eq!(before, Some(2), "{c}");
    // 32 pool-intervals scored (2 pools × 16), as many or more of them within
    // the log's noise (the spread of its days) after as before (measured,
    // seeds 1–6 and 11: 29–32 before and after; each pool's days vary 6–9×
    // an interval and 10–16× the whole day what independent calls would).
    assert_eq!(num(&c["intervals_scored"]), 32.0, "{c}");
    assert!(num(&c["within_after"]) >= num(&c["within_before"]), "{c}");
    for spread in c["day_spread"].as_array().unwrap().iter().flat_map(|s| s.as_array().unwrap()) {
        assert!(num(spread) > 2.0, "the log's days vary more than independent calls: {c}");
    }
    // A good fit is left alone: calibration does not chase the days' noise, so
    // each pool's agents stay within 10% of agents × 0.75 (with binomial noise
    // alone it moved 5–16 of them, service_team 6.6 → 5.2 on one seed).
    for p in v["fits"][0]["pools"].as_array().unwrap() {
        let on_duty = if p["name"] == "sales_team" { [9.0, 14.0, 8.0] } else { [9.0, 9.0, 9.0] };
        for (k, a) in p["agents"].as_array().unwrap().iter().enumerate() {
            let want = 0.75 * on_duty[k / 6];
            assert!((num(&a["agents"]) - want).abs() <= 0.10 * want, "{} interval {k}: {a} for {want}", p["name"]);
        }
    }
    // On the days it fitted: within 1.5 points and 10% (measured, seeds 1–6:
    // −0.44 to +0.07 points, −2.3% to +0.7%). Held out (40 replications,
    // seeds 1–10): −0.67 to +1.30 points, −9.1% to +10.0%, where the design
    // that wrote the log gives −0.92 to +0.97 points and −10.0% to +9.7%:
    // what is left is the two days' own noise, checked below.
    let (log_ab, cal_ab) = (num(&c["abandon_rate"][0]), num(&c["abandon_rate"][2]));
    let (log_wait, cal_wait) = (num(&c["wait_mean"][0]), num(&c["wait_mean"][2]));
    assert!((cal_ab - log_ab).abs() <= 0.015, "calibrated abandon {cal_ab:.3}, log {log_ab:.3}");
    assert!((cal_wait / log_wait - 1.0).abs() <= 0.10, "calibrated mean wait {cal_wait:.1}s, log {log_wait:.1}s");
    // From a fit far off (the distinct agents seen serving: abandon 6% where
    // the log abandons 19–21%), calibration moves each pool's agents back to
    // the log's whole day, written beside each pool's agents (measured, seeds
    // 1–6 and 11: −0.39 to +0.07 points, −1.0% to +4.0%, 0 then 32 of 32
    // pool-intervals within the noise).
    let (text, (far_ab, far_wait)) = calibrated_from_distinct(dir.path(), &log);
    for pool in ["sales_team:", "service_team:"] {
        let own = text.split(pool).nth(1).and_then(|x| x.split("handle:").next()).unwrap_or_default();
        assert!(own.contains("# calibrated "), "{pool} {text}");
    }
    let ((held_ab, held_wait), (sim_ab, sim_wait)) =
        whole_day(&json(&shop(&["backtest", s(&log), s(&cal), "--last", "2d", "--format", "json"])));
    let days = daily(&log);
    let ab_noise = 2.0 * sd(&days.iter().map(|d| d.0).collect::<Vec<_>>()) / 2f64.sqrt();
    let wait_noise = 2.0 * sd(&days.iter().map(|d| d.1).collect::<Vec<_>>()) / 2f64.sqrt();
    for (how, ab, wait) in [("fitted", sim_ab, sim_wait), ("from the distinct agents", far_ab, far_wait)] {
        assert!(
            (ab - held_ab).abs() <= 0.015 + ab_noise,
            "held out, {how}: abandon {ab:.3} vs {held_ab:.3} (noise {ab_noise:.3})"
        );
        assert!(
            (wait - held_wait).abs() <= 0.10 * held_wait + wait_noise,
            "held out, {how}: mean wait {wait:.1}s vs {held_wait:.1}s (noise {wait_noise:.1}s)"
        );
    }
}

/// Calibrated on all but the last two days, scored on those two: whole-day
/// abandon within 1.5 points and mean wait within 10% of the log, strictly.
/// Two days of a center this size vary less than that (a day of the busy
/// center above abandons 15% ± 2 points: no model can promise 1.5 points on
/// two of its days; four times the calls halve that spread).
fn held_out_strictly(design: &str) {
    let dir = tempfile::tempdir().unwrap();
    let design = write(dir.path(), "design.yaml", design);
    let log = dir.path().join("calls.csv");
    ok(&shop(&["run", s(&design), "--log", s(&log), "--format", "json"]));
    let cal = dir.path().join("calibrated.yaml");
    ok(&shop(&["fit", s(&log), "--format", "json", "--out", s(&cal), "--calibrate", "--holdout", "2d"]));
    let ((held_ab, held_wait), (sim_ab, sim_wait)) =
        whole_day(&json(&shop(&["backtest", s(&log), s(&cal), "--last", "2d", "--format", "json"])));
    assert!((0.13..=0.22).contains(&held_ab), "a busy center: the held-out days abandon {held_ab:.3}");
    assert!((sim_ab - held_ab).abs() <= 0.015, "held out: abandon {sim_ab:.3} vs {held_ab:.3}");
    assert!((sim_wait / held_wait - 1.0).abs() <= 0.10, "held out: mean wait {sim_wait:.1}s vs {held_wait:.1}s");
}

#[test]
fn a_busy_center_four_times_the_size_is_reproduced_on_held_out_days_within_one_and_a_half_points_and_ten_percent() {
    // BUSY with four times the calls and 3.8 times the agents (abandon 15–16%).
    // Measured, seeds 11 and 1–10, held out at backtest's 20 replications:
    // −1.01 to +1.27 points, −5.4% to +9.4%; the design that wrote the log,
    // scored on the same days (40 replications), −0.86 to +1.14 points,
    // −5.3% to +8.5%.
    held_out_strictly(
        &BUSY
            .replace("name: busy center", "name: a busy center, four times the size")
            .replace("rate: 330/h", "rate: 1320/h")
            .replace("rate: 560/h", "rate: 2240/h")
            .replace("rate: 300/h", "rate: 1200/h")
            .replace("agents: 20 }", "agents: 76 }")
            .replace("agents: 33 }", "agents: 125 }")
            .replace("agents: 18 }", "agents: 68 }"),
    );
}

#[test]
fn two_pools_three_times_the_size_are_reproduced_on_held_out_days_within_one_and_a_half_points_and_ten_percent() {
    // TWO_POOLS with three times the calls and 2.8 times the agents (abandon
    // 18–20%). Measured, seeds 1–10 and 11, held out at 40 replications:
    // −1.07 to +1.21 points, −4.3% to +9.4%; the design that wrote the log
    // −0.91 to +1.13 points, −3.9% to +11.5%.
    held_out_strictly(
        &TWO_POOLS
            .replace(
                "rate: 120/h }, { from: 3h, rate: 200/h }, { from: 6h, rate: 100/h }",
                "rate: 360/h }, { from: 3h, rate: 600/h }, { from: 6h, rate: 300/h }",
            )
            .replace("arrivals: 80/h", "arrivals: 240/h")
            .replace(
                "agents: 9 }, { from: 3h, agents: 14 }, { from: 6h, agents: 8 }",
                "agents: 25 }, { from: 3h, agents: 39 }, { from: 6h, agents: 22 }",
            )
            .replace("service_team: { agents: 9,", "service_team: { agents: 25,"),
    );
}

#[test]
fn a_queue_that_announces_the_wait_and_offers_callbacks_is_fitted_with_both() {
    // The service queue tells every caller who must wait the estimated wait
    // and offers a callback over 2m: callers leave on hearing short estimates
    // too (no offer), which callbacks alone cannot explain.
    let dir = tempfile::tempdir().unwrap();
    let design = write(
        dir.path(),
        "both.yaml",
        &TWO_POOLS
            .replace("service_q: { pools: [service_team],", "service_q: { pools: [service_team], announce_ewt: true,"),
    );
    let log = dir.path().join("calls.csv");
    ok(&shop(&["run", s(&design), "--log", s(&log), "--format", "json"]));
    let fitted = dir.path().join("fitted.yaml");
    let v = json(&shop(&["fit", s(&log), "--format", "json", "--out", s(&fitted)]));
    let service = v["fits"][0]["callers"].as_array().unwrap().iter().find(|c| c["name"] == "service").cloned().unwrap();
    // Measured, seeds 1–6: 60–65% of the leavers heard 2m or less (more than
    // half: announced; a 45 s offer threshold fitted as 2m puts 26–29% there).
    assert!(num(&service["left_below_offer"]) > 0.5 && service["announces_too"] == true, "{service}");
    let text = std::fs::read_to_string(&fitted).unwrap();
    assert!(
        text.contains("service_q: { pools: [service_team], callback: { offer_when_ewt_over: 2m, accept: 0.")
            && text.contains("}, announce_ewt: true }"),
        "{text}"
    );
    // Half take the callback offered; patience 4m, the leavers counted below
    // the wait they heard (measured: accept 0.47–0.49, patience 3m 55s–4m 08s).
    let accept = num(&service["callback_accept"]);
    assert!((accept - 0.5).abs() <= 0.08, "callback accept {accept:.3}");
    let patience = num(&service["patience"]["exp_mean"]);
    assert!((patience - 240.0).abs() <= 0.10 * 240.0, "service patience {patience:.1}s for 240s");
    // Fit then backtest, within 3 points and 20% (measured, seeds 1–6: +0.7 to
    // +1.4 points, +4.6% to +8.1%; written without the announcement, +0.6 to
    // +1.5 points and +10.5% to +12.6% on seeds 1–3).
    let ((log_ab, log_wait), (sim_ab, sim_wait)) =
        whole_day(&json(&shop(&["backtest", s(&log), s(&fitted), "--format", "json"])));
    assert!((sim_ab - log_ab).abs() <= 0.03, "abandon: log {log_ab:.3}, fitted {sim_ab:.3}");
    assert!((sim_wait / log_wait - 1.0).abs() <= 0.20, "mean wait: log {log_wait:.1}s, fitted {sim_wait:.1}s");
}

/// A queue that tells every caller who must wait the estimated wait: the
/// impatient leave at once on hearing it (`abandoned_queue` rows with no hold).
const ANNOUNCED: &str = "name: announced wait\nseed: 3\nreplications: 3\ndays: 5\nhorizon: 8h\nstart: q\n\
    callers:\n  c: { arrivals: [{ from: 0h, rate: 200/h }, { from: 3h, rate: 300/h }, { from: 6h, rate: 150/h }], patience: exp(3m) }\n\
    queues:\n  q: { pools: [team], announce_ewt: true }\n\
    pools:\n  team: { agents: [{ from: 0h, agents: 20 }, { from: 3h, agents: 28 }, { from: 6h, agents: 15 }], handle: exp(5m), availability: 0.8 }\n";

#[test]
fn callers_who_leave_on_hearing_the_wait_are_fitted_as_patience_below_it_and_the_fit_announces_it_too() {
    let dir = tempfile::tempdir().unwrap();
    let design = write(dir.path(), "announced.yaml", ANNOUNCED);
    let log = dir.path().join("calls.csv");
    ok(&shop(&["run", s(&design), "--log", s(&log), "--format", "json"]));
    let fitted = dir.path().join("fitted.yaml");
    let v = json(&shop(&["fit", s(&log), "--format", "json", "--out", s(&fitted)]));
    let c = &v["fits"][0]["callers"][0];
    // Patience 3m: measured 2m 53s (11m 15s when the leavers were left out,
    // the stayers describing only the patient).
    let patience = num(&c["patience"]["exp_mean"]);
    assert!((patience - 180.0).abs() <= 0.10 * 180.0, "patience {patience:.1}s for 180s");
    let left = num(&c["left_on_hearing"]);
    assert!(left > 1000.0 && num(&c["patience"]["left_on_hearing"]) == left, "{c}");
    // The wait they heard, rebuilt from the log (n + 1 callers ahead × 5m ÷
    // 35 agents on duty at the peak: measured 58 s on average).
    let told = num(&c["patience"]["told_mean"]);
    assert!((30.0..120.0).contains(&told), "told {told:.1}s");
    // The fitted queue announces the wait, counting agents on duty (the pool
    // on the phones 0.8 of the time: fitted 0.78).
    let text = std::fs::read_to_string(&fitted).unwrap();
    // The log's queue and pool names are kept (`q`, `team`): snapshots of the log name them.
    assert!(text.contains("q: { pools: [team], announce_ewt: true }"), "{text}");
    let share = text.split("availability: ").nth(1).and_then(|x| x.split_whitespace().next()).unwrap_or_default();
    let share: f64 = share.parse().unwrap_or(f64::NAN);
    assert!((share - 0.8).abs() <= 0.05, "availability {share}");
    // Backtest: within 3 points and 20% (measured: abandon 16.1% against
    // 15.5%, mean wait 21.8 s against 20.7 s; before, 12.8% and 85.8 s).
    let ((log_ab, log_wait), (sim_ab, sim_wait)) =
        whole_day(&json(&shop(&["backtest", s(&log), s(&fitted), "--format", "json"])));
    assert!((0.12..=0.20).contains(&log_ab), "the log abandons {log_ab:.3}");
    assert!((sim_ab - log_ab).abs() <= 0.03, "abandon: log {log_ab:.3}, fitted {sim_ab:.3}");
    assert!((sim_wait / log_wait - 1.0).abs() <= 0.20, "mean wait: log {log_wait:.1}s, fitted {sim_wait:.1}s");
}

/// Chat and email rows are left out of the fit (counted), not read as calls.
#[test]
fn chat_and_email_rows_are_not_fitted_as_voice() {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let log = dir.path().join("calls.csv");
    ok(&shop(&[
        "run",
        s(&root.join("scenarios/blended_team.yaml")),
        "--log",
        s(&log),
        "--replications",
        "1",
        "--format",
        "json",
    ]));
    let v = json(&shop(&["fit", s(&log), "--format", "json", "--out", s(&dir.path().join("f.yaml"))]));
    let callers: Vec<&str> =
        v["fits"][0]["callers"].as_array().unwrap().iter().filter_map(|c| c["name"].as_str()).collect();
    assert_eq!(callers, ["caller"]);
    let skipped = v["skipped"].to_string();
    assert!(skipped.contains("chat or email row") && skipped.contains("channel `chat`"), "{skipped}");
}

#[test]
fn the_service_level_threshold_no_log_records_is_given_with_a_flag_and_backtest_scores_by_it() {
    // A 20 s threshold: the log cannot show it, the planner gives it.
    let dir = tempfile::tempdir().unwrap();
    let design = write(dir.path(), "d.yaml", &BUSY.replace("days: 5\n", "days: 2\nservice_level: 20s\n"));
    let log = dir.path().join("calls.csv");
    ok(&shop(&["run", s(&design), "--log", s(&log), "--format", "json"]));
    let fitted = dir.path().join("f.yaml");
    let given = dir.path().join("g.yaml");
    ok(&shop(&["fit", s(&log), "--out", s(&fitted)]));
    ok(&shop(&["fit", s(&log), "--out", s(&given), "--service-level", "20s"]));
    let text = std::fs::read_to_string(&given).unwrap();
    assert!(text.contains("\nservice_level: 20s"), "{text}");
    assert!(!std::fs::read_to_string(&fitted).unwrap().contains("\nservice_level:"));
    // The log's own service level, as backtest counts it, follows the threshold:
    // fewer calls are answered within 20 s than within 30 s.
    let sl = |f: &Path| {
        let b = json(&shop(&["backtest", s(&log), s(f), "--format", "json"]));
        num(&b["overall"]["actual"]["service_level"])
    };
    let (at30, at20) = (sl(&fitted), sl(&given));
    assert!(at20 < at30 - 0.01, "log service level within 20 s {at20} vs 30 s {at30}");
    // The log's figure within 20 s is the design's own (the run that wrote it).
    let run = json(&shop(&["run", s(&design), "--format", "json"]));
    let design_sl = num(&run["overall"]["service_level"]);
    assert!((at20 - design_sl).abs() < 0.005, "log {at20} vs the design's run {design_sl}");
    // A threshold out of range is refused, naming the flag.
    let bad = shop(&["fit", s(&log), "--service-level", "0s"]);
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
    assert!(stderr(&bad).contains("--service-level"), "{}", stderr(&bad));
}

#[test]
fn the_callback_offer_threshold_no_log_shows_is_given_with_a_flag() {
    // Callbacks offered over 45 s of estimated wait, not the default 2 m.
    let dir = tempfile::tempdir().unwrap();
    let design =
        write(dir.path(), "two.yaml", &TWO_POOLS.replace("offer_when_ewt_over: 2m", "offer_when_ewt_over: 45s"));
    let full = dir.path().join("calls.csv");
    ok(&shop(&["run", s(&design), "--log", s(&full), "--format", "json"]));
    // A log that does not show the offers: without `shop`'s `told_wait` column.
    let log = dir.path().join("untold.csv");
    without_column(&full, &log, "told_wait");
    let accept_of = |log: &Path, extra: &[&str]| {
        let out = dir.path().join("f.yaml");
        let mut args = vec!["fit", s(log), "--format", "json", "--out", s(&out)];
        args.extend_from_slice(extra);
        let v = json(&shop(&args));
        let text = std::fs::read_to_string(&out).unwrap();
        let a = v["fits"][0]["callers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == "service")
            .map(|c| num(&c["callback_accept"]));
        (a.unwrap_or(f64::NAN), text)
    };
    let accept = |extra: &[&str]| accept_of(&log, extra);
    let (assumed, text_assumed) = accept(&[]);
    let (given, text_given) = accept(&["--callback-offer", "45s"]);
    assert!(text_assumed.contains("offer_when_ewt_over: 2m"), "{text_assumed}");
    assert!(text_given.contains("offer_when_ewt_over: 45s"), "{text_given}");
    eprintln!("accept: assumed 2m {assumed:.3}, given 45s {given:.3} (true 0.5)");
    // Measured: 0.496 given, 0.595 assuming 2m.
    assert!((given - 0.5).abs() <= 0.05, "callback accept {given:.3} for 0.5 with the threshold given");
    assert!((given - 0.5).abs() < (assumed - 0.5).abs(), "given {given:.3} vs assumed {assumed:.3}");
    // A log that keeps the waits told shows who was offered and declined:
    // the share is right whatever threshold is assumed (measured 0.507 both).
    for extra in [&[][..], &["--callback-offer", "45s"][..]] {
        let (a, _) = accept_of(&full, extra);
        assert!((a - 0.5).abs() <= 0.05, "callback accept {a:.3} for 0.5 from the logged offers ({extra:?})");
    }
}

/// Copies a CSV file without one of its columns.
fn without_column(from: &Path, to: &Path, name: &str) {
    let text = std::fs::read_to_string(from).unwrap();
    let header: Vec<&str> = text.lines().next().unwrap_or_default().split(',').collect();
    let i = header.iter().position(|h| *h == name).unwrap_or(usize::MAX);
    let out: Vec<String> = text
        .lines()
        .map(|l| l.split(',').enumerate().filter(|(j, _)| *j != i).map(|(_, f)| f).collect::<Vec<_>>().join(","))
        .collect();
    std::fs::write(to, out.join("\n") + "\n").unwrap();
}

/// `--agents` writes the estimate it names: `on-phones` by default, the plain
/// mean busy while a caller held with `busy-while-waiting` (SCENARIO.md's
/// rule), and the table prints all four side by side.
#[test]
fn agents_rules_write_the_estimate_they_name_and_the_table_prints_all_four() {
    let log = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/bank_log.csv");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fitted.yaml");
    let fit = |extra: &[&str]| {
        let mut args = vec!["fit", s(&log), "--schema", "anonymous-bank", "--format", "json", "--out", s(&out)];
        args.extend_from_slice(extra);
        json(&shop(&args))
    };
    let written = |v: &Value, key: &str| -> Vec<(f64, f64)> {
        v["fits"][0]["agents"].as_array().unwrap().iter().map(|a| (num(&a["agents"]), num(&a[key]))).collect()
    };
    let default = fit(&[]);
    let plain = fit(&["--agents", "busy-while-waiting"]);
    let (on, bww) = (written(&default, "on_phones"), written(&plain, "busy_while_waiting"));
    assert!(!on.is_empty() && on.len() == bww.len());
    for ((w, on_phones), (p, busy_while_waiting)) in on.iter().zip(&bww) {
        assert!((w - (on_phones * 10.0).round() / 10.0).abs() < 1e-9, "default writes on_phones: {w} vs {on_phones}");
        assert!((p - (busy_while_waiting * 10.0).round() / 10.0).abs() < 1e-9, "{p} vs {busy_while_waiting}");
    }
    // The bank log names its agents: no interval counts more agents on the
    // phones than it saw serving (before the cap, 11:00–11:30 read 6.3 where 6 served).
    for a in default["fits"][0]["agents"].as_array().unwrap() {
        assert!(num(&a["on_phones"]) <= num(&a["distinct"]) + 1e-9, "{a}");
        assert!(num(&a["busy_while_waiting"]) <= num(&a["distinct"]) + 1e-9, "{a}");
    }
    // Without --out the scenario goes to standard output, the report to standard error.
    let table = stderr(&shop(&["fit", s(&log), "--schema", "anonymous-bank"]));
    assert!(table.contains("busy while waiting") && table.contains("on phones"), "{table}");
}

/// Without `--schema`, `fit` takes the layout the header names (as
/// `backtest`, `replay` and `forecast` do): a bank log fits as with
/// `--schema anonymous-bank`, and a file with neither layout's columns is
/// refused naming both.
#[test]
fn fit_detects_the_log_layout_from_its_header() {
    let log = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/bank_log.csv");
    let detected = shop(&["fit", s(&log)]);
    let named = shop(&["fit", s(&log), "--schema", "anonymous-bank"]);
    assert!(detected.status.success(), "{}", stderr(&detected));
    assert_eq!(detected.stdout, named.stdout, "the same scenario either way");
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("other.csv");
    std::fs::write(&other, "when,who\n1,2\n").unwrap();
    let o = shop(&["fit", s(&other)]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("neither a `shop` log") && err.contains("anonymous-bank"), "{err}");
}

/// A queue that offers callbacks to callers who never hang up: the offer is
/// still recovered from the callback rows (measured: accept 0.487 for 0.5 on
/// 4,708 calls), and patience is written as none.
#[test]
fn a_callback_offer_is_fitted_where_nobody_hangs_up() {
    let dir = tempfile::tempdir().unwrap();
    let design = write(
        dir.path(),
        "cb.yaml",
        "name: callbacks, nobody hangs up\nseed: 3\nreplications: 3\ndays: 2\nhorizon: 8h\nstart: service_q\n\
         callers:\n  service: { arrivals: 100/h, entry: service_q }\n\
         queues:\n  service_q: { pools: [team], callback: { offer_when_ewt_over: 2m, accept: 0.5 } }\n\
         pools:\n  team: { agents: 8, handle: exp(5m) }\n",
    );
    let log = dir.path().join("calls.csv");
    ok(&shop(&["run", s(&design), "--log", s(&log), "--format", "json"]));
    let fitted = dir.path().join("fitted.yaml");
    ok(&shop(&["fit", s(&log), "--out", s(&fitted)]));
    let text = std::fs::read_to_string(&fitted).unwrap();
    let accept: f64 = text
        .split("accept: ")
        .nth(1)
        .and_then(|rest| rest.split(|c: char| c != '.' && !c.is_ascii_digit()).next())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no callback offer fitted:\n{text}"));
    assert!((accept - 0.5).abs() <= 0.05, "accept {accept} for 0.5\n{text}");
    assert!(text.contains("offer_when_ewt_over"), "{text}");
    assert!(text.contains("nobody hung up on hold"), "{text}");
}

#[test]
fn a_fitted_file_always_runs_even_when_a_wait_was_told_with_no_agent_on_duty() {
    // Found by fitting the logs of random designs: no caller held between 30m
    // and 1h, so the fit saw no agent on duty there, and callers who heard the
    // wait then were told an endless one; the patience came out as
    // exp(999999999999.5s), a file `run` refused.
    let dir = tempfile::tempdir().unwrap();
    let design = write(
        dir.path(),
        "design.yaml",
        "seed: 866\nreplications: 2\nhorizon: 5h\ndays: 4\ninterval: 18m\nservice_level: 30s\ncallers:\n  \
         caller: { arrivals: 21/h, patience: \"triangular(48s, 97s, 194s)\", entry: phones }\n  \
         chatter: { channel: chat, arrivals: 62/h, patience: \"triangular(175s, 350s, 700s)\", entry: chats }\n\
         queues:\n  phones:\n    pools: [team]\n    \
         callback: { offer_when_ewt_over: 131s, accept: 0.1, keep_place: false, reach: 0.1, attempts: 3, retry_after: 16m, dial: 12s }\n  \
         chats: { pools: [team] }\n  inbox: { pools: [team] }\n\
         pools:\n  team:\n    agents: [{ from: 0h, agents: 2 }, { from: 30m, agents: 2 }, { from: 1h, agents: 5 }]\n    \
         handle: 272s\n    wrap_up: \"triangular(2s, 4s, 8s)\"\n    concurrency: { chat: 3 }\n    concurrency_slowdown: 0.2\n    \
         email_reserve: 2\n    email_interruptible: true\n    channel_priority: [chat, voice, email]\n",
    );
    let log = dir.path().join("calls.csv");
    ok(&shop(&["run", s(&design), "--log", s(&log)]));
    let fitted = dir.path().join("fitted.yaml");
    ok(&shop(&["fit", s(&log), "--out", s(&fitted)]));
    let text = std::fs::read_to_string(&fitted).unwrap();
    let patience = text.lines().find(|l| l.trim_start().starts_with("patience:")).expect("a patience is fitted");
    assert!(!patience.contains("99999"), "{patience}");
    ok(&shop(&["run", s(&fitted), "--replications", "2"]));
}
