//! Who is asking: the client's address (and the key limits count it by), and the signed-in
//! official of the request being served, with the checks every server function that changes
//! data makes on its caller.

use crate::error::AppError;
use crate::model::{Official, Role};

/// The client's address, put in the request's extensions by the server's middleware.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientIp(pub String);

impl ClientIp {
    /// What limits count this client by: see [`address_key`].
    pub fn limit_key(&self) -> String {
        address_key(&self.0)
    }
}

/// The key that per-address limits count a client by. An IPv4 address is itself; an IPv6
/// address stands for its /64, since one home or phone connection is handed a whole /64 and
/// can change the last 64 bits at will. An IPv4 address written in IPv6 (`::ffff:1.2.3.4`) is
/// the IPv4 address. Anything unreadable is kept as it is.
pub fn address_key(ip: &str) -> String {
    match ip.trim().parse() {
        Ok(ip) => ip_key(ip),
        Err(_) => ip.to_string(),
    }
}

/// [`address_key`] of an address already parsed.
pub fn ip_key(ip: std::net::IpAddr) -> String {
    match ip {
        std::net::IpAddr::V4(v4) => v4.to_string(),
        std::net::IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

/// The session token of a signed-in request, beside its [`Official`] in the extensions.
#[derive(Clone, Debug)]
pub struct SessionToken(pub String);

/// The signed-in official of the request being served, if any.
pub fn current_official() -> Option<Official> {
    leptos::prelude::use_context::<http::request::Parts>()?
        .extensions
        .get::<Official>()
        .cloned()
}

/// The check each server function that changes data makes first: a signed-in official whose
/// role is `role` or above. 401 without a session, 403 with too small a role.
pub fn require(role: Role) -> Result<Official, AppError> {
    allowed(current_official(), role)
}

/// The same check for a route outside server functions (uploads), given who is asking.
pub fn allowed(official: Option<Official>, role: Role) -> Result<Official, AppError> {
    match official {
        None => Err(AppError::Unauthorized),
        Some(official) if official.can(role) => Ok(official),
        Some(_) => Err(AppError::Forbidden),
    }
}

/// The client's address of the request being served, for the audit log and the throttle.
pub fn client_ip() -> String {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<ClientIp>().map(|ip| ip.0.clone()))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_clients_are_counted_by_their_64() {
        assert_eq!(address_key("1.2.3.4"), "1.2.3.4");
        assert_eq!(address_key("::ffff:1.2.3.4"), "1.2.3.4");
        assert_eq!(
            address_key("2001:db8:aa:bb:1:2:3:4"),
            address_key("2001:db8:aa:bb:ffff:ffff:ffff:ffff")
        );
        assert_eq!(address_key("2001:db8:aa:bb::9"), "2001:db8:aa:bb::/64");
        assert_ne!(
            address_key("2001:db8:aa:bb::1"),
            address_key("2001:db8:aa:bc::1")
        );
    }
}
