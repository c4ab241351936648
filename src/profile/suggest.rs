//! "Did you mean …": the known words closest to a mistyped one, by edit
//! distance (a swap of two neighbouring letters counts as one edit, so
//! `hippa` finds `hipaa`), or sharing its start (`soc2` finds `soc2-type2`).

/// Most suggestions given for one word.
const MAX_SUGGESTIONS: usize = 3;

/// The known words closest to `word`, closest first (ties by name); empty
/// when none is close enough to be a likely typo.
pub(crate) fn closest<'a>(word: &str, known: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let limit = (word.chars().count() / 3).clamp(1, 3);
    let mut scored: Vec<(usize, &str)> = known
        .into_iter()
        .filter(|k| *k != word)
        .filter_map(|k| {
            let d = distance(word, k);
            let prefix = word.len() >= 3 && (k.starts_with(word) || word.starts_with(k));
            // A shared start ranks first; otherwise the fewest edits.
            (d <= limit || prefix).then_some((if prefix { 0 } else { d }, k))
        })
        .collect();
    scored.sort();
    // Only the closest: a word two edits away hides those three away.
    let best = scored.first().map_or(0, |(d, _)| *d);
    scored.retain(|(d, _)| *d == best);
    scored.dedup();
    scored
        .into_iter()
        .take(MAX_SUGGESTIONS)
        .map(|(_, k)| k)
        .collect()
}

/// ` did you mean `a` or `b`?` for the closest known words, else empty.
pub(crate) fn did_you_mean<'a>(word: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    let close = closest(word, known);
    match close.as_slice() {
        [] => String::new(),
        [one] => format!("did you mean `{one}`?"),
        [init @ .., last] => {
            let init: Vec<String> = init.iter().map(|w| format!("`{w}`")).collect();
            format!("did you mean {} or `{last}`?", init.join(", "))
        }
    }
}

/// Optimal-string-alignment distance: insertions, deletions, substitutions
/// and swaps of neighbours, each one edit.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = d;
        }
    }
    rows[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_find_the_word_meant() {
        let models = ["deepseek-v3.1", "llama-3.3-70b", "llama-3.1-8b"];
        assert_eq!(closest("deepseek-v3", models), vec!["deepseek-v3.1"]);
        assert_eq!(closest("llama-3.3-70", models), vec!["llama-3.3-70b"]);
        assert_eq!(closest("hippa", ["hipaa", "gdpr"]), vec!["hipaa"]);
        assert_eq!(
            closest("soc2", ["soc2-type1", "soc2-type2", "hipaa"]),
            vec!["soc2-type1", "soc2-type2"]
        );
        assert_eq!(
            closest("output_tokns", ["output_tokens", "input_tokens"]),
            vec!["output_tokens"]
        );
        assert!(closest("mistral-large", models).is_empty());
    }

    #[test]
    fn suggestions_read_as_a_question() {
        assert_eq!(did_you_mean("hippa", ["hipaa"]), "did you mean `hipaa`?");
        assert_eq!(
            did_you_mean("soc2", ["soc2-type1", "soc2-type2"]),
            "did you mean `soc2-type1` or `soc2-type2`?"
        );
        assert_eq!(did_you_mean("zzz", ["hipaa"]), "");
    }

    #[test]
    fn distance_counts_a_swap_as_one_edit() {
        assert_eq!(distance("hippa", "hipaa"), 1);
        assert_eq!(distance("abc", "acb"), 1);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("kitten", "sitting"), 3);
    }
}
