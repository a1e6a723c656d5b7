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

/// Parses `YYYY-MM-DD` (a real calendar date), as the model's dates are read.
pub fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s.trim()).ok_or_else(|| format!("`{s}` is not a date; write YYYY-MM-DD"))
}

/// Today's date in UTC, from the system clock.
pub fn today_utc() -> Date {
    Date::today_utc()
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
    fn signs_and_short_years_are_not_dates() {
        for text in [
            "+024-01-01",
            "-024-01-01",
            "+2024-01-01",
            "02024-01-01",
            "2024-1-01",
        ] {
            assert!(parse_date(text).is_err(), "{text}");
        }
    }

    #[test]
    fn today_is_a_real_date() {
        let today = today_utc();
        assert_eq!(parse_date(&today.to_string()), Ok(today));
        assert!(today.year >= 2024);
    }
}
