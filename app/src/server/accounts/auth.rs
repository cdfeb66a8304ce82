//! Officials' sign-in: names and passwords parsed, argon2id hashing off the async workers,
//! server-side sessions, the throttle on failed attempts, and the checks every server function
//! that changes data makes on its caller.
//!
//! One concern a file; every item is re-exported here, so callers name `auth::Item`.

pub mod caller;
pub mod cookies;
pub mod passwords;
pub mod sessions;
pub mod throttle;

pub use caller::*;
pub use cookies::*;
pub use passwords::*;
pub use sessions::*;
pub use throttle::*;
