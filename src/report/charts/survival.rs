//! How long callers held: the share still holding after t, one line per
//! series, on a log scale so that the worst 1% and the very longest holds
//! stay visible. The 95th percentile of each series is marked at 5% ("1 in 20
//! held longer than this") with its 95% interval as a whisker.

use plotters::prelude::*;

use super::{FONT, SERIES_WIDTH, WIDTH, colour, decade_label, failed, legend, time_step};
use crate::time::human_secs;

/// One line of the chart.
pub struct Curve<'a> {
    pub label: String,
    /// `(t seconds, share holding at least t)`, from `(0, 1)` on (see
    /// `Summary::survival_points`).
    pub points: &'a [(f64, f64)],
    /// The reported 95th percentile hold and its 95% interval.
    pub p95: Option<f64>,
    pub p95_ci95: Option<[f64; 2]>,
}

pub const HEIGHT: u32 = 400;

/// The share the 95th percentile marks sit at.
const ONE_IN_20: f64 = 0.05;

/// The chart as an SVG element; `None` when no series has a point (nobody
/// held). Series without points (email, or a caller type that never reached
/// a queue) are left out, legend included.
pub fn chart(curves: &[Curve]) -> Option<Result<String, String>> {
    super::series_chart(curves, |c| !c.points.is_empty(), |c| c.label.as_str(), draw)
}

fn draw(svg: &mut String, curves: &[&Curve]) -> Result<(), String> {
    let points = || curves.iter().flat_map(|c| c.points.iter());
    let t_max = points().map(|p| p.0).fold(1.0, f64::max);
    let s_min = points().map(|p| p.1).filter(|s| *s > 0.0).fold(1.0, f64::min);
    // Whole decades, from the one below the rarest share to 100%.
    let y_min = s_min.log10().floor().clamp(-7.0, -1.0);
    let step = time_step(t_max, 10);
    let x_max = (t_max / step).ceil().max(1.0);
    let y = |share: f64| if share > 0.0 { share.log10().max(y_min) } else { y_min };

    let root = SVGBackend::with_string(svg, (WIDTH, HEIGHT)).into_drawing_area();
    root.fill(&WHITE).map_err(failed)?;
    let mut chart = ChartBuilder::on(&root)
        .margin(14)
        .margin_right(36)
        .x_label_area_size(44)
        .y_label_area_size(70)
        .build_cartesian_2d(0.0..x_max, y_min..0.0)
        .map_err(failed)?;
    let x_label = |x: &f64| human_secs(x * step);
    chart
        .configure_mesh()
        .x_labels(x_max as usize + 1)
        .y_labels((-y_min) as usize + 1)
        .x_label_formatter(&x_label)
        .y_label_formatter(&decade_label)
        .x_desc("time on hold")
        .y_desc("still holding (log scale)")
        .label_style((FONT, 15))
        .axis_desc_style((FONT, 16))
        .light_line_style(WHITE)
        .bold_line_style(BLACK.mix(0.12))
        .draw()
        .map_err(failed)?;

    // The "1 in 20" guide: a thin rectangle, so that lines stay the data's.
    let guide = y(ONE_IN_20);
    let notch = (-y_min) * 0.012;
    chart
        .draw_series(std::iter::once(Rectangle::new(
            [(0.0, guide - notch / 10.0), (x_max, guide + notch / 10.0)],
            BLACK.mix(0.3).filled(),
        )))
        .map_err(failed)?;

    let n = curves.len() as f64;
    for (i, c) in curves.iter().enumerate() {
        let ink = colour(i);
        chart
            .draw_series(LineSeries::new(
                c.points.iter().map(|&(t, s)| (t / step, y(s))),
                ink.stroke_width(SERIES_WIDTH),
            ))
            .map_err(failed)?
            .label(c.label.as_str())
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 16, y + 5)], ink.filled()));
        // Dodged a little up or down so that several series' marks do not overlap.
        let at = guide + (i as f64 - (n - 1.0) / 2.0) * notch * 3.0;
        if let Some([lo, hi]) = c.p95_ci95 {
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(lo / step, at - notch / 2.0), (hi / step, at + notch / 2.0)],
                    ink.mix(0.6).filled(),
                )))
                .map_err(failed)?;
        }
        if let Some(p95) = c.p95 {
            chart.draw_series(std::iter::once(Circle::new((p95 / step, at), 4, ink.filled()))).map_err(failed)?;
        }
    }
    let points = curves.iter().flat_map(|c| c.points.iter().map(|&(t, s)| (t / step / x_max, (y(s) - y_min) / -y_min)));
    legend(&mut chart, super::emptiest_corner(points), 0.9, 15)?;
    root.present().map_err(failed)?;
    Ok(())
}
