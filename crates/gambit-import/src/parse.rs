//! Reading the source file: JSON or YAML into serde types, every failure an
//! [`ImportError`] naming the file and, where there is one, the line and column.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::{Format, ImportError};

/// The file being imported.
pub(crate) struct Source<'a> {
    pub(crate) file: &'a str,
    pub(crate) text: &'a str,
    pub(crate) format: Format,
}

impl Source<'_> {
    pub(crate) fn error(
        &self,
        line: Option<usize>,
        column: Option<usize>,
        message: String,
    ) -> ImportError {
        ImportError {
            file: self.file.to_owned(),
            line,
            column,
            message,
        }
    }

    /// The whole file as JSON into `T`; syntax and type errors carry line and column
    /// (serde_json caps nesting at 128 levels).
    pub(crate) fn json<T: DeserializeOwned>(&self) -> Result<T, ImportError> {
        serde_json::from_str(self.text).map_err(|e| {
            let what = if e.is_data() {
                format!("not a {} model: {e}", self.format.name())
            } else {
                format!("not valid JSON: {e}")
            };
            // serde_json appends " at line L column C"; the location is reported apart.
            let what = what
                .rsplit_once(" at line ")
                .map_or(what.clone(), |(head, _)| head.to_owned());
            self.error(Some(e.line()), Some(e.column().max(1)), what)
        })
    }

    /// The whole file as YAML (1.2 core schema, the model loader's budgets against alias
    /// bombs and deep nesting), with merge keys (`<<`) applied and null values dropped so
    /// that an empty key reads as its default.
    pub(crate) fn yaml(&self) -> Result<Value, ImportError> {
        let mut value = gambit_model::yaml_to_json(self.text).map_err(|d| {
            let at = d.span.map(|span| {
                let file =
                    gambit_model::SourceFile::new(self.file.to_owned(), None, self.text.to_owned());
                file.line_col(span.start)
            });
            self.error(
                at.map(|a| a.line as usize),
                at.map(|a| a.column as usize),
                format!("not valid YAML: {}", d.message),
            )
        })?;
        normalize(&mut value, 0);
        Ok(value)
    }

    /// One part of a parsed document into `T`. `at` names the part (`technical_assets."Web
    /// Server"`) and `key` is the text to look for to give it a line.
    pub(crate) fn part<T: DeserializeOwned>(
        &self,
        value: Value,
        at: &str,
        key: &str,
    ) -> Result<T, ImportError> {
        serde_json::from_value(value)
            .map_err(|e| self.error(self.line_of(key), None, format!("{at}: {e}")))
    }

    /// The first line on which `key` appears as a mapping key, for locating problems in a
    /// parsed document (whose values have lost their positions).
    pub(crate) fn line_of(&self, key: &str) -> Option<usize> {
        if key.is_empty() {
            return None;
        }
        self.text
            .lines()
            .position(|line| {
                let line = line.trim_start().trim_start_matches("- ");
                line.strip_prefix(key)
                    .or_else(|| {
                        line.strip_prefix('"')
                            .and_then(|l| l.strip_prefix(key))
                            .and_then(|l| l.strip_prefix('"'))
                    })
                    .is_some_and(|rest| rest.trim_start().starts_with(':'))
            })
            .map(|i| i + 1)
    }
}

/// Applies YAML merge keys and drops nulls in mappings. Depth is bounded by the parser's
/// nesting cap; `depth` guards it anyway.
fn normalize(value: &mut Value, depth: usize) {
    if depth > 256 {
        return;
    }
    match value {
        Value::Object(map) => {
            if let Some(merged) = map.remove("<<") {
                let sources = match merged {
                    Value::Array(items) => items,
                    other => vec![other],
                };
                for source in sources {
                    if let Value::Object(source) = source {
                        for (k, v) in source {
                            map.entry(k).or_insert(v);
                        }
                    }
                }
            }
            map.retain(|_, v| !v.is_null());
            map.values_mut().for_each(|v| normalize(v, depth + 1));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| normalize(v, depth + 1)),
        _ => {}
    }
}

/// A string written as a string, number or boolean (`id: 42`, `version: 1.0`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Text(pub(crate) String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Value::deserialize(d)? {
            Value::String(s) => Ok(Text(s)),
            Value::Null => Ok(Text(String::new())),
            Value::Bool(b) => Ok(Text(b.to_string())),
            Value::Number(n) => Ok(Text(n.to_string())),
            other => Err(serde::de::Error::custom(format!(
                "expected a string, found {}",
                kind_of(&other)
            ))),
        }
    }
}

impl Text {
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

/// Accepts `null` where a collection or string is expected (JSON tools write it freely).
pub(crate) fn nullable<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}
