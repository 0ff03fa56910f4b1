//! Charts as inline SVG for the HTML report, drawn by `plotters` (SVG backend
//! only: no fonts, no bitmaps; text stays `<text>` the browser sets in its own
//! fonts). Each chart is a function from the report's figures to an SVG string;
//! none computes a figure of its own.
//!
//! Conventions the tests rely on: every data series is one `<polyline
//! class="series" data-series="NAME">` (drawn [`SERIES_WIDTH`] wide, which
//! nothing else is, and tagged by [`tag_series`]); axes, ticks and grid are
//! thinner lines; legend swatches, markers and whiskers are `<rect>` and
//! `<circle>`.

pub mod day;
pub mod days;
pub mod staffing;
pub mod survival;

use plotters::prelude::*;

/// Okabe–Ito: eight colours told apart with any colour vision, and in grey print.
pub const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(0, 0, 0),
    RGBColor(240, 228, 66),
];

/// The colour of the `i`th series.
pub fn colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// The system sans-serif font: nothing to embed or download.
pub const FONT: &str = "sans-serif";

pub const WIDTH: u32 = 880;

/// The stroke width of data series, and of nothing else.
pub const SERIES_WIDTH: u32 = 2;

/// A chart of the series that have data: `None` when none has; else `draw`
/// on those (in order) into an SVG string, its series tagged by `label`.
pub fn series_chart<'a, T>(
    all: &'a [T],
    has_data: impl Fn(&T) -> bool,
    label: impl Fn(&T) -> &str,
    draw: impl FnOnce(&mut String, &[&'a T]) -> Result<(), String>,
) -> Option<Result<String, String>> {
    let kept: Vec<&T> = all.iter().filter(|s| has_data(s)).collect();
    if kept.is_empty() {
        return None;
    }
    let mut svg = String::new();
    let drawn = draw(&mut svg, &kept);
    let labels: Vec<&str> = kept.iter().map(|s| label(s)).collect();
    Some(drawn.map(|()| tag_series(&svg, &labels)))
}

/// Names the data series of a drawn chart: the `i`th polyline drawn
/// [`SERIES_WIDTH`] wide gets `class="series" data-series="labels[i]"`
/// (plotters writes series in the order they were drawn).
pub fn tag_series(svg: &str, labels: &[&str]) -> String {
    let wide = format!("stroke-width=\"{SERIES_WIDTH}\"");
    let mut out = String::with_capacity(svg.len() + labels.len() * 40);
    let mut rest = svg;
    let mut labels = labels.iter();
    while let Some(at) = rest.find("<polyline ") {
        let (before, from) = rest.split_at(at);
        out.push_str(before);
        let end = from.find('>').map_or(from.len(), |e| e + 1);
        let (tag, after) = from.split_at(end);
        let label = if tag.contains(&wide) { labels.next() } else { None };
        match label {
            Some(label) => {
                out.push_str("<polyline class=\"series\" data-series=\"");
                out.push_str(&crate::report::html::escape(label));
                out.push_str("\" ");
                out.push_str(&tag["<polyline ".len()..]);
            }
            None => out.push_str(tag),
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// A draw failure as text (plotters' errors carry the backend's error type).
pub fn failed<E: std::fmt::Debug>(e: E) -> String {
    format!("the chart could not be drawn: {e:?}")
}

/// A tick step for a time axis reaching `max` seconds: the round duration
/// (5s, 10s, ... 1m, 2m, ... 1h, 2h) that gives at most `ticks` steps.
pub fn time_step(max: f64, ticks: usize) -> f64 {
    const STEPS: [f64; 17] = [
        1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 900.0, 1800.0, 3600.0, 7200.0, 10800.0, 21600.0,
        43200.0,
    ];
    let ticks = ticks.max(1) as f64;
    STEPS.iter().copied().find(|s| max / s <= ticks).unwrap_or_else(|| (max / ticks / 3600.0).ceil() * 3600.0)
}

/// A share on a log10 axis: `100%`, `10%`, `1%`, `0.1%` at whole decades,
/// nothing between them.
pub fn decade_label(log10: &f64) -> String {
    let k = log10.round();
    if (log10 - k).abs() > 1e-6 {
        return String::new();
    }
    let pct = 10f64.powf(k) * 100.0;
    let digits = if k >= -2.0 { 0 } else { (-k - 2.0) as usize };
    format!("{pct:.digits$}%")
}

/// The legend of every chart: a light box in `corner` (`opacity` of white
/// behind the labels), labels `size` pixels high.
pub fn legend<'a, DB: DrawingBackend + 'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
    corner: SeriesLabelPosition,
    opacity: f64,
    size: u32,
) -> Result<(), String> {
    chart
        .configure_series_labels()
        .position(corner)
        .background_style(WHITE.mix(opacity))
        .border_style(BLACK.mix(0.3))
        .label_font((FONT, size))
        .draw()
        .map_err(failed)
}

/// The corner of the plot where the legend covers the fewest data points:
/// `points` are in plot fractions (0 to 1 left to right and bottom to top); the
/// legend box is taken as the outer 40% across and 30% up or down a corner.
/// Ties go to upper right, upper left, lower right, lower left, in that order.
pub fn emptiest_corner(points: impl Iterator<Item = (f64, f64)>) -> SeriesLabelPosition {
    let mut counts = [0usize; 4];
    for (x, y) in points.filter(|(x, y)| x.is_finite() && y.is_finite()) {
        let (left, right, low, high) = (x <= 0.4, x >= 0.6, y <= 0.3, y >= 0.7);
        counts[0] += usize::from(right && high);
        counts[1] += usize::from(left && high);
        counts[2] += usize::from(right && low);
        counts[3] += usize::from(left && low);
    }
    let corners = [
        SeriesLabelPosition::UpperRight,
        SeriesLabelPosition::UpperLeft,
        SeriesLabelPosition::LowerRight,
        SeriesLabelPosition::LowerLeft,
    ];
    let best = (0..4).min_by_key(|&i| (counts[i], i)).unwrap_or(0);
    corners[best].clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_legend_goes_where_the_data_is_not() {
        let at = |pts: &[(f64, f64)]| format!("{:?}", emptiest_corner(pts.iter().copied()));
        // Service levels high all day: the legend goes low.
        assert_eq!(at(&[(0.1, 0.9), (0.5, 0.85), (0.9, 0.95)]), "LowerRight");
        // Low rates along the bottom: the legend stays up.
        assert_eq!(at(&[(0.1, 0.1), (0.5, 0.2), (0.9, 0.05)]), "UpperRight");
        // A line rising to the upper right: upper left is free.
        assert_eq!(at(&[(0.1, 0.1), (0.5, 0.5), (0.9, 0.95)]), "UpperLeft");
        assert_eq!(at(&[]), "UpperRight");
    }

    #[test]
    fn time_steps_are_round_durations() {
        assert_eq!(time_step(600.0, 10), 60.0);
        assert_eq!(time_step(601.0, 10), 120.0);
        assert_eq!(time_step(45.0, 10), 5.0);
        assert_eq!(time_step(36_000.0, 10), 3600.0);
    }

    #[test]
    fn series_are_tagged_in_drawing_order_and_nothing_else_is() {
        let svg = r#"<svg><polyline stroke-width="1" points="0,0 1,1"/><polyline stroke-width="2" points="1,2"/><polyline stroke-width="2" points="3,4"/></svg>"#;
        let tagged = tag_series(svg, &["a & b", "c"]);
        assert_eq!(
            tagged,
            r#"<svg><polyline stroke-width="1" points="0,0 1,1"/><polyline class="series" data-series="a &amp; b" stroke-width="2" points="1,2"/><polyline class="series" data-series="c" stroke-width="2" points="3,4"/></svg>"#
        );
    }

    #[test]
    fn decades_read_as_percentages() {
        let labels: Vec<String> = [0.0, -1.0, -2.0, -3.0, -4.0, -0.5].iter().map(decade_label).collect();
        assert_eq!(labels, ["100%", "10%", "1%", "0.1%", "0.01%", ""]);
    }
}
