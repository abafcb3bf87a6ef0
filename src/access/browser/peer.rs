//! Who is on the other end of a loopback connection. The one-shot address is in a browser's
//! arguments when a Firefox container opens it (extensions may not open the private `file:`
//! page), and arguments are public: on Linux the kernel's socket table says which user's
//! process connected, so another local user who races the browser gets nothing.

use tokio::net::TcpStream;

/// False when the kernel names another user as the connection's owner, or does not list the
/// connection twice running (a table read while it changed — which another user's connections
/// can cause — is read once more). Where the owner cannot be known at all (not Linux, IPv6, an
/// unreadable table) it is true: the nonce still guards the address as for the private page.
pub fn same_user(conn: &TcpStream) -> bool {
    #[cfg(target_os = "linux")]
    {
        let (Ok(peer), Ok(local)) = (conn.peer_addr(), conn.local_addr()) else {
            return true;
        };
        // SAFETY: getuid has no preconditions and cannot fail.
        let me = unsafe { libc::getuid() };
        verdict(me, || owner(&peer, &local))
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = conn;
        true
    }
}

/// What the socket table says about a connection.
#[cfg(target_os = "linux")]
#[derive(Debug, PartialEq, Eq)]
enum Lookup {
    Owner(u32),
    NotListed,
    /// No table to ask (unreadable, or an address it is not read for).
    Unknowable,
}

/// Same user or not, asking `lookup` at most twice.
#[cfg(target_os = "linux")]
fn verdict(me: u32, mut lookup: impl FnMut() -> Lookup) -> bool {
    for _ in 0..2 {
        match lookup() {
            Lookup::Owner(uid) => return uid == me,
            Lookup::Unknowable => return true,
            Lookup::NotListed => {}
        }
    }
    false
}

/// The uid owning the socket at `peer` connected to `local`, from `/proc/net/tcp`.
#[cfg(target_os = "linux")]
fn owner(peer: &std::net::SocketAddr, local: &std::net::SocketAddr) -> Lookup {
    let (Some(peer), Some(local)) = (kernel_address(peer), kernel_address(local)) else {
        return Lookup::Unknowable;
    };
    match std::fs::read_to_string("/proc/net/tcp") {
        Ok(text) => owner_in(&text, &peer, &local).map_or(Lookup::NotListed, Lookup::Owner),
        Err(_) => Lookup::Unknowable,
    }
}

/// `sl local rem st tx:rx tr:when retrnsmt uid …`: the uid of the row from `peer` to `local`.
#[cfg(target_os = "linux")]
fn owner_in(table: &str, peer: &str, local: &str) -> Option<u32> {
    table.lines().skip(1).find_map(|line| {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let row = (fields.get(1)?, fields.get(2)?);
        (row == (&peer, &local))
            .then(|| fields.get(7)?.parse().ok())
            .flatten()
    })
}

/// An IPv4 address as the kernel prints it: the address word in host byte order, then the
/// port, both in upper-case hex (`0100007F:1F90` for 127.0.0.1:8080 on little-endian).
#[cfg(target_os = "linux")]
fn kernel_address(addr: &std::net::SocketAddr) -> Option<String> {
    match addr {
        std::net::SocketAddr::V4(a) => Some(format!(
            "{:08X}:{:04X}",
            u32::from_ne_bytes(a.ip().octets()),
            a.port()
        )),
        std::net::SocketAddr::V6(_) => None,
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn a_connection_the_table_does_not_list_twice_is_refused() {
        let mut answers = vec![Lookup::NotListed, Lookup::NotListed].into_iter();
        assert!(!verdict(1000, || answers.next().unwrap()));
        let mut answers = vec![Lookup::NotListed, Lookup::Owner(1000)].into_iter();
        assert!(
            verdict(1000, || answers.next().unwrap()),
            "listed when read again"
        );
        assert!(!verdict(1000, || Lookup::Owner(0)));
        assert!(verdict(1000, || Lookup::Unknowable));
    }

    #[tokio::test]
    async fn a_connection_of_this_process_is_this_users() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let client = TcpStream::connect(addr).await.unwrap();
        let (server, _) = listener.accept().await.unwrap();
        let me = unsafe { libc::getuid() };
        let peer = server.peer_addr().unwrap();
        assert_eq!(
            owner(&peer, &server.local_addr().unwrap()),
            Lookup::Owner(me)
        );
        assert!(same_user(&server));
        drop(client);
    }

    #[test]
    fn rows_are_matched_by_both_ends() {
        let table = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n\
           0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 1\n\
           1: 0100007F:D431 0100007F:1F90 01 00000000:00000000 00:00000000 00000000  1001        0 2\n";
        assert_eq!(
            owner_in(table, "0100007F:D431", "0100007F:1F90"),
            Some(1001)
        );
        assert_eq!(owner_in(table, "0100007F:D432", "0100007F:1F90"), None);
        let addr: std::net::SocketAddr = "127.0.0.1:8080".parse().unwrap();
        if cfg!(target_endian = "little") {
            assert_eq!(kernel_address(&addr).unwrap(), "0100007F:1F90");
        }
    }
}
