//! The protocol a well-known port speaks, for flows discovered from security groups,
//! NetworkPolicies and Services. An unknown port gives no protocol: discovery does not
//! guess (`http` on a database port made every such hop look like plain web traffic).

/// The protocol of a well-known port, by its registered use.
pub(crate) fn protocol(port: i64) -> Option<&'static str> {
    Some(match port {
        443 | 8443 => "https",
        80 | 8080 => "http",
        22 => "ssh",
        3389 => "rdp",
        5432 => "postgres",
        3306 => "mysql",
        1433 => "mssql",
        6379 => "redis",
        11211 => "memcached",
        27017 => "mongodb",
        5672 => "amqp",
        5671 => "amqps",
        9092 => "kafka",
        _ => return None,
    })
}

/// The protocol of a Kubernetes port: its `appProtocol`, else a port name that is a
/// protocol (`https`, `grpc`, `http-metrics` → `http`), else the port number.
pub(crate) fn kubernetes_protocol(
    app_protocol: Option<&str>,
    name: Option<&str>,
    port: Option<i64>,
) -> Option<String> {
    const NAMED: &[&str] = &[
        "https", "http", "grpc", "grpcs", "postgres", "mysql", "redis", "amqp", "amqps", "kafka",
        "mongodb", "tls",
    ];
    let named = |n: &str| {
        let n = n.to_ascii_lowercase();
        let head = n.split(['-', '_']).next().unwrap_or("").to_owned();
        NAMED.contains(&head.as_str()).then_some(head)
    };
    app_protocol
        .and_then(|p| named(p.rsplit('/').next().unwrap_or(p)))
        .or_else(|| name.and_then(named))
        .or_else(|| port.and_then(protocol).map(str::to_owned))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_ports_are_not_http() {
        assert_eq!(protocol(5432), Some("postgres"));
        assert_eq!(protocol(9000), None);
        assert_eq!(
            kubernetes_protocol(None, None, Some(5432)).as_deref(),
            Some("postgres")
        );
        assert_eq!(
            kubernetes_protocol(None, Some("http-metrics"), Some(9100)).as_deref(),
            Some("http")
        );
        assert_eq!(
            kubernetes_protocol(Some("kubernetes.io/h2c"), Some("grpc"), Some(9000)).as_deref(),
            Some("grpc")
        );
        assert_eq!(kubernetes_protocol(None, Some("metrics"), Some(9100)), None);
    }
}
