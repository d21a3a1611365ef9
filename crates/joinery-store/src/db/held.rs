//! Rows held back on PostgreSQL, so that a transaction's many single-row inserts into a table
//! reach the server as one statement: the rows of `INSERT INTO t (…) VALUES ($1, …)` (plain, `ON
//! CONFLICT … DO NOTHING` or `DO UPDATE SET …`) are kept, already encoded, and sent together as
//! `INSERT INTO t (…) SELECT * FROM unnest($1::text[], …)`, which PostgreSQL takes as the same
//! rows inserted in the same order. Each statement costs the server a parse, a plan and an
//! executor's start-up whatever it carries, so a thousand rows in one cost little more than one.
//!
//! When rows may be held, and when they must go, is what keeps this invisible:
//! - only inserts whose every value is a parameter; an upsert's rows are held only while no two
//!   have the same conflict key (`DO UPDATE` may not touch a row twice in one statement, where
//!   two upserts of one row are allowed): a second row for a key sends those held first;
//! - held rows go before any statement that names their table or a table joined to it by a
//!   foreign key (either way), before any statement sent as plain text (`COMMIT` among them), and
//!   when a table's rows reach [`HELD_AT_MOST`]; rows into one table from two different
//!   statements, or into two tables joined by a foreign key, go in the order they were sent.
//!
//! Not here: triggers or views that read a table without naming it. The schema has neither for
//! the tables written this way (its triggers refuse changes to append-only tables and read
//! nothing); a migration that adds one must keep the tables it reads out of held inserts. What
//! this promises is tested against a real server in `db/tests.rs`.

use std::sync::Arc;

use bytes::{BufMut, BytesMut};
use tokio_postgres::types::{IsNull, ToSql, Type, to_sql_checked};

/// Rows of one table held at most before they are sent.
pub(super) const HELD_AT_MOST: usize = 10_000;

/// A value already encoded in PostgreSQL's binary format for its parameter's type, owned so that
/// a write can be sent and answered later.
#[derive(Debug)]
pub(super) struct Encoded(Option<BytesMut>);

impl Encoded {
    pub(super) fn of(
        value: &(dyn ToSql + Sync),
        kind: &Type,
    ) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        let mut bytes = BytesMut::new();
        Ok(Self(match value.to_sql_checked(kind, &mut bytes)? {
            IsNull::Yes => None,
            IsNull::No => Some(bytes),
        }))
    }
}

impl ToSql for Encoded {
    fn to_sql(
        &self,
        _: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        Ok(match &self.0 {
            Some(bytes) => {
                out.extend_from_slice(bytes);
                IsNull::No
            }
            None => IsNull::Yes,
        })
    }

    /// Its type was checked as it was encoded.
    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

/// A single-row insert that can carry many rows at once, read from its text.
#[derive(Debug)]
pub(super) struct ManyRows {
    pub(super) table: String,
    /// `INSERT INTO t (a, b)`.
    head: String,
    /// What follows the values: nothing, or `ON CONFLICT … DO NOTHING`.
    tail: String,
    /// For each column in order, the index of the parameter that gives its value.
    order: Vec<usize>,
    /// For an upsert (`ON CONFLICT (…) DO UPDATE`), the parameters of its conflict target.
    key: Option<Vec<usize>>,
    /// The parameters' types, as the server prepared the single-row insert.
    types: Vec<Type>,
}

impl ManyRows {
    /// The statement `sql` (with `$N` placeholders) as one that can carry many rows, if it is a
    /// plain single-row insert whose every value is a parameter of a type named here.
    pub(super) fn of(sql: &str, types: &[Type]) -> Option<Self> {
        let sql = sql.split_whitespace().collect::<Vec<_>>().join(" ");
        let rest = sql.strip_prefix("INSERT INTO ")?;
        let (table, rest) = rest.split_once(" (")?;
        let (columns, rest) = rest.split_once(") VALUES (")?;
        let (values, tail) = rest.split_once(')')?;
        if !is_name(table) || columns.contains('(') || tail.contains(" WHERE ") {
            return None;
        }
        let order = values
            .split(", ")
            .map(|value| {
                value
                    .strip_prefix('$')?
                    .parse::<usize>()
                    .ok()?
                    .checked_sub(1)
            })
            .collect::<Option<Vec<_>>>()?;
        let columns_named: Vec<&str> = columns.split(", ").collect();
        if order.len() != columns_named.len()
            || order
                .iter()
                .any(|index| types.get(*index).and_then(array_of).is_none())
        {
            return None;
        }
        // An upsert may not touch a row twice in one statement: its rows are told apart by the
        // values of its conflict target's columns.
        let key = if tail.is_empty() || tail == " ON CONFLICT DO NOTHING" {
            None
        } else {
            let target = tail.strip_prefix(" ON CONFLICT (")?;
            let (target, action) = target.split_once(')')?;
            if action == " DO NOTHING" {
                None
            } else if action.starts_with(" DO UPDATE SET ") && !action.contains(" FROM ") {
                let key = target
                    .split(", ")
                    .map(|column| {
                        let at = columns_named.iter().position(|named| *named == column)?;
                        order.get(at).copied()
                    })
                    .collect::<Option<Vec<_>>>()?;
                Some(key)
            } else {
                return None;
            }
        };
        Some(Self {
            table: table.to_owned(),
            head: format!("INSERT INTO {table} ({columns})"),
            tail: tail.to_owned(),
            order,
            key,
            types: types.to_vec(),
        })
    }

    /// For an upsert, the parameters that tell its rows apart: two rows alike in these cannot
    /// go in one statement.
    pub(super) fn key_of(&self, row: &[Encoded]) -> Option<Vec<Option<BytesMut>>> {
        self.key.as_ref().map(|key| {
            key.iter()
                .map(|index| row.get(*index).and_then(|value| value.0.clone()))
                .collect()
        })
    }

    /// The statement inserting every row given, one array per column.
    pub(super) fn sql(&self) -> String {
        let arrays: Vec<String> = self
            .order
            .iter()
            .enumerate()
            .map(|(position, index)| {
                let name = self.types.get(*index).and_then(array_of).unwrap_or("text");
                format!("${}::{name}[]", position + 1)
            })
            .collect();
        format!(
            "{} SELECT * FROM unnest({}){}",
            self.head,
            arrays.join(", "),
            self.tail
        )
    }

    /// Each column's values across `rows`, as PostgreSQL's binary one-dimensional arrays.
    pub(super) fn arrays(&self, rows: &[Vec<Encoded>]) -> Vec<Encoded> {
        arrays(&self.types, &self.order, rows)
    }
}

/// The values of parameters `order` across `rows`, each as PostgreSQL's binary one-dimensional
/// array of its type.
fn arrays(types: &[Type], order: &[usize], rows: &[Vec<Encoded>]) -> Vec<Encoded> {
    order
        .iter()
        .map(|index| {
            let oid = types.get(*index).map_or(0, Type::oid);
            let mut array = BytesMut::new();
            let values = rows
                .iter()
                .map(|row| row.get(*index).and_then(|value| value.0.as_ref()));
            let has_null = values.clone().any(|value| value.is_none());
            array.put_i32(1);
            array.put_i32(i32::from(has_null));
            array.put_u32(oid);
            array.put_i32(i32::try_from(rows.len()).unwrap_or(i32::MAX));
            array.put_i32(1);
            for value in values {
                match value {
                    Some(bytes) => {
                        array.put_i32(i32::try_from(bytes.len()).unwrap_or(i32::MAX));
                        array.extend_from_slice(bytes);
                    }
                    None => array.put_i32(-1),
                }
            }
            Encoded(Some(array))
        })
        .collect()
}

/// A query asked once for each of many runs of its parameters, as one query: the runs are
/// arrays unnested with their numbers, and the query is asked of each (`LATERAL`), its rows
/// followed by the number of the run they answer.
pub(super) struct ManyRuns {
    pub(super) sql: String,
    types: Vec<Type>,
}

impl ManyRuns {
    /// `sql` (with `$N` placeholders) asked of many runs, if its every parameter's type is one
    /// named here.
    pub(super) fn of(sql: &str, types: &[Type]) -> Option<Self> {
        if types.is_empty() {
            return None;
        }
        let names = types.iter().map(array_of).collect::<Option<Vec<_>>>()?;
        let arrays: Vec<String> = names
            .iter()
            .enumerate()
            .map(|(index, name)| format!("${}::{name}[]", index + 1))
            .collect();
        let columns: Vec<String> = (1..=types.len()).map(|n| format!("joinery_{n}")).collect();
        let asked = super::postgres::renumbered(sql, |n| format!("p.joinery_{n}"));
        Some(Self {
            sql: format!(
                "SELECT q.*, p.joinery_run FROM unnest({}) WITH ORDINALITY \
                 AS p({}, joinery_run) CROSS JOIN LATERAL ({asked}) AS q",
                arrays.join(", "),
                columns.join(", ")
            ),
            types: types.to_vec(),
        })
    }

    /// The runs' values, one array per parameter.
    pub(super) fn arrays(&self, runs: &[Vec<Encoded>]) -> Vec<Encoded> {
        let order: Vec<usize> = (0..self.types.len()).collect();
        arrays(&self.types, &order, runs)
    }
}

/// The name to cast an array of `kind` by, for the types the store binds.
fn array_of(kind: &Type) -> Option<&'static str> {
    Some(match *kind {
        Type::BOOL => "bool",
        Type::INT4 => "int4",
        Type::INT8 => "int8",
        Type::FLOAT8 => "float8",
        Type::TEXT => "text",
        Type::VARCHAR => "varchar",
        Type::BYTEA => "bytea",
        _ => return None,
    })
}

fn is_name(word: &str) -> bool {
    !word.is_empty() && word.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Whether `sql` names `table` as a whole word.
pub(super) fn names(sql: &str, table: &str) -> bool {
    sql.match_indices(table).any(|(at, _)| {
        let before = sql[..at].chars().next_back();
        let after = sql[at + table.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
            && !after.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

/// The rows held for one statement.
pub(super) struct Held {
    pub(super) many: Arc<ManyRows>,
    /// The single-row statement, to send a lone row as it is.
    pub(super) one: tokio_postgres::Statement,
    pub(super) rows: Vec<Vec<Encoded>>,
    /// For an upsert, the conflict keys of the rows held.
    pub(super) keys: std::collections::HashSet<Vec<Option<BytesMut>>>,
}

#[cfg(test)]
mod tests {
    use super::{Encoded, ManyRows, names};
    use tokio_postgres::types::Type;

    #[test]
    fn a_single_row_insert_is_carried_as_arrays_in_its_columns_order() {
        let many = ManyRows::of(
            "INSERT INTO messages (seq, agency, body)\n  VALUES ($1, $3, $2) ON CONFLICT DO NOTHING",
            &[Type::INT8, Type::BYTEA, Type::TEXT],
        )
        .expect("a plain insert");
        assert_eq!(many.table, "messages");
        assert_eq!(
            many.sql(),
            "INSERT INTO messages (seq, agency, body) SELECT * FROM \
             unnest($1::int8[], $2::text[], $3::bytea[]) ON CONFLICT DO NOTHING"
        );
    }

    #[test]
    fn an_upserts_rows_are_told_apart_by_its_conflict_target() {
        let many = ManyRows::of(
            "INSERT INTO t (a, b, c) VALUES ($1, $2, $3) \
             ON CONFLICT (c, a) DO UPDATE SET b = t.b + excluded.b",
            &[Type::INT8, Type::INT8, Type::TEXT],
        )
        .expect("an upsert by its target");
        let row = |a: i64, b: i64, c: &str| {
            vec![
                Encoded::of(&a, &Type::INT8).expect("a"),
                Encoded::of(&b, &Type::INT8).expect("b"),
                Encoded::of(&c, &Type::TEXT).expect("c"),
            ]
        };
        assert_eq!(many.key_of(&row(1, 2, "x")), many.key_of(&row(1, 5, "x")));
        assert_ne!(many.key_of(&row(1, 2, "x")), many.key_of(&row(2, 2, "x")));
        assert!(
            many.sql()
                .ends_with("ON CONFLICT (c, a) DO UPDATE SET b = t.b + excluded.b")
        );
    }

    #[test]
    fn an_insert_that_updates_computes_or_selects_is_sent_as_it_is() {
        let types = [Type::INT8, Type::TEXT];
        for sql in [
            "INSERT INTO t (a, b) VALUES ($1, $2) ON CONFLICT (a) DO UPDATE SET b = 1 WHERE t.b = 0",
            "INSERT INTO t (a, b) VALUES ($1, $2) ON CONFLICT (c) DO UPDATE SET b = excluded.b",
            "INSERT INTO t (a, b) VALUES ($1, lower($2))",
            "INSERT INTO t (a, b) VALUES ($1, 'x')",
            "INSERT INTO t (a, b) SELECT $1, $2",
            "INSERT INTO t (a, b) VALUES ($1, $2) RETURNING a",
            "UPDATE t SET a = $1 WHERE b = $2",
        ] {
            assert!(ManyRows::of(sql, &types).is_none(), "{sql}");
        }
        assert!(ManyRows::of("INSERT INTO t (a) VALUES ($1)", &[Type::JSONB]).is_none());
    }

    #[test]
    fn a_table_is_named_only_as_a_whole_word() {
        assert!(names("DELETE FROM caseload WHERE x = 1", "caseload"));
        assert!(names("SELECT * FROM caseload", "caseload"));
        assert!(!names("DELETE FROM caseload_hearings", "caseload"));
        assert!(!names("SELECT * FROM my_caseload", "caseload"));
    }
}
