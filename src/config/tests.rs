//! Config entries checked without profiles: one target, figures that fit
//! it, prices and discounts in range; and lines counted from the text.

use super::{line_column, Layer};

fn problems(text: &str) -> Vec<String> {
    match Layer::parse("infercost.toml", text) {
        Ok(_) => vec![],
        Err(e) => e
            .iter()
            .map(|d| d.to_string().lines().next().unwrap().to_string())
            .collect(),
    }
}

#[test]
fn a_negotiated_rate_a_gpu_rate_and_a_vendor_discount_parse() {
    let text = "[[price]]\nvendor = \"a\"\nmodel = \"m\"\ninput_usd_per_mtok = 0.5\noutput_usd_per_mtok = 1\n\n[[price]]\nvendor = \"b\"\ngpu = \"h100-80gb\"\nusd_per_gpu_hour = 2.5\n\n[[price]]\nvendor = \"c\"\ndiscount = 0.2\n";
    let layer = Layer::parse("infercost.toml", text).unwrap();
    let lines: Vec<usize> = layer.config.price.iter().map(|e| layer.line(e)).collect();
    assert_eq!(lines, [1, 7, 12]);
}

#[test]
fn bad_entries_are_refused_at_their_line() {
    let text = "[[price]]\nvendor = \"a\"\nmodel = \"m\"\ngpu = \"g\"\ndiscount = 0.1\n\n[[price]]\nvendor = \"a\"\nmodel = \"m\"\ninput_usd_per_mtok = -1\noutput_usd_per_mtok = 1\n\n[[price]]\nvendor = \"a\"\nmodel = \"m\"\ninput_usd_per_mtok = 1\n";
    assert_eq!(
        problems(text),
        [
            "infercost.toml:1:1: price: name either `model` (a per-token offer) or `gpu` (a GPU rate), not both",
            "infercost.toml:7:1: price.input_usd_per_mtok: expected a price of at least 0, found -1",
            "infercost.toml:13:1: price: a negotiated per-token price needs both `input_usd_per_mtok` and `output_usd_per_mtok`",
        ]
    );
}

#[test]
fn a_discount_of_100_percent_or_more_is_refused() {
    for d in ["1", "1.5", "-0.1"] {
        let text = format!("[[price]]\nvendor = \"a\"\ndiscount = {d}\n");
        assert_eq!(problems(&text).len(), 1, "{d}");
    }
}

#[test]
fn an_unknown_field_names_its_line() {
    let p = problems("[[price]]\nvendor = \"a\"\ndiscont = 0.1\n");
    assert_eq!(p.len(), 1);
    assert!(p[0].starts_with("infercost.toml:3:1:"), "{p:?}");
}

#[test]
fn lines_and_columns_count_from_one() {
    assert_eq!(line_column("ab\ncd", 4), (2, 2));
    assert_eq!(line_column("ab", 0), (1, 1));
}

#[test]
fn a_negative_staleness_limit_and_a_mixed_commitment_are_refused_at_their_line() {
    let text = "[defaults]\nmax_age_days = -1\n\n[[commitment]]\nvendor = \"a\"\nmodel = \"m\"\ngpu = \"g\"\nterm_months = 0\nusd_per_month = 10\ndiscount = 0.2\n";
    assert_eq!(
        problems(text),
        [
            "infercost.toml:4:1: commitment.term_months: expected a term of at least 1 month",
            "infercost.toml:4:1: commitment: a committed spend on a per-token offer (`model`) takes `usd_per_month` and `discount`, not `gpu`, `usd_per_gpu_hour`, `min_replicas` or `overflow`",
            "infercost.toml:2:16: defaults.max_age_days: expected a number of days, at least 0, found -1",
        ]
    );
}
