pub mod account_view;
pub mod hierarchy;
pub mod org;
pub mod production;
/// Generated organizations for benchmarks and tests: not part of the shipped API (the
/// `synthetic` feature, which the crate's own dev-dependency on itself turns on).
#[cfg(any(test, feature = "synthetic"))]
pub mod synthetic;
pub mod tag_refresh;
pub mod tree;

pub use account_view::AccountView;
pub use hierarchy::{Hierarchy, Node};
pub use org::{Account, AccountStatus, Org, Ou, Snapshot, Tags};
pub use tag_refresh::{TagPlan, TagRefresh};
