//! Which characters free text in a profile may hold: no control characters
//! and no bidi controls, which would break the SVG charts (invalid XML),
//! drive a terminal, end a Markdown table row or reverse the rest of a line.
//! Shared by validation, error messages and the diff's escaping.

/// Characters that reorder text: bidi embeddings, overrides, isolates and
/// marks.
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}
