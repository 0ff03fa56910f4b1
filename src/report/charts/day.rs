//! The day by interval: calls offered and agents on duty, then service level
//! and abandon rate, one panel each so that every figure keeps a scale of its
//! own. `compare` draws the rate panels with A and B on the same axes.
//!
//! Intervals sit side by side on a shared x axis (interval k spans [k, k+1]),
//! labelled by their start: the report's labels (`10:00–10:30`, `2h00–2h30`)
//! are the intervals themselves, not clock arithmetic done here.

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use super::{FONT, SERIES_WIDTH, WIDTH, colour, failed, legend, tag_series};

/// One interval of `run`'s day, as the report has it.
pub struct Interval<'a> {
    pub label: &'a str,
    /// Calls dialed in the interval, over all replications.
    pub calls: u64,
    /// Mean agents on duty, all pools.
    pub agents: f64,
    pub service_level: Option<f64>,
    pub abandon_rate: Option<f64>,
}

/// A line of a rate panel: a share per interval (`None`: nobody reached a queue).
pub struct Rates<'a> {
    pub label: String,
    pub values: &'a [Option<f64>],
    /// Each value's 95% interval, drawn as a whisker (`compare`'s `a_ci95`, `b_ci95`).
    pub ci95: &'a [Option<[f64; 2]>],
    pub colour: RGBColor,
}

const PANEL: u32 = 210;
const CALLS: RGBColor = RGBColor(86, 180, 233);
const AGENTS: RGBColor = RGBColor(0, 0, 0);

/// The start of an interval's label: `10:00` of `10:00–10:30`.
fn start(label: &str) -> &str {
    label.split('–').next().unwrap_or(label)
}

/// `run`'s day: calls and agents, service level, abandon rate. `None` when
/// the day has no interval.
pub fn chart(intervals: &[Interval]) -> Option<Result<String, String>> {
    if intervals.is_empty() {
        return None;
    }
    let labels: Vec<&str> = intervals.iter().map(|i| i.label).collect();
    let sl: Vec<Option<f64>> = intervals.iter().map(|i| i.service_level).collect();
    let ab: Vec<Option<f64>> = intervals.iter().map(|i| i.abandon_rate).collect();
    let mut svg = String::new();
    let drawn = (|| {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, PANEL * 3)).into_drawing_area();
        root.fill(&WHITE).map_err(failed)?;
        let panels = root.split_evenly((3, 1));
        volume(&panels[0], intervals)?;
        let rate = |name: &str, values, i| Rates { label: name.to_string(), values, ci95: &[], colour: colour(i) };
        rate_panel(&panels[1], &labels, &[rate("service level", &sl, 0)], "service level", false)?;
        rate_panel(&panels[2], &labels, &[rate("abandon rate", &ab, 1)], "abandon rate", true)?;
        root.present().map_err(failed)
    })();
    let mut names = vec!["agents on duty"];
    names.extend([("service level", &sl), ("abandon rate", &ab)].iter().filter(|s| drawn_any(s.1)).map(|s| s.0));
    Some(drawn.map(|()| tag_series(&svg, &names)))
}

/// `compare`'s day: service level and abandon rate of A and B per interval.
pub fn paired(labels: &[&str], service_level: &[Rates], abandon_rate: &[Rates]) -> Option<Result<String, String>> {
    if labels.is_empty() {
        return None;
    }
    let mut svg = String::new();
    let drawn = (|| {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, PANEL * 2)).into_drawing_area();
        root.fill(&WHITE).map_err(failed)?;
        let panels = root.split_evenly((2, 1));
        rate_panel(&panels[0], labels, service_level, "service level", false)?;
        rate_panel(&panels[1], labels, abandon_rate, "abandon rate", true)?;
        root.present().map_err(failed)
    })();
    let names: Vec<&str> =
        service_level.iter().chain(abandon_rate).filter(|r| drawn_any(r.values)).map(|r| r.label.as_str()).collect();
    Some(drawn.map(|()| tag_series(&svg, &names)))
}

/// Whether a rate line has a point to draw (a line of none draws nothing).
fn drawn_any(values: &[Option<f64>]) -> bool {
    values.iter().any(Option::is_some)
}

type Area<'b> = DrawingArea<SVGBackend<'b>, Shift>;

/// The grid of a chart over the day's intervals: interval starts along x,
/// `y` ticks (count and format) described by `desc`. Shared by every chart
/// whose x axis is the day.
pub(super) fn interval_mesh(
    chart: &mut ChartContext<'_, SVGBackend<'_>, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    labels: &[&str],
    (y_ticks, y_format): (usize, &dyn Fn(&f64) -> String),
    desc: &str,
) -> Result<(), String> {
    let fmt = x_label(labels);
    chart
        .configure_mesh()
        .x_labels(x_labels(labels.len()))
        .x_label_formatter(&fmt)
        .y_labels(y_ticks)
        .y_label_formatter(y_format)
        .y_desc(desc)
        .label_style((FONT, 14))
        .axis_desc_style((FONT, 15))
        .light_line_style(WHITE)
        .bold_line_style(BLACK.mix(0.1))
        .draw()
        .map_err(failed)
}

/// Interval labels on the x axis: the start of every k-th interval.
pub(super) fn x_label(labels: &[&str]) -> impl Fn(&f64) -> String {
    let labels: Vec<String> = labels.iter().map(|l| start(l).to_string()).collect();
    move |x: &f64| {
        let k = x.round();
        if (x - k).abs() > 1e-6 || k < 0.0 {
            return String::new();
        }
        labels.get(k as usize).cloned().unwrap_or_default()
    }
}

/// How many x labels fit: about one per 80 pixels.
pub(super) fn x_labels(n: usize) -> usize {
    n.min((WIDTH / 80) as usize) + 1
}

fn volume(area: &Area, intervals: &[Interval]) -> Result<(), String> {
    let n = intervals.len() as f64;
    let labels: Vec<&str> = intervals.iter().map(|i| i.label).collect();
    // Headroom above the highest bar and step, for the legend.
    let calls_max = intervals.iter().map(|i| i.calls).max().unwrap_or(0).max(1) as f64 * 1.4;
    let agents_max = intervals.iter().map(|i| i.agents).fold(1.0, f64::max) * 1.4;
    let mut chart = ChartBuilder::on(area)
        .margin(10)
        .margin_right(16)
        .x_label_area_size(30)
        .y_label_area_size(70)
        .right_y_label_area_size(60)
        .build_cartesian_2d(0.0..n, 0.0..calls_max)
        .map_err(failed)?
        .set_secondary_coord(0.0..n, 0.0..agents_max);
    interval_mesh(&mut chart, &labels, (5, &|v| format!("{v:.0}")), "calls offered")?;
    chart
        .configure_secondary_axes()
        .y_labels(5)
        .y_label_formatter(&|v| format!("{v:.0}"))
        .y_desc("agents on duty")
        .label_style((FONT, 14))
        .axis_desc_style((FONT, 15))
        .draw()
        .map_err(failed)?;
    chart
        .draw_series(intervals.iter().enumerate().map(|(k, i)| {
            let x = k as f64;
            Rectangle::new([(x + 0.08, 0.0), (x + 0.92, i.calls as f64)], CALLS.mix(0.75).filled())
        }))
        .map_err(failed)?
        .label("calls offered (all days)")
        .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 16, y + 5)], CALLS.mix(0.75).filled()));
    // Agents are on duty the whole interval: a step, flat across each one.
    let steps = intervals.iter().enumerate().flat_map(|(k, i)| [(k as f64, i.agents), (k as f64 + 1.0, i.agents)]);
    chart
        .draw_secondary_series(LineSeries::new(steps, AGENTS.stroke_width(SERIES_WIDTH)))
        .map_err(failed)?
        .label("agents on duty (mean)")
        .legend(|(x, y)| Rectangle::new([(x, y - 2), (x + 16, y + 2)], AGENTS.filled()));
    legend(&mut chart, SeriesLabelPosition::UpperRight, 0.75, 13)
}

/// A share per interval, one line per series, each point at the interval's middle.
fn rate_panel(area: &Area, labels: &[&str], series: &[Rates], desc: &str, zoom: bool) -> Result<(), String> {
    let n = labels.len() as f64;
    // Service level reads on 0–100%; abandon rates are small, so their axis
    // stops a little above the highest one (a round 5% step).
    let top = if zoom {
        let max = series.iter().flat_map(|s| s.values.iter().flatten()).fold(0.0f64, |m, v| m.max(*v));
        ((max * 1.4 / 0.05).ceil() * 0.05).clamp(0.05, 1.0)
    } else {
        1.0
    };
    let mut chart = ChartBuilder::on(area)
        .margin(10)
        .margin_right(76)
        .x_label_area_size(30)
        .y_label_area_size(70)
        .build_cartesian_2d(0.0..n, 0.0..top)
        .map_err(failed)?;
    interval_mesh(&mut chart, labels, (6, &|v| format!("{:.0}%", v * 100.0)), desc)?;
    // The legend goes to the corner its box hides fewest points of.
    let corner =
        super::emptiest_corner(series.iter().flat_map(|s| {
            s.values.iter().enumerate().filter_map(move |(k, v)| Some(((k as f64 + 0.5) / n, (*v)? / top)))
        }));
    let n_series = series.len() as f64;
    for (j, s) in series.iter().enumerate().filter(|(_, s)| drawn_any(s.values)) {
        let ink = s.colour;
        // Whiskers first, under the line, nudged apart so that A's and B's stay visible.
        let nudge = 0.5 + (j as f64 - (n_series - 1.0) / 2.0) * 0.08;
        let whiskers = s.ci95.iter().enumerate().filter_map(|(k, ci)| {
            let [lo, hi] = (*ci)?;
            let x = k as f64 + nudge;
            Some(Rectangle::new([(x - 0.012, lo.max(0.0)), (x + 0.012, hi.min(top))], ink.mix(0.45).filled()))
        });
        chart.draw_series(whiskers).map_err(failed)?;
        let pts = s.values.iter().enumerate().filter_map(|(k, v)| Some((k as f64 + nudge, (*v)?)));
        chart
            .draw_series(LineSeries::new(pts, ink.stroke_width(SERIES_WIDTH)))
            .map_err(failed)?
            .label(s.label.as_str())
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 16, y + 5)], ink.filled()));
        let dots = s.values.iter().enumerate().filter_map(|(k, v)| Some((k as f64 + nudge, (*v)?)));
        chart.draw_series(dots.map(|p| Circle::new(p, 3, ink.filled()))).map_err(failed)?;
    }
    legend(&mut chart, corner, 0.75, 13)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> Vec<Interval<'static>> {
        let labels = ["08:00–08:30", "08:30–09:00", "09:00–09:30", "09:30–10:00"];
        labels
            .iter()
            .enumerate()
            .map(|(k, label)| Interval {
                label,
                calls: 100 + 50 * k as u64,
                agents: 4.0 + k as f64,
                service_level: if k == 3 { None } else { Some(0.9 - 0.1 * k as f64) },
                abandon_rate: Some(0.01 * k as f64),
            })
            .collect()
    }

    #[test]
    fn the_day_has_a_line_for_agents_service_level_and_abandons() {
        let svg = chart(&day()).expect("a chart").expect("drawn");
        let series: Vec<&str> = svg.match_indices("data-series=\"").map(|(i, m)| &svg[i + m.len()..]).collect();
        let names: Vec<&str> = series.iter().map(|s| &s[..s.find('"').unwrap_or(0)]).collect();
        assert_eq!(names, ["agents on duty", "service level", "abandon rate"]);
        assert!(svg.contains(">\n08:30\n<") || svg.contains(">08:30<"), "intervals labelled by their start");
        assert!(chart(&[]).is_none());
    }

    #[test]
    fn a_comparison_day_has_a_and_b_in_each_panel() {
        let (a_sl, b_sl, a_ab, b_ab) =
            ([Some(0.8), None], [Some(0.9), Some(0.7)], [Some(0.02), None], [Some(0.01), Some(0.05)]);
        let r = |label: &str, values, i| Rates { label: label.into(), values, ci95: &[], colour: colour(i) };
        let svg = paired(
            &["0h00–0h30", "0h30–1h00"],
            &[r("A service level", &a_sl, 0), r("B service level", &b_sl, 1)],
            &[r("A abandon rate", &a_ab, 0), r("B abandon rate", &b_ab, 1)],
        )
        .expect("a chart")
        .expect("drawn");
        assert_eq!(svg.matches("class=\"series\"").count(), 4);
    }

    #[test]
    fn interval_labels_name_their_start() {
        assert_eq!(start("10:00–10:30"), "10:00");
        assert_eq!(start("2h00–2h30"), "2h00");
        let f = x_label(&["a–b", "c–d"]);
        assert_eq!((f(&0.0), f(&1.0), f(&0.5), f(&2.0)), ("a".into(), "c".into(), String::new(), String::new()));
    }
}
