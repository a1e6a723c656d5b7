//! Facts of the attack graph and their dense numbering.
//!
//! Every fact an attacker can hold (reach C, exec C, holds K, ...) gets a `u32` id in one
//! contiguous range per kind, so the engine keeps its state in flat vectors and never
//! hashes a name in its inner loop.

use gambit_model::{ActorId, AssetId, ComponentId, IdentityId, Model, ZoneId};

/// One fact about an attacker's capabilities.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Fact {
    Reach(ComponentId),
    Exec(ComponentId),
    Admin(ComponentId),
    /// Attacker-controlled content reaches this component (it consumes something the
    /// attacker tainted).
    Feed(ComponentId),
    Holds(AssetId),
    ActAs(IdentityId),
    Read(AssetId),
    Write(AssetId),
    Taint(AssetId),
    /// The attacker controls this actor (a starting position, never gained).
    Control(ActorId),
    /// The attacker has a position in this zone (internal bookkeeping for shared-zone
    /// reach and interception; never shown as a step).
    InZone(ZoneId),
}

impl Fact {
    /// The `gains` word of the CLI contract (`control` and `in-zone` are internal).
    pub fn gains(self) -> &'static str {
        match self {
            Fact::Reach(_) => "reach",
            Fact::Exec(_) => "exec",
            Fact::Admin(_) => "admin",
            Fact::Feed(_) => "feed",
            Fact::Holds(_) => "holds",
            Fact::ActAs(_) => "act-as",
            Fact::Read(_) => "read",
            Fact::Write(_) => "write",
            Fact::Taint(_) => "taint",
            Fact::Control(_) => "control",
            Fact::InZone(_) => "in-zone",
        }
    }

    /// The id of the model element the fact is about.
    pub fn on(self, model: &Model) -> &str {
        match self {
            Fact::Reach(c) | Fact::Exec(c) | Fact::Admin(c) | Fact::Feed(c) => &model[c].id,
            Fact::Holds(a) | Fact::Read(a) | Fact::Write(a) | Fact::Taint(a) => &model[a].id,
            Fact::ActAs(i) => &model[i].id,
            Fact::Control(a) => &model[a].id,
            Fact::InZone(z) => &model[z].id,
        }
    }

    /// "exec web", for labels.
    pub fn label(self, model: &Model) -> String {
        format!("{} {}", self.gains(), self.on(model))
    }
}

/// The numbering of every fact of one model.
#[derive(Clone, Copy, Debug)]
pub struct FactSpace {
    components: u32,
    assets: u32,
    identities: u32,
    actors: u32,
    zones: u32,
}

impl FactSpace {
    pub fn new(model: &Model) -> Self {
        let n = |len: usize| u32::try_from(len).expect("fewer than 4 billion elements");
        FactSpace {
            components: n(model.components.len()),
            assets: n(model.assets.len()),
            identities: n(model.identities.len()),
            actors: n(model.actors.len()),
            zones: n(model.zones.len()),
        }
    }

    /// How many fact ids there are.
    pub fn len(&self) -> usize {
        (4 * self.components + 5 * self.assets + self.identities + self.actors + self.zones)
            as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn bases(&self) -> [u32; 11] {
        let c = self.components;
        let a = self.assets;
        let holds = 4 * c;
        let act_as = holds + a;
        let read = act_as + self.identities;
        let write = read + a;
        let taint = write + a;
        let control = taint + a;
        let in_zone = control + self.actors;
        [
            0,
            c,
            2 * c,
            3 * c,
            holds,
            act_as,
            read,
            write,
            taint,
            control,
            in_zone,
        ]
    }

    pub fn id(&self, fact: Fact) -> u32 {
        let b = self.bases();
        match fact {
            Fact::Reach(c) => b[0] + c.0,
            Fact::Exec(c) => b[1] + c.0,
            Fact::Admin(c) => b[2] + c.0,
            Fact::Feed(c) => b[3] + c.0,
            Fact::Holds(a) => b[4] + a.0,
            Fact::ActAs(i) => b[5] + i.0,
            Fact::Read(a) => b[6] + a.0,
            Fact::Write(a) => b[7] + a.0,
            Fact::Taint(a) => b[8] + a.0,
            Fact::Control(a) => b[9] + a.0,
            Fact::InZone(z) => b[10] + z.0,
        }
    }

    pub fn fact(&self, id: u32) -> Fact {
        let b = self.bases();
        let lens = [
            self.components,
            self.components,
            self.components,
            self.components,
            self.assets,
            self.identities,
            self.assets,
            self.assets,
            self.assets,
            self.actors,
            self.zones,
        ];
        // Ranges are contiguous and in order: the first one that ends past `id` holds it.
        let k = (0..11).find(|&k| id < b[k] + lens[k]).unwrap_or(10);
        let i = id - b[k];
        match k {
            0 => Fact::Reach(ComponentId(i)),
            1 => Fact::Exec(ComponentId(i)),
            2 => Fact::Admin(ComponentId(i)),
            3 => Fact::Feed(ComponentId(i)),
            4 => Fact::Holds(AssetId(i)),
            5 => Fact::ActAs(IdentityId(i)),
            6 => Fact::Read(AssetId(i)),
            7 => Fact::Write(AssetId(i)),
            8 => Fact::Taint(AssetId(i)),
            9 => Fact::Control(ActorId(i)),
            _ => Fact::InZone(ZoneId(i)),
        }
    }
}
