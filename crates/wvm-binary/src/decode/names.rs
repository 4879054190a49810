//! Decoding of the `name` custom section (module, function and local names).
//!
//! Custom section contents are not validated by the specification, so a malformed name
//! section yields `None` rather than an error.

use crate::error::DecodeError;
use crate::module::Names;
use crate::reader::Reader;

/// Decodes the payload of a `name` custom section; `None` if it is malformed.
pub fn decode_names(payload: &[u8]) -> Option<Names> {
    parse(payload).ok()
}

fn name_map(r: &mut Reader) -> Result<Vec<(u32, String)>, DecodeError> {
    let n = r.count()?;
    let mut v = Vec::with_capacity(r.cap(n, 2));
    for _ in 0..n {
        let idx = r.u32()?;
        v.push((idx, r.name()?));
    }
    Ok(v)
}

fn parse(payload: &[u8]) -> Result<Names, DecodeError> {
    let mut r = Reader::new(payload);
    let mut names = Names::default();
    let mut last_id: Option<u8> = None;
    while !r.at_end() {
        let id = r.u8()?;
        if last_id.is_some_and(|l| id <= l) {
            return Err(r.error(r.pos(), "out-of-order name subsection"));
        }
        last_id = Some(id);
        let size = r.len32()? as usize;
        let sub = r.bytes(size)?;
        let mut s = Reader::new(sub);
        match id {
            0 => names.module = Some(s.name()?),
            1 => {
                names.functions = name_map(&mut s)?;
                // `Names::function` binary-searches: keep the map sorted even if the
                // producer did not.
                names.functions.sort_by_key(|(i, _)| *i);
            }
            2 => {
                let n = s.count()?;
                let mut v = Vec::with_capacity(s.cap(n, 2));
                for _ in 0..n {
                    let f = s.u32()?;
                    v.push((f, name_map(&mut s)?));
                }
                names.locals = v;
            }
            _ => continue,
        }
        if !s.at_end() {
            return Err(s.error(s.pos(), "name subsection size mismatch"));
        }
    }
    Ok(names)
}

/// Encodes `names` as the payload of a `name` custom section.
pub fn encode_names(names: &Names) -> Vec<u8> {
    use crate::encode::writer::Writer;
    let mut out = Writer::new();
    if let Some(m) = &names.module {
        let mut s = Writer::new();
        s.name(m);
        out.byte(0);
        out.sized(&s.into_bytes());
    }
    if !names.functions.is_empty() {
        let mut s = Writer::new();
        s.u32(names.functions.len() as u32);
        for (i, n) in &names.functions {
            s.u32(*i);
            s.name(n);
        }
        out.byte(1);
        out.sized(&s.into_bytes());
    }
    if !names.locals.is_empty() {
        let mut s = Writer::new();
        s.u32(names.locals.len() as u32);
        for (f, map) in &names.locals {
            s.u32(*f);
            s.u32(map.len() as u32);
            for (i, n) in map {
                s.u32(*i);
                s.name(n);
            }
        }
        out.byte(2);
        out.sized(&s.into_bytes());
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roundtrip_and_malformed() {
        let names = Names {
            module: Some("m".into()),
            functions: vec![(0, "fac".into()), (3, "g".into())],
            locals: vec![(0, vec![(0, "n".into())])],
        };
        let bytes = encode_names(&names);
        assert_eq!(decode_names(&bytes), Some(names));
        // Truncated payload: not an error, just no names.
        assert_eq!(decode_names(&bytes[..bytes.len() - 1]), None);
        assert_eq!(decode_names(&[0x01, 0x05, 0x01]), None);
        assert_eq!(decode_names(&[]), Some(Names::default()));
        // Out-of-order function names are sorted.
        let n = decode_names(&[0x01, 0x07, 0x02, 0x05, 0x01, b'b', 0x02, 0x01, b'a']).unwrap();
        assert_eq!(
            n.functions,
            vec![(2, "a".to_string()), (5, "b".to_string())]
        );
        // Unknown subsections are skipped.
        assert_eq!(decode_names(&[0x07, 0x01, 0xff]), Some(Names::default()));
    }
}
