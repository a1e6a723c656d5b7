//! The server's store: SQLite (a file, the default) or PostgreSQL (`postgres://`), one
//! set of queries for both. Queries are checked at run time (no build-time database);
//! they use `$N` placeholders, which both backends read. Every write that changes more
//! than one row, or that records an audit entry, runs in one transaction: a crash
//! leaves either all of it or none of it.

use std::borrow::Cow;
use std::str::FromStr;
use std::time::Duration;

use serde::Serialize;
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};
use sqlx::{Row, SqlSafeStr};

use crate::auth::Role;

/// Where the data lives.
#[derive(Clone, Debug)]
pub enum Store {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs the same code against whichever pool the store has: the queries are the same
/// text for both backends, only the driver types differ.
macro_rules! on_pool {
    ($store:expr, $pool:ident => $body:expr) => {
        match $store {
            Store::Sqlite($pool) => $body,
            Store::Postgres($pool) => $body,
        }
    };
}

/// A store error: the database failed, or a write conflicts with what is there.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0}")]
    Conflict(String),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("database migration: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
}

type Result<T> = std::result::Result<T, StoreError>;

/// The migrations of each backend, embedded in the binary (versioned, applied in order,
/// checksummed by sqlx so an edited migration is refused).
const SQLITE_MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "initial",
        include_str!("../migrations/sqlite/0001_initial.sql"),
    ),
    (
        2,
        "bundles",
        include_str!("../migrations/sqlite/0002_bundles.sql"),
    ),
];
const POSTGRES_MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "initial",
        include_str!("../migrations/postgres/0001_initial.sql"),
    ),
    (
        2,
        "bundles",
        include_str!("../migrations/postgres/0002_bundles.sql"),
    ),
];

fn migrator(migrations: &'static [(i64, &'static str, &'static str)]) -> Migrator {
    Migrator::with_migrations(
        migrations
            .iter()
            .map(|&(version, description, sql)| {
                Migration::new(
                    version,
                    Cow::Borrowed(description),
                    MigrationType::Simple,
                    sql.into_sql_str(),
                    false,
                )
            })
            .collect(),
    )
}

/// A token as the server checks it.
#[derive(Clone, Debug)]
pub struct TokenRow {
    pub name: String,
    pub role: Role,
    /// The one project the token may use, or every project.
    pub project: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Project {
    pub name: String,
    pub created_at: String,
    pub created_by: String,
    /// The number of model versions pushed.
    pub versions: i64,
}

/// A model version to store, with the figures the trend shows.
pub struct NewVersion<'a> {
    pub revision: Option<&'a str>,
    pub source: &'a str,
    /// `source` is a bundle document (several files), not one model's text.
    pub bundle: bool,
    pub report_json: &'a str,
    pub open: gambit_report::SeverityCounts,
    pub crown_jewels_exposed: usize,
}

/// A stored model version (without its report document).
#[derive(Clone, Debug, Serialize)]
pub struct Version {
    #[serde(skip)]
    pub id: i64,
    pub version: i64,
    pub revision: Option<String>,
    #[serde(skip)]
    pub source: String,
    /// `source` is a bundle document (several files), not one model's text.
    #[serde(skip)]
    pub bundle: bool,
    pub created_at: String,
    pub created_by: String,
}

/// One version's point of the trend.
#[derive(Clone, Debug, Serialize)]
pub struct TrendPoint {
    pub version: i64,
    pub revision: Option<String>,
    pub created_at: String,
    pub open_threats: OpenCounts,
    pub crown_jewels_exposed: i64,
}

#[derive(Clone, Debug, Serialize)]
pub struct OpenCounts {
    pub critical: i64,
    pub elevated: i64,
    pub high: i64,
    pub low: i64,
    pub medium: i64,
}

/// A risk decision as the API takes it.
#[derive(Clone, Debug, Serialize)]
pub struct NewDecision {
    pub threat: String,
    pub status: String,
    pub justification: Option<String>,
    pub owner: Option<String>,
    pub ticket: Option<String>,
    pub expires: Option<String>,
}

/// A recorded decision.
#[derive(Clone, Debug, Serialize)]
pub struct DecisionRow {
    pub id: i64,
    #[serde(flatten)]
    pub decision: NewDecision,
    pub decided_by: String,
    pub decided_at: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub project: Option<String>,
    pub detail: serde_json::Value,
}

/// Which version of a project.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Selector {
    Latest,
    Number(i64),
}

/// Now, as the store writes it.
fn now() -> String {
    jiff::Timestamp::now().to_string()
}

impl Store {
    /// Opens (creating a SQLite file when missing) and migrates the store named by
    /// `url`: `postgres://…` or `postgresql://…`, `sqlite://PATH`, or a plain file path.
    pub async fn open(url: &str) -> Result<Store> {
        let store = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .connect(url)
                .await?;
            Store::Postgres(pool)
        } else {
            let path = url.strip_prefix("sqlite://").unwrap_or(url);
            let options = SqliteConnectOptions::from_str(&format!("sqlite://{path}"))?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10));
            let pool = SqlitePoolOptions::new()
                .max_connections(8)
                .connect_with(options)
                .await?;
            Store::Sqlite(pool)
        };
        store.migrate().await?;
        Ok(store)
    }

    async fn migrate(&self) -> Result<()> {
        match self {
            Store::Sqlite(pool) => migrator(SQLITE_MIGRATIONS).run(pool).await?,
            Store::Postgres(pool) => migrator(POSTGRES_MIGRATIONS).run(pool).await?,
        }
        Ok(())
    }

    /// Which backend, for logs and `/health`.
    pub fn backend(&self) -> &'static str {
        match self {
            Store::Sqlite(_) => "sqlite",
            Store::Postgres(_) => "postgres",
        }
    }

    pub async fn close(&self) {
        on_pool!(self, pool => pool.close().await)
    }

    // ---- tokens ----

    /// Records a token by its hash; a name already used is a conflict.
    pub async fn create_token(
        &self,
        name: &str,
        role: Role,
        project: Option<&str>,
        hash: &str,
    ) -> Result<()> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let taken = sqlx::query("SELECT 1 FROM tokens WHERE name = $1")
                .bind(name)
                .fetch_optional(&mut *tx)
                .await?;
            if taken.is_some() {
                return Err(StoreError::Conflict(format!("a token named `{name}` exists already")));
            }
            sqlx::query("INSERT INTO tokens (name, role, project, hash, created_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(name)
                .bind(role.as_str())
                .bind(project)
                .bind(hash)
                .bind(now())
                .execute(&mut *tx)
                .await?;
            let detail = serde_json::json!({"token": name, "role": role.as_str(), "project": project});
            sqlx::query("INSERT INTO audit (at, actor, action, project, detail) VALUES ($1, $2, $3, $4, $5)")
                .bind(now()).bind("command line").bind("token-created").bind(project).bind(detail.to_string())
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Revokes the token named `name`; false when no live token has that name.
    pub async fn revoke_token(&self, name: &str) -> Result<bool> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let done = sqlx::query("UPDATE tokens SET revoked_at = $1 WHERE name = $2 AND revoked_at IS NULL")
                .bind(now())
                .bind(name)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if done > 0 {
                let detail = serde_json::json!({"token": name});
                sqlx::query("INSERT INTO audit (at, actor, action, project, detail) VALUES ($1, $2, $3, $4, $5)")
                    .bind(now()).bind("command line").bind("token-revoked").bind(None::<String>).bind(detail.to_string())
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok(done > 0)
        })
    }

    /// The live token whose hash is `hash`. The lookup is by hash, so the secret itself
    /// is never compared byte by byte (no timing leak about it).
    pub async fn token_by_hash(&self, hash: &str) -> Result<Option<TokenRow>> {
        on_pool!(self, pool => {
            let row = sqlx::query("SELECT name, role, project FROM tokens WHERE hash = $1 AND revoked_at IS NULL")
                .bind(hash)
                .fetch_optional(pool)
                .await?;
            Ok(match row {
                Some(row) => {
                    let role: String = row.try_get("role")?;
                    match Role::parse(&role) {
                        Some(role) => Some(TokenRow {
                            name: row.try_get("name")?,
                            role,
                            project: row.try_get("project")?,
                        }),
                        None => None,
                    }
                }
                None => None,
            })
        })
    }

    // ---- projects ----

    pub async fn create_project(&self, name: &str, actor: &str) -> Result<Project> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let taken = sqlx::query("SELECT 1 FROM projects WHERE name = $1")
                .bind(name)
                .fetch_optional(&mut *tx)
                .await?;
            if taken.is_some() {
                return Err(StoreError::Conflict(format!("the project `{name}` exists already")));
            }
            let at = now();
            sqlx::query("INSERT INTO projects (name, created_at, created_by) VALUES ($1, $2, $3)")
                .bind(name).bind(&at).bind(actor)
                .execute(&mut *tx)
                .await?;
            sqlx::query("INSERT INTO audit (at, actor, action, project, detail) VALUES ($1, $2, $3, $4, $5)")
                .bind(&at).bind(actor).bind("project-created").bind(name).bind("{}")
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(Project { name: name.to_owned(), created_at: at, created_by: actor.to_owned(), versions: 0 })
        })
    }

    pub async fn projects(&self) -> Result<Vec<Project>> {
        on_pool!(self, pool => {
            let rows = sqlx::query(
                "SELECT p.name, p.created_at, p.created_by, \
                 (SELECT COUNT(*) FROM model_versions v WHERE v.project_id = p.id) AS versions \
                 FROM projects p ORDER BY p.name",
            )
            .fetch_all(pool)
            .await?;
            rows.iter()
                .map(|row| {
                    Ok(Project {
                        name: row.try_get("name")?,
                        created_at: row.try_get("created_at")?,
                        created_by: row.try_get("created_by")?,
                        versions: row.try_get("versions")?,
                    })
                })
                .collect()
        })
    }

    /// The id of the project named `name`.
    pub async fn project_id(&self, name: &str) -> Result<Option<i64>> {
        on_pool!(self, pool => {
            let row = sqlx::query("SELECT id FROM projects WHERE name = $1")
                .bind(name)
                .fetch_optional(pool)
                .await?;
            Ok(match row { Some(row) => Some(row.try_get("id")?), None => None })
        })
    }

    // ---- model versions ----

    /// Stores a version as the project's next number. Two servers pushing at once may
    /// pick the same number: the unique key refuses the second, which tries again.
    pub async fn add_version(
        &self,
        project_id: i64,
        project: &str,
        new: &NewVersion<'_>,
        actor: &str,
    ) -> Result<i64> {
        for _ in 0..5 {
            match self.try_add_version(project_id, project, new, actor).await {
                Err(StoreError::Database(sqlx::Error::Database(e))) if e.is_unique_violation() => {
                    continue;
                }
                other => return other,
            }
        }
        Err(StoreError::Conflict(
            "too many concurrent pushes to this project; try again".into(),
        ))
    }

    async fn try_add_version(
        &self,
        project_id: i64,
        project: &str,
        new: &NewVersion<'_>,
        actor: &str,
    ) -> Result<i64> {
        let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let next: i64 = sqlx::query("SELECT COALESCE(MAX(version), 0) + 1 AS next FROM model_versions WHERE project_id = $1")
                .bind(project_id)
                .fetch_one(&mut *tx)
                .await?
                .try_get("next")?;
            let at = now();
            sqlx::query(
                "INSERT INTO model_versions (project_id, version, revision, source, report, \
                 open_critical, open_high, open_elevated, open_medium, open_low, crown_jewels_exposed, \
                 created_at, created_by, source_kind) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
            )
            .bind(project_id)
            .bind(next)
            .bind(new.revision)
            .bind(new.source)
            .bind(new.report_json)
            .bind(count(new.open.critical))
            .bind(count(new.open.high))
            .bind(count(new.open.elevated))
            .bind(count(new.open.medium))
            .bind(count(new.open.low))
            .bind(count(new.crown_jewels_exposed))
            .bind(&at)
            .bind(actor)
            .bind(if new.bundle { "bundle" } else { "text" })
            .execute(&mut *tx)
            .await?;
            let detail = serde_json::json!({"version": next, "revision": new.revision});
            sqlx::query("INSERT INTO audit (at, actor, action, project, detail) VALUES ($1, $2, $3, $4, $5)")
                .bind(&at).bind(actor).bind("model-pushed").bind(project).bind(detail.to_string())
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(next)
        })
    }

    /// One version of a project, with its model source.
    pub async fn version(&self, project_id: i64, which: Selector) -> Result<Option<Version>> {
        on_pool!(self, pool => {
            let row = match which {
                Selector::Latest => sqlx::query(
                    "SELECT id, version, revision, source, source_kind, created_at, created_by FROM model_versions \
                     WHERE project_id = $1 ORDER BY version DESC LIMIT 1",
                )
                    .bind(project_id)
                    .fetch_optional(pool)
                    .await?,
                Selector::Number(n) => sqlx::query(
                    "SELECT id, version, revision, source, source_kind, created_at, created_by FROM model_versions \
                     WHERE project_id = $1 AND version = $2",
                )
                    .bind(project_id)
                    .bind(n)
                    .fetch_optional(pool)
                    .await?,
            };
            Ok(match row {
                Some(row) => Some(Version {
                    id: row.try_get("id")?,
                    version: row.try_get("version")?,
                    revision: row.try_get("revision")?,
                    source: row.try_get("source")?,
                    bundle: row.try_get::<String, _>("source_kind")? == "bundle",
                    created_at: row.try_get("created_at")?,
                    created_by: row.try_get("created_by")?,
                }),
                None => None,
            })
        })
    }

    /// Every version's trend point, oldest first.
    pub async fn trend(&self, project_id: i64) -> Result<Vec<TrendPoint>> {
        on_pool!(self, pool => {
            let rows = sqlx::query(
                "SELECT version, revision, created_at, open_critical, open_high, open_elevated, \
                 open_medium, open_low, crown_jewels_exposed FROM model_versions \
                 WHERE project_id = $1 ORDER BY version",
            )
            .bind(project_id)
            .fetch_all(pool)
            .await?;
            rows.iter()
                .map(|row| {
                    Ok(TrendPoint {
                        version: row.try_get("version")?,
                        revision: row.try_get("revision")?,
                        created_at: row.try_get("created_at")?,
                        open_threats: OpenCounts {
                            critical: row.try_get("open_critical")?,
                            elevated: row.try_get("open_elevated")?,
                            high: row.try_get("open_high")?,
                            low: row.try_get("open_low")?,
                            medium: row.try_get("open_medium")?,
                        },
                        crown_jewels_exposed: row.try_get("crown_jewels_exposed")?,
                    })
                })
                .collect()
        })
    }

    // ---- risk decisions and the audit log ----

    /// Appends a decision and its audit entry, in one transaction.
    pub async fn add_decision(
        &self,
        project_id: i64,
        project: &str,
        d: &NewDecision,
        actor: &str,
    ) -> Result<DecisionRow> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let at = now();
            let id: i64 = sqlx::query(
                "INSERT INTO decisions (project_id, threat, status, justification, owner, ticket, expires, \
                 decided_by, decided_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            )
            .bind(project_id)
            .bind(&d.threat)
            .bind(&d.status)
            .bind(&d.justification)
            .bind(&d.owner)
            .bind(&d.ticket)
            .bind(&d.expires)
            .bind(actor)
            .bind(&at)
            .fetch_one(&mut *tx)
            .await?
            .try_get("id")?;
            let detail = serde_json::to_string(d).unwrap_or_default();
            sqlx::query("INSERT INTO audit (at, actor, action, project, detail) VALUES ($1, $2, $3, $4, $5)")
                .bind(&at).bind(actor).bind("risk-decision").bind(project).bind(detail)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(DecisionRow { id, decision: d.clone(), decided_by: actor.to_owned(), decided_at: at })
        })
    }

    /// Every decision on the project, oldest first (a later one on the same threat wins).
    pub async fn decisions(&self, project_id: i64) -> Result<Vec<DecisionRow>> {
        on_pool!(self, pool => {
            let rows = sqlx::query(
                "SELECT id, threat, status, justification, owner, ticket, expires, decided_by, decided_at \
                 FROM decisions WHERE project_id = $1 ORDER BY id",
            )
            .bind(project_id)
            .fetch_all(pool)
            .await?;
            rows.iter()
                .map(|row| {
                    Ok(DecisionRow {
                        id: row.try_get("id")?,
                        decision: NewDecision {
                            threat: row.try_get("threat")?,
                            status: row.try_get("status")?,
                            justification: row.try_get("justification")?,
                            owner: row.try_get("owner")?,
                            ticket: row.try_get("ticket")?,
                            expires: row.try_get("expires")?,
                        },
                        decided_by: row.try_get("decided_by")?,
                        decided_at: row.try_get("decided_at")?,
                    })
                })
                .collect()
        })
    }

    /// The audit log, newest first, at most `limit` entries before entry `before`.
    pub async fn audit(&self, before: Option<i64>, limit: i64) -> Result<Vec<AuditEntry>> {
        on_pool!(self, pool => {
            let rows = sqlx::query(
                "SELECT id, at, actor, action, project, detail FROM audit \
                 WHERE id < $1 ORDER BY id DESC LIMIT $2",
            )
            .bind(before.unwrap_or(i64::MAX))
            .bind(limit)
            .fetch_all(pool)
            .await?;
            rows.iter()
                .map(|row| {
                    let detail: String = row.try_get("detail")?;
                    Ok(AuditEntry {
                        id: row.try_get("id")?,
                        at: row.try_get("at")?,
                        actor: row.try_get("actor")?,
                        action: row.try_get("action")?,
                        project: row.try_get("project")?,
                        detail: serde_json::from_str(&detail).unwrap_or(serde_json::Value::Null),
                    })
                })
                .collect()
        })
    }
}
