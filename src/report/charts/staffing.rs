//! `shop staff`'s day: the agents each pool needs per interval beside the
//! file's shifts today, as steps (agents are on duty the whole interval).

use plotters::prelude::*;

use super::day::interval_mesh;
use super::{SERIES_WIDTH, WIDTH, colour, failed, legend, tag_series};

/// One step line: a pool's agents per interval, needed or today.
pub struct Line<'a> {
    pub label: String,
    pub values: &'a [f64],
    /// The pool's position: its colour.
    pub pool: usize,
    /// Today's shifts (drawn lighter) rather than the agents needed.
    pub current: bool,
}

const HEIGHT: u32 = 320;

/// The chart, or `None` when there is no interval.
pub fn chart(labels: &[&str], lines: &[Line]) -> Option<Result<String, String>> {
    if labels.is_empty() {
        return None;
    }
    let n = labels.len() as f64;
    let top = lines.iter().flat_map(|l| l.values.iter()).fold(1.0f64, |m, v| m.max(*v)) * 1.3;
    let mut svg = String::new();
    let drawn = (|| {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(failed)?;
        let mut chart = ChartBuilder::on(&root)
            .margin(10)
            .margin_right(16)
            .x_label_area_size(30)
            .y_label_area_size(70)
            .build_cartesian_2d(0.0..n, 0.0..top)
            .map_err(failed)?;
        interval_mesh(&mut chart, labels, (6, &|v| format!("{v:.0}")), "agents on the phones")?;
        for l in lines {
            let ink = if l.current { colour(l.pool).mix(0.45) } else { colour(l.pool).mix(1.0) };
            let steps = l.values.iter().enumerate().flat_map(|(k, v)| [(k as f64, *v), (k as f64 + 1.0, *v)]);
            chart
                .draw_series(LineSeries::new(steps, ink.stroke_width(SERIES_WIDTH)))
                .map_err(failed)?
                .label(l.label.as_str())
                .legend(move |(x, y)| Rectangle::new([(x, y - 3), (x + 16, y + 3)], ink.filled()));
        }
        let points =
            lines.iter().flat_map(|l| l.values.iter().enumerate().map(move |(k, v)| ((k as f64 + 0.5) / n, v / top)));
        legend(&mut chart, super::emptiest_corner(points), 0.75, 13)?;
        root.present().map_err(failed)
    })();
    let names: Vec<&str> = lines.iter().map(|l| l.label.as_str()).collect();
    Some(drawn.map(|()| tag_series(&svg, &names)))
}
