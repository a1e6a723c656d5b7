//! Reading a 50 MB Terraform plan: `cargo bench -p gambit-discover --bench read_plan`.
//!
//! The plan is the committed AWS shop fixture repeated as module instances
//! (`module.shop_N`, each with its own ids, names and ARNs) until it passes 50 MB; it is
//! built before timing. The account-wide policies (AdministratorAccess, ReadOnlyAccess,
//! `iam:PassRole` on `*`) stay in the first copy only: each grants on every component of
//! the plan, so 600 copies of them would make the fragment quadratic in the plan, which
//! is the model's meaning, not the reader's cost. The baseline is parsing the same JSON into a `serde_json::Value`,
//! the floor any reader pays.

use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::{Value, json};

const TARGET_BYTES: usize = 50 * 1024 * 1024;

/// Tokens of the fixture's identifying values, made unique per copy.
fn rename(text: &str, copy: usize) -> String {
    text.replace("111122223333", &format!("{:012}", 200_000_000_000 + copy))
        .replace("shop", &format!("shop{copy}"))
        .replace("sg-", &format!("sg{copy}-"))
        .replace("subnet-0", &format!("subnet{copy}-0"))
        .replace("vpc-0a1", &format!("vpc{copy}-0a1"))
        .replace("i-0", &format!("i{copy}-0"))
        .replace("api123", &format!("api123x{copy}"))
        .replace("rest1", &format!("rest1x{copy}"))
}

/// Policies that grant on every resource of the account.
const ACCOUNT_WIDE: &[&str] = &[
    "aws_iam_role_policy_attachment.deploy_admin",
    "aws_iam_role_policy_attachment.auditor_readonly",
    "aws_iam_role_policy.bastion",
];

fn without_account_wide(list: &Value) -> Value {
    let kept: Vec<Value> = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| !ACCOUNT_WIDE.contains(&r["address"].as_str().unwrap_or("")))
        .cloned()
        .collect();
    Value::Array(kept)
}

fn big_plan() -> String {
    let fixture = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/terraform/shop-plan.json"
    ))
    .unwrap();
    let plan: Value = serde_json::from_str(&fixture).unwrap();
    let lists = |c: usize| {
        let pick = |v: &Value| {
            if c == 0 {
                v.clone()
            } else {
                without_account_wide(v)
            }
        };
        (
            serde_json::to_string(&pick(&plan["planned_values"]["root_module"]["resources"]))
                .unwrap(),
            serde_json::to_string(&pick(&plan["resource_changes"])).unwrap(),
            serde_json::to_string(&pick(&plan["configuration"]["root_module"]["resources"]))
                .unwrap(),
        )
    };
    let (planned, changes, config) = lists(1);
    let per_copy = planned.len() + changes.len() + config.len();
    let copies = TARGET_BYTES / per_copy + 1;
    let (mut modules, mut all_changes, mut calls) =
        (Vec::new(), Vec::new(), serde_json::Map::new());
    for c in 0..copies {
        let (planned, changes, config) = lists(c);
        let prefix = format!("module.shop_{c}");
        let mut resources: Value = serde_json::from_str(&rename(&planned, c)).unwrap();
        for r in resources.as_array_mut().unwrap() {
            r["address"] = json!(format!("{prefix}.{}", r["address"].as_str().unwrap()));
        }
        modules.push(json!({"address": prefix, "resources": resources}));
        let mut ch: Value = serde_json::from_str(&rename(&changes, c)).unwrap();
        for r in ch.as_array_mut().unwrap() {
            r["address"] = json!(format!("{prefix}.{}", r["address"].as_str().unwrap()));
            r["module_address"] = json!(prefix);
        }
        all_changes.extend(ch.as_array().unwrap().iter().cloned());
        let cfg: Value = serde_json::from_str(&rename(&config, c)).unwrap();
        calls.insert(
            format!("shop_{c}"),
            json!({"source": "./shop", "module": {"resources": cfg}}),
        );
    }
    let doc = json!({
        "format_version": "1.2",
        "terraform_version": "1.11.0",
        "planned_values": {"root_module": {"child_modules": modules}},
        "resource_changes": all_changes,
        "configuration": {"root_module": {"module_calls": calls}},
    });
    serde_json::to_string(&doc).unwrap()
}

fn read_plan(c: &mut Criterion) {
    let text = big_plan();
    let found = gambit_discover::terraform::discover("big.json", &text).unwrap();
    eprintln!(
        "plan: {:.1} MB, {} components, {} flows, {} identities",
        text.len() as f64 / 1e6,
        found.components.len(),
        found.flows.len(),
        found.identities.len()
    );
    let mut group = c.benchmark_group("plan_50mb");
    group.sample_size(10);
    group.bench_function("parse_json_baseline", |b| {
        b.iter(|| serde_json::from_str::<Value>(&text).unwrap())
    });
    group.bench_function("discover", |b| {
        b.iter(|| gambit_discover::terraform::discover("big.json", &text).unwrap())
    });
    group.finish();
}

criterion_group!(benches, read_plan);
criterion_main!(benches);
