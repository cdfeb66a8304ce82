//! Accounts from the server's command line, and the first admin of a fresh install.
//!
//! ```text
//! server user add --role admin|editor|writer [--name "Họ và tên"] <username>
//! server setting set <key> <value>
//! server backup [--to DIR]          server backup --verify ARCHIVE
//! server restore ARCHIVE --data-dir DIR
//! ```
//! The password is asked twice on the terminal (not echoed), or read from the first line of
//! standard input when that is not a terminal (`printf '%s\n' "$PASS" | server user add ...`).

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use app::error::AppError;
use app::format::count_vn;
use app::model::Role;
use app::server::accounts::auth::{self, DisplayName, NewPassword, PasswordChecks, Username};
use app::server::accounts::{self, Actor};
use app::server::site;
use sqlx::SqlitePool;

use crate::{db, Config, StartError};

/// The file, in the data directory, that holds the first admin's generated password.
pub const FIRST_ADMIN_FILE: &str = "admin-password.txt";

/// `server [COMMAND]`: without a command, the portal serves.
#[derive(Debug, clap::Parser)]
#[command(
    name = "server",
    about = "Cổng thông tin điện tử cấp xã. Không kèm lệnh: chạy cổng thông tin.",
    disable_help_subcommand = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Tài khoản cán bộ.
    #[command(subcommand)]
    User(UserCommand),
    /// Thông tin của cổng (địa chỉ, điện thoại, thư điện tử...).
    #[command(subcommand)]
    Setting(SettingCommand),
    /// Liên kết dịch vụ trên trang chủ (thủ tục hành chính, dịch vụ công...).
    #[command(subcommand)]
    Link(LinkCommand),
    /// Sao lưu cơ sở dữ liệu và tệp (khi cổng đang chạy cũng được), hoặc kiểm tra một tệp sao lưu.
    Backup {
        /// Thư mục ghi tệp sao lưu (mặc định: PORTAL_BACKUP_DIR, không có thì <thư mục dữ liệu>/backups).
        #[arg(long, value_name = "DIR", conflicts_with = "verify")]
        to: Option<PathBuf>,
        /// Kiểm tra một tệp sao lưu (mọi mã kiểm tra, rồi cơ sở dữ liệu) thay vì sao lưu.
        #[arg(long, value_name = "ARCHIVE")]
        verify: Option<PathBuf>,
    },
    /// Khôi phục một tệp sao lưu vào một thư mục dữ liệu mới hoặc trống.
    Restore {
        /// Tệp sao lưu (portal-….tar.gz).
        archive: PathBuf,
        /// Thư mục dữ liệu sẽ tạo (phải chưa có hoặc trống).
        #[arg(long, value_name = "DIR")]
        data_dir: PathBuf,
    },
}

#[derive(Debug, clap::Subcommand)]
pub enum LinkCommand {
    /// Xem các liên kết, theo thứ tự.
    List,
    /// Thêm một liên kết vào cuối.
    Add {
        /// Tên hiện trên trang, ví dụ: "Thủ tục hành chính".
        label: String,
        /// Địa chỉ: /... (trang của cổng) hoặc https://...
        href: String,
        /// Một dòng mô tả dưới tên.
        #[arg(long, default_value = "")]
        description: String,
    },
    /// Bỏ liên kết ở vị trí đã cho (xem bằng `server link list`).
    Remove { position: i64 },
}

#[derive(Debug, clap::Subcommand)]
pub enum UserCommand {
    /// Tạo tài khoản; mật khẩu hỏi trên terminal, hoặc đọc dòng đầu của stdin.
    Add {
        /// Vai trò: admin, editor hoặc writer.
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// Họ và tên hiển thị (mặc định: tên đăng nhập).
        #[arg(long)]
        name: Option<String>,
        /// Tên đăng nhập.
        username: String,
    },
}

#[derive(Debug, clap::Subcommand)]
pub enum SettingCommand {
    /// Đặt một mục; không kèm gì để xem các mục.
    Set {
        key: Option<String>,
        value: Option<String>,
    },
}

fn parse_role(raw: &str) -> Result<Role, String> {
    Role::parse(raw).ok_or_else(|| "cần admin, editor hoặc writer".to_string())
}

/// Runs a command given on the command line; returns the process's exit code.
pub async fn run(command: Command) -> std::process::ExitCode {
    let result = match command {
        Command::User(UserCommand::Add {
            role,
            name,
            username,
        }) => user_add(role, name.as_deref(), &username).await,
        Command::Setting(SettingCommand::Set {
            key: Some(key),
            value: Some(value),
        }) => setting_set(&key, &value).await,
        Command::Setting(SettingCommand::Set { .. }) => Err(setting_keys()),
        Command::Link(command) => link(command).await,
        Command::Backup {
            verify: Some(archive),
            ..
        } => crate::backup::verify(&archive)
            .await
            .map(|manifest| format!("Tệp sao lưu nguyên vẹn.\n{}", summary(&manifest))),
        Command::Backup { to, verify: None } => backup(to).await,
        Command::Restore { archive, data_dir } => crate::backup::restore(&archive, &data_dir)
            .await
            .map(|manifest| {
                format!(
                    "Đã khôi phục vào {}.\n{}\nChạy cổng trên dữ liệu này: PORTAL_DATA_DIR={} server",
                    data_dir.display(),
                    summary(&manifest),
                    data_dir.display()
                )
            }),
    };
    match result {
        Ok(message) => {
            println!("{message}");
            std::process::ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("{message}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn user_add(role: Role, name: Option<&str>, username: &str) -> Result<String, String> {
    let username = Username::parse(username).map_err(message)?;
    let name = DisplayName::parse(name.unwrap_or(username.as_str())).map_err(message)?;
    let password = read_password()?;

    let config = Config::from_env().map_err(|e| e.to_string())?;
    let pool = db::connect(&config.database_url)
        .await
        .map_err(|e| e.to_string())?;
    let created = accounts::create(
        &pool,
        &PasswordChecks::default(),
        &Actor::command_line(),
        &username,
        &name,
        role,
        password,
    )
    .await
    .map_err(message);
    pool.close().await;
    created?;
    Ok(format!(
        "Đã tạo tài khoản “{}” ({}).",
        username.as_str(),
        role.label()
    ))
}

async fn setting_set(key: &str, value: &str) -> Result<String, String> {
    let config = Config::from_env().map_err(|e| e.to_string())?;
    let pool = db::connect(&config.database_url)
        .await
        .map_err(|e| e.to_string())?;
    let stored = site::set(&pool, key, value).await.map_err(message);
    pool.close().await;
    stored?;
    Ok(format!("Đã lưu {key}."))
}

async fn link(command: LinkCommand) -> Result<String, String> {
    let config = Config::from_env().map_err(|e| e.to_string())?;
    let pool = db::connect(&config.database_url)
        .await
        .map_err(|e| e.to_string())?;
    let done = match command {
        LinkCommand::List => site::service_links(&pool).await.map(|links| {
            if links.is_empty() {
                return "Chưa có liên kết nào.".to_string();
            }
            links
                .iter()
                .enumerate()
                .map(|(i, l)| format!("{}. {}  {}  {}", i + 1, l.label, l.href, l.description))
                .collect::<Vec<_>>()
                .join("\n")
        }),
        LinkCommand::Add {
            label,
            href,
            description,
        } => site::add_service_link(&pool, &label, &description, &href)
            .await
            .map(|_| format!("Đã thêm liên kết “{label}”.")),
        LinkCommand::Remove { position } => {
            match site::remove_service_link(&pool, position).await {
                Ok(true) => Ok(format!("Đã bỏ liên kết ở vị trí {position}.")),
                Ok(false) => Err(AppError::NotFound(format!(
                    "Không có liên kết ở vị trí {position}."
                ))),
                Err(err) => Err(err),
            }
        }
    };
    pool.close().await;
    done.map_err(message)
}

async fn backup(to: Option<PathBuf>) -> Result<String, String> {
    // A backup of a database made on the spot would be a backup of nothing: the data directory
    // must hold the portal's database already.
    let data_dir = crate::config::data_dir_from_env();
    let database = data_dir.join(crate::backup::DATABASE);
    let own_url = std::env::var("DATABASE_URL").is_ok_and(|u| !u.trim().is_empty());
    if !own_url && !database.is_file() {
        return Err(format!(
            "Không có cơ sở dữ liệu của cổng ở {}. Hãy đặt PORTAL_DATA_DIR là thư mục dữ liệu của cổng (như khi chạy cổng).",
            database.display()
        ));
    }
    let config = Config::from_env().map_err(|e| e.to_string())?;
    let dir = to
        .or(config.backups.dir.clone())
        .unwrap_or_else(|| config.data_dir.join("backups"));
    let pool = db::connect(&config.database_url)
        .await
        .map_err(|e| e.to_string())?;
    let made = crate::backup::run(
        &pool,
        &app::server::time::Clock::default(),
        &config.media.dir,
        &dir,
        app::server::operations::backups::Trigger::Command,
    )
    .await;
    pool.close().await;
    let made = made.map_err(|reason| {
        format!(
            "Sao lưu {} vào {} không thành công: {reason}.",
            config.data_dir.display(),
            dir.display()
        )
    })?;
    Ok(format!(
        "Đã sao lưu {} vào {} ({} byte).\n{}",
        config.data_dir.display(),
        made.path.display(),
        count_vn(i64::try_from(made.bytes).unwrap_or(i64::MAX)),
        summary(&made.manifest)
    ))
}

/// What an archive holds, in a few lines.
fn summary(manifest: &crate::backup::Manifest) -> String {
    let rows = |table: &str| manifest.tables.get(table).copied().unwrap_or(0);
    let counter = |name: &str| manifest.counters.get(name).copied().unwrap_or(0);
    let media = manifest.files.len().saturating_sub(1);
    format!(
        "Tạo lúc {}, cơ sở dữ liệu phiên bản {}.\n\
         {} bài viết và trang, {} phiên bản bài viết, {} tài khoản, {} văn bản, {} tệp đính kèm, {} video; {} tệp phương tiện.\n\
         Lượt truy cập {}, lượt xem bài viết {}, lượt xem video {}.",
        time::OffsetDateTime::parse(
            &manifest.created_at,
            &time::format_description::well_known::Rfc3339
        )
        .map(|t| app::format::datetime_seconds_vn(&t))
        .unwrap_or_else(|_| manifest.created_at.clone()),
        manifest.schema_version,
        rows("posts"),
        rows("post_revisions"),
        rows("users"),
        rows("documents"),
        rows("attachments"),
        rows("clips"),
        media,
        count_vn(counter("visits")),
        count_vn(counter("post_views")),
        count_vn(counter("clip_views")),
    )
}

fn setting_keys() -> String {
    let mut text = String::from("Cách dùng: server setting set <mục> <giá trị>\nCác mục:\n");
    for (key, what) in site::EDITABLE {
        text.push_str(&format!("  {key:<20} {what}\n"));
    }
    text
}

fn read_password() -> Result<NewPassword, String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password(format!(
            "Mật khẩu (ít nhất {} ký tự): ",
            auth::MIN_PASSWORD_CHARS
        ))
        .map_err(|e| e.to_string())?;
        let password = NewPassword::parse(&first).map_err(message)?;
        let again = rpassword::prompt_password("Nhập lại mật khẩu: ").map_err(|e| e.to_string())?;
        if again != first {
            return Err("Mật khẩu nhập lại không khớp.".into());
        }
        Ok(password)
    } else {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| e.to_string())?;
        NewPassword::parse(line.trim_end_matches(['\r', '\n'])).map_err(message)
    }
}

fn message(err: AppError) -> String {
    err.to_string()
}

/// On a database with no admin account, creates the admin `admin` with a random password and
/// writes it to a file only the server's user can read, whose path the log names. There is never
/// a default password.
pub async fn first_admin(pool: &SqlitePool, data_dir: &Path) -> Result<(), StartError> {
    let failed = |e: AppError| StartError::FirstAdmin(e.to_string());
    if accounts::count_admins(pool).await.map_err(failed)? > 0 {
        return Ok(());
    }
    let password = auth::random_hex(10);
    let path = data_dir.join(FIRST_ADMIN_FILE);
    write_private(
        &path,
        &format!(
            "Tài khoản quản trị đầu tiên của cổng thông tin\n\
             Tên đăng nhập: admin\n\
             Mật khẩu: {password}\n\
             Hãy đăng nhập tại /dang-nhap, đổi mật khẩu ngay (trang Đổi mật khẩu), rồi xóa tệp này.\n"
        ),
    )
    .map_err(|e| StartError::FirstAdmin(format!("{}: {e}", path.display())))?;
    accounts::create(
        pool,
        &PasswordChecks::default(),
        &Actor::command_line(),
        &Username::parse("admin").map_err(failed)?,
        &DisplayName::parse("Quản trị viên").map_err(failed)?,
        Role::Admin,
        NewPassword::parse(&password).map_err(failed)?,
    )
    .await
    .map_err(failed)?;
    tracing::warn!(
        file = %path.display(),
        "created the first admin account `admin`; its one-time password is in this file (readable only by this user)"
    );
    Ok(())
}

/// Writes `text` to a new file with mode 0600, replacing any older one.
fn write_private(path: &PathBuf, text: &str) -> std::io::Result<()> {
    let _ = std::fs::remove_file(path);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}
