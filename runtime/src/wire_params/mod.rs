//! RPC wire parameters: the flat `name=value` pairs every request value travels as.
//!
//! Alibaba's RPC APIs take every value as flat `name=value` pairs; structure lives in the names.
//! The shapes, as the official SDKs write them:
//!
//! | shape | metadata style | wire form |
//! |---|---|---|
//! | scalar | — | `Name=v` (booleans `true`/`false`) |
//! | list | `repeatList` | `Name.1=a`, `Name.2=b` (numbered from 1) |
//! | comma-joined list | `simple` | `Name=a,b,c` |
//! | struct sent flat | `flat` | `Name.Field=v` |
//! | list of structs | `repeatList` | `Name.1.Field=v` |
//! | JSON-encoded value | `json` | `Name={"Field":"v"}` (compact) |
//!
//! Shapes nest at any depth by joining names with `.`: a struct in a list item
//! (`TunnelOptionsSpecification.1.TunnelIkeConfig.Psk`), a list in a list item
//! (`Name.1.Field.2`), a list of structs in a struct (`Name.Field.1.Sub`).
//!
//! [`encode`] flattens the generated input types into these pairs (what the SDK sends);
//! [`decode`] reads them back into the same types (what the emulator receives). Every shape
//! one writes, the other reads, at any depth.

pub mod decode;
pub mod encode;
