use super::{CHUNK_BYTES, chunks};

#[test]
fn a_text_is_cut_on_character_boundaries_and_joins_back_whole() {
    let text = format!(
        "{}{}",
        "a".repeat(CHUNK_BYTES - 1),
        "é☕".repeat(CHUNK_BYTES)
    );
    let pieces = chunks(&text);
    assert!(pieces.iter().all(|piece| piece.len() <= CHUNK_BYTES));
    // The first cut falls before the two-byte `é` that would straddle it.
    assert_eq!(pieces[0].len(), CHUNK_BYTES - 1);
    assert_eq!(pieces.concat(), text);
    // No piece but the last is short by more than a character.
    let last = pieces.len() - 1;
    assert!(
        pieces[..last]
            .iter()
            .all(|piece| piece.len() > CHUNK_BYTES - 4)
    );
    assert_eq!(chunks(""), vec![""]);
}
