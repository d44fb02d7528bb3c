//! What the generic path infers from a header's shapes (no pack, no
//! annotations): which integers are buffer lengths and capacities.
pub mod names;
