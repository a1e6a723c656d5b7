//! Risk tracking: applying the model's `risks:` decisions to the threats found, expiring
//! acceptances, and warning about decisions that name no threat (stale).

use std::collections::HashMap;

use gambit_model::ast::Date;
use gambit_model::vocab::RiskStatus;
use gambit_model::{Diagnostic, Model};

use crate::threat::{Decision, Threat, make_dread};

/// Applies every decision to its threat and returns warnings for stale decisions.
/// `today` decides whether an acceptance has expired (it has once `today > expires`).
pub fn apply_decisions(model: &Model, threats: &mut [Threat], today: Date) -> Vec<Diagnostic> {
    // A decision on a folded id applies to the threat it was folded into.
    let index: HashMap<&str, usize> = threats
        .iter()
        .enumerate()
        .flat_map(|(i, t)| {
            std::iter::once(t.id.as_str())
                .chain(t.also.iter().map(String::as_str))
                .map(move |id| (id, i))
        })
        .collect();
    let mut updates = Vec::new();
    let mut diags = Vec::new();
    for decision in &model.risks {
        match index.get(decision.threat.as_str()) {
            Some(&i) => updates.push((i, decision)),
            None => {
                let help = gambit_model::suggest::did_you_mean(
                    &decision.threat,
                    threats.iter().flat_map(|t| {
                        std::iter::once(t.id.as_str()).chain(t.also.iter().map(String::as_str))
                    }),
                )
                .unwrap_or_else(|| {
                    "the threat is gone (fixed or renamed): remove the decision, or check the id with `gambit analyze`".to_owned()
                });
                diags.push(
                    Diagnostic::warning(
                        "stale-risk",
                        format!(
                            "the decision on `{}` names no threat found in the model",
                            decision.threat
                        ),
                    )
                    .at(decision.span)
                    .label("no such threat")
                    .help(help),
                );
            }
        }
    }
    for (i, d) in updates {
        let t = &mut threats[i];
        let expired = d.status == RiskStatus::Accepted && d.expires.is_some_and(|e| today > e);
        t.status = d.status;
        t.open = matches!(d.status, RiskStatus::Open | RiskStatus::InProgress) || expired;
        t.status_note = match (d.status, d.expires) {
            (RiskStatus::Accepted, Some(e)) if expired => Some(format!(
                "accepted until {e}; the acceptance expired, so the threat counts as open again"
            )),
            (RiskStatus::Accepted, Some(e)) => Some(format!("accepted until {e}")),
            (s, _) => Some(format!("{s} by decision")),
        };
        t.decision = Some(Decision {
            justification: d.justification.clone(),
            owner: d.owner.clone(),
            ticket: d.ticket.clone(),
            expires: d.expires.map(|e| e.to_string()),
            expired,
        });
        if let Some(base) = t.dread {
            let o = d.dread;
            t.dread = Some(make_dread(
                o.damage.unwrap_or(base.damage),
                o.reproducibility.unwrap_or(base.reproducibility),
                o.exploitability.unwrap_or(base.exploitability),
                o.affected_users.unwrap_or(base.affected_users),
                o.discoverability.unwrap_or(base.discoverability),
            ));
        }
    }
    diags
}

/// Parses `YYYY-MM-DD` (a real calendar date).
pub fn parse_date(s: &str) -> Result<Date, String> {
    let err = || format!("`{s}` is not a date; write YYYY-MM-DD");
    let mut parts = s.trim().splitn(3, '-');
    let mut num = |len: usize| {
        parts
            .next()
            .filter(|p| p.len() == len && p.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|p| p.parse::<u16>().ok())
            .ok_or_else(err)
    };
    let (year, month, day) = (num(4)?, num(2)?, num(2)?);
    let month = u8::try_from(month).map_err(|_| err())?;
    let day = u8::try_from(day).map_err(|_| err())?;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return Err(err());
    }
    Ok(Date { year, month, day })
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Today's date in UTC, from the system clock.
pub fn today_utc() -> Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    civil_from_days(i64::try_from(secs / 86_400).unwrap_or(0))
}

/// The calendar date `days` after 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> Date {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    Date {
        year: u16::try_from(year).unwrap_or(u16::MAX),
        month: u8::try_from(month).unwrap_or(1),
        day: u8::try_from(day).unwrap_or(1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_strictly() {
        assert_eq!(parse_date("2026-02-28").unwrap().to_string(), "2026-02-28");
        assert!(parse_date("2026-02-29").is_err());
        assert!(parse_date("2024-02-29").is_ok());
        assert!(parse_date("2026-13-01").is_err());
        assert!(parse_date("26-01-01").is_err());
        assert!(parse_date("tomorrow").is_err());
    }

    #[test]
    fn epoch_days_become_dates() {
        assert_eq!(civil_from_days(0).to_string(), "1970-01-01");
        assert_eq!(civil_from_days(20_454).to_string(), "2026-01-01");
        assert_eq!(civil_from_days(19_782).to_string(), "2024-02-29");
    }
}
