//! Pieces of SQL built at run time, always through `sqlx::QueryBuilder` so every value is a
//! bound parameter and no SQL text is made from data. A leaf.

use sqlx::{QueryBuilder, Sqlite};

/// Appends `(?, ?, …)` with one bound parameter per id, for `… IN <list>`. An empty list is
/// `(NULL)`, which matches nothing, so callers need no special case.
pub fn push_ids(query: &mut QueryBuilder<Sqlite>, ids: &[i64]) {
    if ids.is_empty() {
        query.push("(NULL)");
        return;
    }
    query.push("(");
    let mut list = query.separated(", ");
    for id in ids {
        list.push_bind(*id);
    }
    query.push(")");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_lists_are_bound_parameters() {
        let mut query = QueryBuilder::<Sqlite>::new("SELECT 1 WHERE 2 IN ");
        push_ids(&mut query, &[1, 2, 3]);
        assert_eq!(query.sql().as_str(), "SELECT 1 WHERE 2 IN (?, ?, ?)");
        let mut empty = QueryBuilder::<Sqlite>::new("x IN ");
        push_ids(&mut empty, &[]);
        assert_eq!(empty.sql().as_str(), "x IN (NULL)");
    }
}
