//! E-mail (.eml): copied when nothing was found in it; withheld otherwise.
//!
//! Rewriting headers (RFC 2047 words), bodies (charset + transfer encoding) and attachments in
//! place is not implemented yet, so a mail with findings is withheld rather than copied with
//! the data in it.

use super::{Hit, Written};

/// The copy of a mail.
pub fn redact(_bytes: &[u8], hits: &[Hit]) -> Written {
    match hits.first() {
        None => Written::Same,
        Some(h) => Written::Withheld(format!(
            "e-mail with findings ({} …): rewriting mails is not implemented yet",
            h.finding.category
        )),
    }
}
