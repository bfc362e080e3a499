//! sumi (墨): finds personal data in files on a share — Japanese and English — and reports
//! where it is, how sure it is and why.
//!
//! The pipeline, one module per stage:
//! `scan` (walk + parallel glue) → `read` (format → [`segment::Segment`]s with origins) →
//! `normalize` (full-width folding with a map back) → `detect` (rules from `patterns/`,
//! validators, context scoring) → `finding` (masking, fingerprints) → `report` (sinks) | `redact` (a writer per format,
//! verification of the copies).
//! Images and recordings go from `read` to `media` (metadata, structure, pixel statistics),
//! which makes their findings itself.
#![warn(missing_docs)]

pub mod detect;
pub mod eval;
pub mod finding;
pub mod media;
pub mod normalize;
pub mod read;
pub mod redact;
pub mod report;
pub mod scan;
pub mod segment;
