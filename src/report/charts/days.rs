//! The days of a run (with a `volume_spread`): each simulated day's service
//! level, days ranked worst first, so that the worst day is at the left and
//! the 1-in-10 day where the guide at 10% of days crosses the line.

use plotters::prelude::*;

use super::{FONT, SERIES_WIDTH, WIDTH, colour, failed, legend, series_chart};

/// One line: a caller type's (or all callers') daily service levels.
pub struct DailyLevels {
    pub label: String,
    /// Shares in [0, 1], one per day that had calls reaching a queue, any order.
    pub levels: Vec<f64>,
}

const HEIGHT: u32 = 340;

/// The chart; `None` when no day has a service level.
pub fn chart(lines: &[DailyLevels]) -> Option<Result<String, String>> {
    series_chart(lines, |l| !l.levels.is_empty(), |l| l.label.as_str(), draw)
}

fn draw(svg: &mut String, lines: &[&DailyLevels]) -> Result<(), String> {
    let root = SVGBackend::with_string(svg, (WIDTH, HEIGHT)).into_drawing_area();
    root.fill(&WHITE).map_err(failed)?;
    let mut chart = ChartBuilder::on(&root)
        .margin(14)
        .margin_right(36)
        .x_label_area_size(44)
        .y_label_area_size(70)
        .build_cartesian_2d(0.0..100.0, 0.0..100.0)
        .map_err(failed)?;
    chart
        .configure_mesh()
        .x_labels(11)
        .y_labels(11)
        .x_label_formatter(&|x| format!("{x:.0}%"))
        .y_label_formatter(&|y| format!("{y:.0}%"))
        .x_desc("share of days, worst first")
        .y_desc("service level that day")
        .label_style((FONT, 15))
        .axis_desc_style((FONT, 16))
        .light_line_style(WHITE)
        .bold_line_style(BLACK.mix(0.12))
        .draw()
        .map_err(failed)?;
    // The 1-in-10 guide: a thin rectangle, so that lines stay the data's.
    chart
        .draw_series(std::iter::once(Rectangle::new([(9.85, 0.0), (10.15, 100.0)], BLACK.mix(0.3).filled())))
        .map_err(failed)?;
    for (i, l) in lines.iter().enumerate() {
        let mut levels = l.levels.clone();
        levels.sort_by(f64::total_cmp);
        let n = levels.len() as f64;
        // Day k (1-based, worst first) spans ((k-1)/n, k/n] of the days: a step per day.
        let steps = levels
            .iter()
            .enumerate()
            .flat_map(|(k, v)| [(k as f64 / n * 100.0, v * 100.0), ((k + 1) as f64 / n * 100.0, v * 100.0)]);
        let ink = colour(i);
        chart
            .draw_series(LineSeries::new(steps, ink.stroke_width(SERIES_WIDTH)))
            .map_err(failed)?
            .label(l.label.as_str())
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 16, y + 5)], ink.filled()));
    }
    legend(&mut chart, SeriesLabelPosition::LowerRight, 0.9, 15)?;
    root.present().map_err(failed)
}
