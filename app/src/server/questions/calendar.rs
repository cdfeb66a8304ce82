//! The working calendar the answer deadline is counted on: Monday to Friday, except the public
//! holidays of the `holidays` table (which admins extend when the Government announces the next
//! year's Tết and compensation days). A question is due on the 15th working day after the day it
//! was received (Luật Tiếp công dân and Nghị định 42/2022 speak of 15 working days).

use std::collections::BTreeSet;

use sqlx::SqlitePool;
use time::{Date, Duration, Weekday};

use crate::error::AppError;
use crate::format::{date_text, parse_date};
use crate::model::questions::HolidayLine;
use crate::server::accounts::{audit, Actor};
use crate::server::internal;
use crate::server::text::one_line;

/// Working days a question has to be answered in.
pub const ANSWER_WORKING_DAYS: u32 = 15;

/// The days off besides weekends.
#[derive(Clone, Debug, Default)]
pub struct Holidays(BTreeSet<Date>);

impl Holidays {
    pub fn new(days: impl IntoIterator<Item = Date>) -> Holidays {
        Holidays(days.into_iter().collect())
    }

    pub async fn load(pool: &SqlitePool) -> Result<Holidays, AppError> {
        let days: Vec<String> = sqlx::query_scalar("SELECT day FROM holidays")
            .fetch_all(pool)
            .await
            .map_err(internal("reading the holidays"))?;
        Ok(Holidays::new(days.iter().filter_map(|d| parse_date(d))))
    }

    pub fn is_working_day(&self, day: Date) -> bool {
        !matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday) && !self.0.contains(&day)
    }

    /// The `n`th working day after `day` (`day` itself never counts).
    pub fn add_working_days(&self, day: Date, n: u32) -> Date {
        let mut at = day;
        let mut left = n;
        while left > 0 {
            at = at.saturating_add(Duration::days(1));
            if self.is_working_day(at) {
                left -= 1;
            }
        }
        at
    }

    /// When a question received on `day` must be answered.
    pub fn due(&self, received: Date) -> Date {
        self.add_working_days(received, ANSWER_WORKING_DAYS)
    }

    /// Working days from `today` until `due`: positive while there is time (the days after
    /// today up to and including `due`), 0 on the day itself, negative once overdue (minus the
    /// working days since `due`).
    pub fn days_left(&self, today: Date, due: Date) -> i64 {
        let between = |from: Date, to: Date| {
            let mut n = 0;
            let mut at = from;
            while at < to {
                at = at.saturating_add(Duration::days(1));
                if self.is_working_day(at) {
                    n += 1;
                }
            }
            n
        };
        if today <= due {
            between(today, due)
        } else {
            -between(due, today).max(1)
        }
    }
}

/// What the queue says of a deadline.
pub fn days_left_text(days: i64) -> String {
    match days {
        0 => "Hết hạn hôm nay".into(),
        n if n > 0 => format!("Còn {n} ngày làm việc"),
        n => format!("Quá hạn {} ngày làm việc", -n),
    }
}

/// A holiday as an admin types it: a date and a name.
pub fn parse_holiday(day: &str, name: &str) -> Result<(Date, String), AppError> {
    let day = parse_date(day.trim())
        .filter(|d| day.trim().len() == 10 && (2000..=2100).contains(&d.year()))
        .ok_or_else(|| AppError::BadRequest("Ngày nghỉ không hợp lệ: hãy chọn một ngày.".into()))?;
    let name = one_line(name);
    if name.is_empty() {
        return Err(AppError::BadRequest(
            "Vui lòng nhập tên ngày nghỉ (ví dụ: Tết Nguyên đán).".into(),
        ));
    }
    if name.chars().count() > 100 {
        return Err(AppError::BadRequest(
            "Tên ngày nghỉ dài quá 100 ký tự.".into(),
        ));
    }
    Ok((day, name))
}

pub async fn add_holiday(
    pool: &SqlitePool,
    actor: &Actor,
    day: Date,
    name: &str,
) -> Result<(), AppError> {
    let mut tx = pool
        .begin()
        .await
        .map_err(internal("holiday transaction"))?;
    sqlx::query(
        "INSERT INTO holidays (day, name) VALUES (?, ?)
         ON CONFLICT (day) DO UPDATE SET name = excluded.name",
    )
    .bind(crate::format::iso_date(day))
    .bind(name)
    .execute(&mut *tx)
    .await
    .map_err(internal("adding a holiday"))?;
    audit(&mut tx, actor, "Thêm ngày nghỉ", &date_text(day), name).await?;
    tx.commit().await.map_err(internal("holiday commit"))?;
    Ok(())
}

pub async fn remove_holiday(pool: &SqlitePool, actor: &Actor, day: Date) -> Result<(), AppError> {
    let mut tx = pool
        .begin()
        .await
        .map_err(internal("holiday transaction"))?;
    let done = sqlx::query("DELETE FROM holidays WHERE day = ?")
        .bind(crate::format::iso_date(day))
        .execute(&mut *tx)
        .await
        .map_err(internal("removing a holiday"))?;
    if done.rows_affected() == 0 {
        return Err(AppError::BadRequest(format!(
            "Ngày {} không có trong danh sách ngày nghỉ.",
            date_text(day)
        )));
    }
    audit(&mut tx, actor, "Xóa ngày nghỉ", &date_text(day), "").await?;
    tx.commit().await.map_err(internal("holiday commit"))?;
    Ok(())
}

/// The holidays from `from` on, for the admins' list.
pub async fn holidays_from(pool: &SqlitePool, from: Date) -> Result<Vec<HolidayLine>, AppError> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT day, name FROM holidays WHERE day >= ? ORDER BY day")
            .bind(crate::format::iso_date(from))
            .fetch_all(pool)
            .await
            .map_err(internal("listing the holidays"))?;
    Ok(rows
        .into_iter()
        .map(|(day, name)| HolidayLine {
            shown: parse_date(&day).map(date_text).unwrap_or_default(),
            day,
            name,
        })
        .collect())
}

/// The deadlines of the questions still open, counted again on the holidays as they are now
/// (after an admin added or removed one).
pub async fn recount_deadlines(pool: &SqlitePool) -> Result<(), AppError> {
    let holidays = Holidays::load(pool).await?;
    let open: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, received_on FROM questions WHERE status IN ('received', 'assigned')",
    )
    .fetch_all(pool)
    .await
    .map_err(internal("reading the open questions"))?;
    let mut tx = pool
        .begin()
        .await
        .map_err(internal("deadline transaction"))?;
    for (id, received) in open {
        let Some(received) = parse_date(&received) else {
            continue;
        };
        sqlx::query("UPDATE questions SET due_on = ? WHERE id = ?")
            .bind(crate::format::iso_date(holidays.due(received)))
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(internal("moving a deadline"))?;
    }
    tx.commit().await.map_err(internal("deadline commit"))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn vietnam_2026() -> Holidays {
        Holidays::new([
            date!(2026 - 01 - 01),
            date!(2026 - 02 - 16),
            date!(2026 - 02 - 17),
            date!(2026 - 02 - 18),
            date!(2026 - 02 - 19),
            date!(2026 - 02 - 20),
            date!(2026 - 04 - 27),
            date!(2026 - 04 - 30),
            date!(2026 - 05 - 01),
            date!(2026 - 09 - 01),
            date!(2026 - 09 - 02),
            date!(2027 - 01 - 01),
        ])
    }

    #[test]
    fn fifteen_working_days_skip_weekends() {
        let none = Holidays::default();
        // Monday 30/11/2026: three whole weeks later.
        assert_eq!(none.due(date!(2026 - 11 - 30)), date!(2026 - 12 - 21));
        // Received on a Saturday or a Sunday: counted from the Monday after.
        assert_eq!(none.due(date!(2026 - 11 - 28)), date!(2026 - 12 - 18));
        assert_eq!(none.due(date!(2026 - 11 - 29)), date!(2026 - 12 - 18));
        // Friday: the Friday three weeks on.
        assert_eq!(none.due(date!(2026 - 12 - 04)), date!(2026 - 12 - 25));
    }

    #[test]
    fn holidays_and_the_year_end_are_skipped() {
        let cal = vietnam_2026();
        // Across the new year: 1/1/2027 (Friday) is a holiday.
        // From Mon 14/12/2026: 15,16,17,18, 21..25, 28..31 = 13, then 4/1, 5/1.
        assert_eq!(cal.due(date!(2026 - 12 - 14)), date!(2027 - 01 - 05));
        assert_eq!(
            Holidays::default().due(date!(2026 - 12 - 14)),
            date!(2027 - 01 - 04)
        );
        // Across Tết 2026 (16–20/2 off): from Mon 9/2, 10..13 = 4, 23..27/2 = 9, 2..6/3 = 14.
        assert_eq!(cal.due(date!(2026 - 02 - 09)), date!(2026 - 03 - 09));
        // Across 27/4, 30/4 and 1/5: 28, 29/4 = 2, 4..8/5 = 7, 11..15/5 = 12.
        assert_eq!(cal.due(date!(2026 - 04 - 24)), date!(2026 - 05 - 20));
    }

    #[test]
    fn days_left_count_down_then_up_past_the_deadline() {
        let cal = vietnam_2026();
        let due = date!(2026 - 12 - 21); // a Monday
        assert_eq!(cal.days_left(date!(2026 - 12 - 21), due), 0);
        assert_eq!(cal.days_left(date!(2026 - 12 - 18), due), 1);
        assert_eq!(cal.days_left(date!(2026 - 12 - 19), due), 1);
        assert_eq!(cal.days_left(date!(2026 - 12 - 14), due), 5);
        assert_eq!(cal.days_left(date!(2026 - 12 - 22), due), -1);
        assert_eq!(cal.days_left(date!(2026 - 12 - 28), due), -5);
        // Overdue over a weekend is still at least one day over.
        assert_eq!(
            cal.days_left(date!(2026 - 12 - 26), date!(2026 - 12 - 25)),
            -1
        );
        assert_eq!(days_left_text(0), "Hết hạn hôm nay");
        assert_eq!(days_left_text(3), "Còn 3 ngày làm việc");
        assert_eq!(days_left_text(-2), "Quá hạn 2 ngày làm việc");
    }

    #[test]
    fn a_holiday_needs_a_real_date_and_a_name() {
        assert!(parse_holiday("2027-02-05", " Tết  Đinh Mùi ").is_ok());
        assert_eq!(
            parse_holiday("2027-02-05", " Tết  Đinh Mùi ").unwrap().1,
            "Tết Đinh Mùi"
        );
        assert!(parse_holiday("2027-02-30", "Tết").is_err());
        assert!(parse_holiday("05/02/2027", "Tết").is_err());
        assert!(parse_holiday("0000-01-01", "Tết").is_err());
        assert!(parse_holiday("9999-12-31", "Tết").is_err());
        assert!(parse_holiday("2027-02-05", "  ").is_err());
        assert!(parse_holiday("2027-02-05", &"x".repeat(101)).is_err());
    }
}
