//! Base64 (standard alphabet, padded), as [`super::to_text`] and JSON's [`super::bytes`] write binary data: a few
//! lines here instead of a crate's generic engine in the widget's page-load module (it decodes the configuration's
//! `localStorage` copy). The decoder takes only what the encoder writes (padding included, the last character's
//! unused bits zero), and says where anything else is.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

pub fn encode(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let group = chunk.iter().enumerate().fold(0u32, |group, (at, &byte)| {
            group | u32::from(byte) << (16 - 8 * at)
        });
        for at in 0..4 {
            text.push(if at <= chunk.len() {
                char::from(ALPHABET[(group >> (18 - 6 * at) & 63) as usize])
            } else {
                '='
            });
        }
    }
    text
}

/// The bytes of `text`, or what is wrong and where, e.g. `"'%' at offset 0"` (a character not in the alphabet).
pub fn decode(text: &str) -> Result<Vec<u8>, String> {
    let symbols = text.as_bytes();
    if !symbols.len().is_multiple_of(4) {
        return Err(format!(
            "a length of {}, not a multiple of 4",
            symbols.len()
        ));
    }
    let mut bytes = Vec::with_capacity(symbols.len() / 4 * 3);
    for (index, quad) in symbols.chunks(4).enumerate() {
        let last = (index + 1) * 4 == symbols.len();
        let padding = if last {
            quad.iter()
                .rev()
                .take_while(|&&symbol| symbol == b'=')
                .count()
        } else {
            0
        };
        if padding > 2 {
            return Err(format!(
                "too much padding at offset {}",
                index * 4 + 4 - padding
            ));
        }
        let mut group = 0u32;
        for (at, &symbol) in quad[..4 - padding].iter().enumerate() {
            let value = ALPHABET
                .iter()
                .position(|&known| known == symbol)
                .ok_or_else(|| {
                    let offset = index * 4 + at;
                    let shown = text.get(offset..).and_then(|rest| rest.chars().next());
                    format!("{:?} at offset {offset}", shown.unwrap_or('?'))
                })?;
            group |= (value as u32) << (18 - 6 * at);
        }
        let kept = 3 - padding;
        if group << (8 * kept) & 0xFF_FFFF != 0 {
            return Err(format!(
                "unused bits set at offset {}",
                index * 4 + 3 - padding
            ));
        }
        bytes.extend((0..kept).map(|at| (group >> (16 - 8 * at)) as u8));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::*;

    #[test]
    fn every_length_round_trips_and_reads_as_rfc_4648_writes_it() {
        let data: Vec<u8> = (0..=255u8).rev().collect();
        for len in 0..40 {
            assert_eq!(decode(&encode(&data[..len])).as_deref(), Ok(&data[..len]));
        }
        // RFC 4648's test vectors.
        let vectors =
            ["", "f", "fo", "foo", "foob", "fooba", "foobar"].map(|text| encode(text.as_bytes()));
        expect![[r#"["", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"]"#]]
            .assert_eq(&format!("{vectors:?}"));
        assert_eq!(encode(&[0xfb, 0xff, 0xbf]), "+/+/");
    }

    #[test]
    fn what_is_not_base64_is_refused_with_where() {
        let refused = [
            "%m9v", "Zm 9", "Zm9", "Zg=a", "Z===", "Zh==", "Zm9vY===", "Zg==Zg==", "Zé==",
        ]
        .map(|text| decode(text).expect_err(text));
        expect![[r#"
            [
                "'%' at offset 0",
                "' ' at offset 2",
                "a length of 3, not a multiple of 4",
                "'=' at offset 2",
                "too much padding at offset 1",
                "unused bits set at offset 1",
                "too much padding at offset 5",
                "'=' at offset 2",
                "a length of 5, not a multiple of 4",
            ]
        "#]]
        .assert_debug_eq(&refused);
    }
}
