//! Kubernetes (in progress)
