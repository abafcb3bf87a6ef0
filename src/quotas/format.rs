//! How quota headroom reads on screen and in the CLI: levels, bars, numbers.

use crate::config::QuotasConfig;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Unknown,
    Ok,
    Warn,
    Critical,
}

pub fn level(utilization: Option<f64>, config: &QuotasConfig) -> Level {
    match utilization {
        None => Level::Unknown,
        Some(u) if u >= config.critical => Level::Critical,
        Some(u) if u >= config.warn => Level::Warn,
        Some(_) => Level::Ok,
    }
}

/// `██████░░░░` of `width` cells; over-quota fills the bar.
pub fn bar(utilization: Option<f64>, width: usize) -> String {
    let Some(u) = utilization else {
        return "·".repeat(width);
    };
    // From the percentage shown beside it, so equal percentages draw equal bars.
    let filled = ((whole_percent(u).min(100) * width + 50) / 100).min(width);
    format!("{}{}", "█".repeat(filled), "░".repeat(width - filled))
}

/// `62%`, or `—` when unknown.
pub fn percent(utilization: Option<f64>) -> String {
    utilization.map_or_else(|| "—".to_string(), |u| format!("{}%", whole_percent(u)))
}

/// The utilization as the whole percentage shown (ties to even, as `{:.0}` prints them;
/// below zero is 0).
fn whole_percent(u: f64) -> usize {
    (u.max(0.0) * 100.0).round_ties_even() as usize
}

/// Integers without `.0`; fractions with up to two decimals.
pub fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v:.2}")
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    }
}

/// `20 / 32`, `— / 5` when usage is unknown.
pub fn usage_of(usage: Option<f64>, value: f64) -> String {
    format!(
        "{} / {}",
        usage.map_or_else(|| "—".to_string(), number),
        number(value)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_follow_the_thresholds() {
        let c = QuotasConfig::default();
        assert_eq!(level(None, &c), Level::Unknown);
        assert_eq!(level(Some(0.5), &c), Level::Ok);
        assert_eq!(level(Some(0.8), &c), Level::Warn);
        assert_eq!(level(Some(0.95), &c), Level::Critical);
        assert_eq!(level(Some(1.4), &c), Level::Critical);
    }

    #[test]
    fn bars_and_numbers() {
        assert_eq!(bar(Some(0.5), 4), "██░░");
        assert_eq!(bar(Some(2.0), 4), "████");
        assert_eq!(bar(None, 3), "···");
        assert_eq!(number(1152.0), "1152");
        assert_eq!(number(0.25), "0.25");
        assert_eq!(usage_of(Some(20.0), 32.0), "20 / 32");
        assert_eq!(percent(Some(0.625)), "62%");
    }
}
