pub mod hierarchy;
pub mod org;
pub mod production;
pub mod synthetic;
pub mod tree;

pub use hierarchy::{Hierarchy, Node};
pub use org::{Account, AccountStatus, Org, Ou, Snapshot, Tags};
