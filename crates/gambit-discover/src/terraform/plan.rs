//! The JSON of `terraform show -json PLAN` (format 1.x): the resources it will leave in
//! place, their planned values, and the configuration's expression references, which say
//! what an attribute points at when its value is unknown until apply.

// foldhash: the maps are keyed by addresses and values of the plan itself; SipHash's
// flood resistance bought nothing here and cost a tenth of reading a large plan.
use foldhash::{HashMap, HashMapExt};

use serde_json::Value;

use crate::error::ReadError;

/// One resource instance of the plan.
pub struct Resource<'p> {
    pub address: String,
    pub kind: &'p str,
    /// A data source (`data.…`): read for what it says, never a model element.
    pub data: bool,
    pub values: &'p Value,
    /// `after_unknown` of its change: which attributes are known only after apply.
    pub unknown: Option<&'p Value>,
    /// Its block in `configuration` (`expressions`), when found.
    pub config: Option<&'p Value>,
    /// The module path it sits in, `""` for the root (`module.net.`).
    pub module: String,
}

/// The parts of a plan discovery reads. The rest (prior state, the `before` and `after`
/// of each change, output changes) is skipped while parsing and never built, which
/// halves the work on large plans.
#[derive(serde::Deserialize)]
pub struct RawPlan {
    format_version: Option<Value>,
    planned_values: Option<Value>,
    resource_changes: Option<Vec<RawChange>>,
    configuration: Option<Value>,
}

#[derive(serde::Deserialize)]
struct RawChange {
    address: Option<String>,
    change: Option<RawChangeBody>,
}

#[derive(serde::Deserialize)]
struct RawChangeBody {
    after_unknown: Option<Value>,
}

pub struct Plan<'p> {
    pub resources: Vec<Resource<'p>>,
    /// Address without instance key → indexes into `resources`.
    by_base: HashMap<String, Vec<usize>>,
    /// Known identifying values (ids, ARNs, names, DNS names) → resource indexes (a role
    /// and its instance profile may share a name).
    by_value: HashMap<&'p str, Vec<usize>>,
    /// Known ARNs, sorted, for IAM resource patterns.
    arns: Vec<(&'p str, usize)>,
}

/// Attributes whose values other resources use to point at this one.
const IDENTIFYING: &[&str] = &[
    "id",
    "arn",
    "name",
    "bucket",
    "dns_name",
    "bucket_regional_domain_name",
    "bucket_domain_name",
    "invoke_arn",
    "repository_url",
    "address",
    "endpoint",
    "function_name",
    "identifier",
    "cluster_identifier",
    "cluster_id",
];

impl<'p> Plan<'p> {
    pub fn read(file: &str, text: &str, raw: &'p RawPlan) -> Result<Plan<'p>, ReadError> {
        match raw.format_version.as_ref().and_then(Value::as_str) {
            Some(v) if v.starts_with("1.") => {}
            Some(v) => {
                return Err(ReadError::new(
                    file,
                    format!("plan format `{v}` is not supported (this Gambit reads format 1.x)"),
                )
                .at_offset(text, key_offset(text, "format_version")));
            }
            None => return Err(not_a_plan(file, "it has no `format_version`")),
        }
        let Some(planned) = &raw.planned_values else {
            return Err(not_a_plan(
                file,
                "it has no `planned_values` (is it `terraform show -json` of a state, not a plan?)",
            ));
        };
        let changes = after_unknown_by_address(raw.resource_changes.as_deref());
        let config = config_by_address(raw.configuration.as_ref());
        let mut plan = Plan {
            resources: Vec::new(),
            by_base: HashMap::new(),
            by_value: HashMap::new(),
            arns: Vec::new(),
        };
        let mut stack: Vec<&Value> = planned.get("root_module").into_iter().collect();
        while let Some(module) = stack.pop() {
            for r in module
                .get("resources")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                plan.add(r, &changes, &config);
            }
            if let Some(children) = module.get("child_modules").and_then(Value::as_array) {
                stack.extend(children.iter().rev());
            }
        }
        plan.resources.sort_by(|a, b| a.address.cmp(&b.address));
        plan.index();
        plan.arns.sort_unstable();
        Ok(plan)
    }

    fn add(
        &mut self,
        r: &'p Value,
        changes: &HashMap<&'p str, &'p Value>,
        config: &HashMap<String, &'p Value>,
    ) {
        let (Some(address), Some(kind)) = (
            r.get("address").and_then(Value::as_str),
            r.get("type").and_then(Value::as_str),
        ) else {
            return;
        };
        let mode = r.get("mode").and_then(Value::as_str).unwrap_or("managed");
        let address = address.to_owned();
        let base = base_address(&address);
        let module = module_of(base);
        let config_key = format!("{}{}", strip_module_keys(&module), &base[module.len()..]);
        self.resources.push(Resource {
            kind,
            data: mode == "data",
            values: r.get("values").unwrap_or(&Value::Null),
            unknown: changes.get(address.as_str()).copied(),
            config: config.get(&config_key).copied(),
            module,
            address,
        });
    }

    fn index(&mut self) {
        self.by_base.reserve(self.resources.len());
        self.by_value.reserve(2 * self.resources.len());
        for (i, r) in self.resources.iter().enumerate() {
            if let Some(arn) = r.values.get("arn").and_then(Value::as_str) {
                self.arns.push((arn, i));
            }
            self.by_base
                .entry(base_address(&r.address).to_owned())
                .or_default()
                .push(i);
            for key in IDENTIFYING {
                if let Some(v) = r.values.get(*key).and_then(Value::as_str)
                    && !v.is_empty()
                {
                    let at = self.by_value.entry(v).or_default();
                    if !at.contains(&i) {
                        at.push(i);
                    }
                }
            }
        }
    }

    /// The resources an attribute points at, following `path` through nested blocks
    /// (`["network_configuration", "subnets"]`): by its planned value when known, and by
    /// the configuration's references (so values unknown until apply still resolve).
    pub fn refs(&self, r: &Resource<'p>, path: &[&str]) -> Vec<usize> {
        let mut found = Vec::new();
        let mut values = Vec::new();
        strings_at(r.values, path, &mut values);
        for v in values {
            found.extend(self.by_value(v));
            found.extend(self.by_arn_prefix(v));
        }
        if let Some(config) = r.config {
            let mut references = Vec::new();
            references_at(config.get("expressions"), path, &mut references);
            for reference in references {
                found.extend(self.resolve_reference(&r.module, reference));
            }
        }
        found.sort_unstable();
        found.dedup();
        found
    }

    /// The resources whose ARN matches an IAM pattern (`*` and `?` wildcards): only the
    /// ARNs sharing the pattern's literal prefix are tested.
    pub fn arns_matching(&self, pattern: &str, glob: impl Fn(&str, &str) -> bool) -> Vec<usize> {
        let literal = &pattern[..pattern.find(['*', '?']).unwrap_or(pattern.len())];
        let start = self.arns.partition_point(|(arn, _)| *arn < literal);
        self.arns[start..]
            .iter()
            .take_while(|(arn, _)| arn.starts_with(literal))
            .filter(|(arn, _)| glob(pattern, arn))
            .map(|&(_, i)| i)
            .collect()
    }

    /// A resource by one of its identifying values (an id, an ARN, a name).
    pub fn by_value(&self, value: &str) -> Vec<usize> {
        self.by_value.get(value).cloned().unwrap_or_default()
    }

    /// `arn:aws:s3:::bucket/*` names the bucket `arn:aws:s3:::bucket`.
    fn by_arn_prefix(&self, value: &str) -> Vec<usize> {
        match value.rfind(['/', ':']) {
            Some(cut) => self.by_value(&value[..cut]),
            None => Vec::new(),
        }
    }

    /// `aws_security_group.web.id` written in module `module.net.` → the instances of
    /// `module.net.aws_security_group.web`.
    pub fn resolve_reference(&self, module: &str, reference: &str) -> Vec<usize> {
        let parts: Vec<&str> = reference.split('.').collect();
        let skip = usize::from(parts.first() == Some(&"data"));
        if parts.len() < 2 + skip {
            return Vec::new();
        }
        let name = base_address(parts[1 + skip]);
        let head = if skip == 1 {
            format!("{module}data.{}.{name}", parts[1])
        } else {
            format!("{module}{}.{name}", parts[0])
        };
        self.by_base.get(&head).cloned().unwrap_or_default()
    }

    /// Is the attribute known only after apply?
    pub fn is_unknown(r: &Resource<'_>, key: &str) -> bool {
        r.unknown
            .and_then(|u| u.get(key))
            .is_some_and(|v| v == &Value::Bool(true))
    }
}

fn not_a_plan(file: &str, why: &str) -> ReadError {
    ReadError::new(
        file,
        format!("not a Terraform plan: {why}; write one with `terraform show -json PLANFILE`"),
    )
    .at(1, 1)
}

/// Where a top-level key is written, for an error about its value.
fn key_offset(text: &str, key: &str) -> usize {
    text.find(&format!("\"{key}\"")).unwrap_or(0)
}

/// `aws_instance.web[0]` → `aws_instance.web`; `module.a["x"].aws_s3_bucket.b` keeps its
/// module key (that is part of where the resource lives).
pub fn base_address(address: &str) -> &str {
    match address.rfind('.') {
        Some(dot) => match address[dot..].find('[') {
            Some(open) => &address[..dot + open],
            None => address,
        },
        None => address,
    }
}

/// `module.a.module.b.aws_x.y` → `module.a.module.b.`.
fn module_of(base: &str) -> String {
    let mut end = 0;
    let mut rest = base;
    while let Some(after) = rest.strip_prefix("module.") {
        let Some(dot) = after.find('.') else { break };
        end += "module.".len() + dot + 1;
        rest = &after[dot + 1..];
    }
    base[..end].to_owned()
}

/// Module instance keys are not part of the configuration's paths.
fn strip_module_keys(module: &str) -> String {
    let mut out = String::with_capacity(module.len());
    let mut depth = 0;
    for c in module.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

fn after_unknown_by_address(changes: Option<&[RawChange]>) -> HashMap<&str, &Value> {
    let mut map = HashMap::new();
    for c in changes.into_iter().flatten() {
        let unknown = c.change.as_ref().and_then(|b| b.after_unknown.as_ref());
        if let (Some(address), Some(unknown)) = (c.address.as_deref(), unknown) {
            map.insert(address, unknown);
        }
    }
    map
}

/// Every resource block of the configuration, keyed by its address with module paths
/// (`module.net.aws_subnet.private`), following `module_calls` (depth-limited).
fn config_by_address(configuration: Option<&Value>) -> HashMap<String, &Value> {
    let mut map = HashMap::new();
    let mut stack: Vec<(String, &Value, usize)> = configuration
        .and_then(|c| c.get("root_module"))
        .map(|m| (String::new(), m, 0))
        .into_iter()
        .collect();
    while let Some((prefix, module, depth)) = stack.pop() {
        for r in module
            .get("resources")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(address) = r.get("address").and_then(Value::as_str) {
                map.insert(format!("{prefix}{address}"), r);
            }
        }
        if depth >= 16 {
            continue;
        }
        for (name, call) in module
            .get("module_calls")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            if let Some(inner) = call.get("module") {
                stack.push((format!("{prefix}module.{name}."), inner, depth + 1));
            }
        }
    }
    map
}

/// The strings at `path`, descending through nested blocks (lists of objects).
pub fn strings_at<'v>(value: &'v Value, path: &[&str], out: &mut Vec<&'v str>) {
    match value {
        Value::Array(items) => items.iter().for_each(|v| strings_at(v, path, out)),
        Value::String(s) if path.is_empty() => out.push(s),
        Value::Object(map) => {
            if let Some((first, rest)) = path.split_first()
                && let Some(inner) = map.get(*first)
            {
                strings_at(inner, rest, out);
            }
        }
        _ => {}
    }
}

/// The `references` of the expression at `path` in a configuration block.
fn references_at<'v>(expressions: Option<&'v Value>, path: &[&str], out: &mut Vec<&'v str>) {
    let Some(value) = expressions else { return };
    match value {
        Value::Array(items) => items.iter().for_each(|v| references_at(Some(v), path, out)),
        Value::Object(map) => match path.split_first() {
            Some((first, rest)) => references_at(map.get(*first), rest, out),
            None => out.extend(
                map.get("references")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str),
            ),
        },
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_split_into_module_base_and_key() {
        assert_eq!(base_address("aws_instance.web[0]"), "aws_instance.web");
        assert_eq!(
            base_address("module.a[\"x\"].aws_s3_bucket.b"),
            "module.a[\"x\"].aws_s3_bucket.b"
        );
        assert_eq!(module_of("module.a.module.b.aws_x.y"), "module.a.module.b.");
        assert_eq!(module_of("aws_x.y"), "");
        assert_eq!(
            strip_module_keys("module.a[\"x\"].module.b[0]."),
            "module.a.module.b."
        );
    }
}
