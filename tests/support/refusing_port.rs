//! A loopback port that refuses connections and that nobody else can take while it lives.
//! A port freed by dropping a listener can be handed straight to another test's listener
//! (moto, a proxy, a credential endpoint), which would then answer instead of refusing.
#![allow(dead_code, clippy::unwrap_used)]

use std::os::fd::{FromRawFd, OwnedFd};

/// A TCP socket bound on 127.0.0.1 that never listens: connections to its port are refused.
pub struct RefusingPort {
    _socket: OwnedFd,
    pub port: u16,
}

impl RefusingPort {
    /// On a free port.
    pub fn new() -> Self {
        Self::on(0)
    }

    /// On `port` (0: any free one). SO_REUSEADDR lets it take a port a listener just left.
    pub fn on(port: u16) -> Self {
        // SAFETY: plain socket calls on a descriptor owned by the returned OwnedFd; the
        // sockaddr_in and the option value are valid for the calls' duration.
        unsafe {
            let fd = libc::socket(libc::AF_INET, libc::SOCK_STREAM | libc::SOCK_CLOEXEC, 0);
            assert!(fd >= 0, "socket: {}", std::io::Error::last_os_error());
            let socket = OwnedFd::from_raw_fd(fd);
            let one: libc::c_int = 1;
            libc::setsockopt(
                fd,
                libc::SOL_SOCKET,
                libc::SO_REUSEADDR,
                (&raw const one).cast(),
                std::mem::size_of::<libc::c_int>() as libc::socklen_t,
            );
            let mut addr: libc::sockaddr_in = std::mem::zeroed();
            addr.sin_family = libc::AF_INET as libc::sa_family_t;
            addr.sin_port = port.to_be();
            addr.sin_addr.s_addr = u32::from(std::net::Ipv4Addr::LOCALHOST).to_be();
            let len = std::mem::size_of::<libc::sockaddr_in>() as libc::socklen_t;
            let bound = libc::bind(fd, (&raw const addr).cast(), len);
            assert_eq!(bound, 0, "bind: {}", std::io::Error::last_os_error());
            let mut got: libc::sockaddr_in = std::mem::zeroed();
            let mut got_len = len;
            libc::getsockname(fd, (&raw mut got).cast(), &mut got_len);
            Self {
                _socket: socket,
                port: u16::from_be(got.sin_port),
            }
        }
    }
}
