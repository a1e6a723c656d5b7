//! `gambit discover terraform PLAN.json | kubernetes PATH... [-o FILE]`: writes a model
//! fragment to include from a hand-written model; findings and skipped resource types
//! go to standard error. All the work is in gambit-discover.

use crate::cli::{DiscoverArgs, DiscoverSource};
use crate::error::{CommandResult, Failure, Outcome};
use crate::sink;

pub(crate) fn run(args: &DiscoverArgs) -> CommandResult {
    let fragment = match &args.source {
        DiscoverSource::Terraform { plan, max_size } => {
            gambit_discover::terraform::discover_file(plan, *max_size)
        }
        DiscoverSource::Kubernetes { paths } => gambit_discover::kubernetes::discover_paths(paths),
    }
    .map_err(|e| Failure::bad_input(e.to_string()))?;
    anstream::eprint!("{}", fragment.summary_text());
    let yaml = fragment.to_yaml();
    sink::write_to(args.output.as_deref(), |out| out.write_all(yaml.as_bytes()))?;
    Ok(Outcome::Success)
}
