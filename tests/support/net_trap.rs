//! A loopback listener that counts connections, and the environment that sends every AWS SDK
//! and HTTP client orgnav has to it: proof that a command made no network call.
#![allow(dead_code, clippy::unwrap_used)]

use std::net::TcpListener;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

pub struct NetTrap {
    address: String,
    connections: Arc<AtomicUsize>,
}

impl NetTrap {
    pub fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = format!("http://{}", listener.local_addr().unwrap());
        let connections = Arc::new(AtomicUsize::new(0));
        let seen = Arc::clone(&connections);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                seen.fetch_add(1, Ordering::SeqCst);
                drop(stream);
            }
        });
        Self {
            address,
            connections,
        }
    }

    /// Endpoints, proxies, the instance metadata service and the federation endpoint all
    /// point at the trap; real-looking credentials would be used by any call that was made.
    pub fn apply(&self, cmd: &mut Command) {
        for var in [
            "AWS_ENDPOINT_URL",
            "AWS_ENDPOINT_URL_STS",
            "AWS_ENDPOINT_URL_ORGANIZATIONS",
            "AWS_EC2_METADATA_SERVICE_ENDPOINT",
            "ORGNAV_FEDERATION_URL",
            "HTTP_PROXY",
            "HTTPS_PROXY",
            "ALL_PROXY",
            "http_proxy",
            "https_proxy",
            "all_proxy",
        ] {
            cmd.env(var, &self.address);
        }
        cmd.env("AWS_EC2_METADATA_DISABLED", "false")
            .env("AWS_ACCESS_KEY_ID", "AKIAREALLOOKING00000")
            .env(
                "AWS_SECRET_ACCESS_KEY",
                "would-be-used-if-anything-called-aws",
            )
            .env("AWS_REGION", "eu-west-1");
    }

    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}
