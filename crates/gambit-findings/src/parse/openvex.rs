//! OpenVEX documents: statements that a vulnerability does or does not affect products,
//! applied over the findings of every other file.

use serde::Deserialize;

use super::{Capped, state_of};
use crate::finding::{State, clip};

#[derive(Deserialize)]
pub(super) struct Statement {
    /// `{"name": "CVE-...", "aliases": [...]}` (v0.2) or a plain id (v0.0.x).
    vulnerability: serde_json::Value,
    #[serde(default)]
    products: Capped<serde_json::Value>,
    status: String,
}

/// A statement as applied: the vulnerability's names, the products it is about (empty:
/// every product) and the state it sets.
#[derive(Clone, Debug)]
pub struct VexStatement {
    pub names: Vec<String>,
    pub products: Vec<Product>,
    /// `None` for a status word this version does not know (the statement then changes
    /// nothing).
    pub state: Option<State>,
}

/// A product: its `@id` and package URL, and the packages inside it it is about.
#[derive(Clone, Debug, Default)]
pub struct Product {
    pub ids: Vec<String>,
    pub subcomponents: Vec<String>,
}

fn text(v: &serde_json::Value) -> Option<String> {
    v.as_str().map(|s| clip(s.to_owned()))
}

/// The `@id` and `identifiers.purl` of a product or subcomponent (or the plain string).
fn ids_of(v: &serde_json::Value) -> Vec<String> {
    if let Some(s) = text(v) {
        return vec![s];
    }
    let mut ids: Vec<String> = v.get("@id").and_then(text).into_iter().collect();
    if let Some(purl) = v.pointer("/identifiers/purl").and_then(text) {
        ids.push(purl);
    }
    ids
}

impl Statement {
    pub fn into_statement(self) -> VexStatement {
        let v = &self.vulnerability;
        let mut names: Vec<String> = text(v)
            .into_iter()
            .chain(v.get("name").and_then(text))
            .chain(v.get("@id").and_then(text))
            .collect();
        if let Some(aliases) = v.get("aliases").and_then(|a| a.as_array()) {
            names.extend(
                aliases
                    .iter()
                    .take(crate::finding::limits::MAX_LIST)
                    .filter_map(text),
            );
        }
        let products = self
            .products
            .into_vec()
            .iter()
            .map(|p| Product {
                ids: ids_of(p),
                subcomponents: p
                    .get("subcomponents")
                    .and_then(|s| s.as_array())
                    .map(|list| {
                        list.iter()
                            .take(crate::finding::limits::MAX_LIST)
                            .flat_map(ids_of)
                            .collect()
                    })
                    .unwrap_or_default(),
            })
            .collect();
        VexStatement {
            names,
            products,
            state: state_of(&self.status),
        }
    }
}
