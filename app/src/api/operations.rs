use leptos::prelude::*;

use crate::error::AppError;
use crate::model::stats::StatisticsView;

/// `/quan-tri/thong-ke` (editors and admins): how the portal was used in a period (`days`:
/// 30, 90 or 365; or `from` to `to`), with the backups' state for admins.
#[server(endpoint = "statistics", input = leptos::server_fn::codec::GetUrl)]
pub async fn statistics(
    days: Option<String>,
    from: Option<String>,
    to: Option<String>,
) -> Result<StatisticsView, AppError> {
    use crate::model::Role;
    use crate::server::accounts::auth;
    use crate::server::operations::{backups::BackupStatus, stats};
    let official = auth::require(Role::Editor)?;
    let state = crate::server::state()?;
    let today = state.clock.today();
    let period = match stats::Period::parse(days.as_deref(), from.as_deref(), to.as_deref(), today)
    {
        Ok(period) => period,
        Err(refused) => {
            return Ok(stats::refused(
                &refused.to_string(),
                from.as_deref(),
                to.as_deref(),
                today,
            ))
        }
    };
    let statistics = stats::Statistics::load(&state.pool, &state.clock, period).await?;
    let backups = if official.can(Role::Admin) {
        Some(BackupStatus::load(&state.pool, &state.backups).await?)
    } else {
        None
    };
    Ok(statistics.view(today, backups.as_ref()))
}
