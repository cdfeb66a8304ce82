use crate::components::page_meta::PageTitle;
use leptos::either::Either;
use leptos::prelude::*;

use crate::api::accounts::{
    list_accounts, CreateAccount, ResetAccountPassword, SetAccountDisabled, SetAccountRole,
};
use crate::components::data_table::DataTable;
use crate::components::error_view::loaded;
use crate::components::official::FormResult;
use crate::error::AppError;
use crate::format::datetime_vn;
use crate::model::{Account, Role};

/// The forms of the page, shared by the rows; the list reloads after each one succeeds.
#[derive(Clone, Copy)]
struct Actions {
    create: ServerAction<CreateAccount>,
    role: ServerAction<SetAccountRole>,
    disabled: ServerAction<SetAccountDisabled>,
    password: ServerAction<ResetAccountPassword>,
}

/// `/quan-tri/tai-khoan`: admins create accounts, change roles, disable and re-enable them,
/// and set new passwords.
#[component]
pub fn AccountsPage() -> impl IntoView {
    let actions = Actions {
        create: ServerAction::new(),
        role: ServerAction::new(),
        disabled: ServerAction::new(),
        password: ServerAction::new(),
    };
    let accounts = Resource::new(
        move || {
            (
                actions.create.version().get(),
                actions.role.version().get(),
                actions.disabled.version().get(),
                actions.password.version().get(),
            )
        },
        |_| list_accounts(),
    );
    provide_context(actions);
    let last: RwSignal<Option<Result<(), AppError>>> = RwSignal::new(None);
    Effect::new(move |_| {
        for value in [
            actions.create.value().get(),
            actions.role.value().get(),
            actions.disabled.value().get(),
            actions.password.value().get(),
        ]
        .into_iter()
        .flatten()
        {
            last.set(Some(value));
        }
    });
    provide_context(LastResult(last));
    // Only for admins: anyone else gets the error page alone.
    loaded(accounts, |list| {
        let last = expect_context::<LastResult>().0;
        view! {
            <PageTitle text="Quản lý tài khoản"/>
            <h1>"Quản lý tài khoản"</h1>
            <FormResult result=last.into() done="Đã lưu thay đổi."/>
            <DataTable test="accounts" caption="Tài khoản của cán bộ"
                columns=["Tên đăng nhập", "Họ và tên", "Vai trò", "Trạng thái", "Đặt lại mật khẩu"]
                rows=list row=|account| view! { <AccountRow account/> }/>
            <NewAccountForm/>
        }
    })
}

/// The answer of whichever form of the page was sent last.
#[derive(Clone, Copy)]
struct LastResult(RwSignal<Option<Result<(), AppError>>>);

#[component]
fn AccountRow(account: Account) -> impl IntoView {
    let actions = expect_context::<Actions>();
    let id = account.id.to_string();
    let (id_role, id_disabled, id_password) = (id.clone(), id.clone(), id);
    let username = account.username.clone();
    let (name_role, name_password, name_row) =
        (username.clone(), username.clone(), username.clone());
    let role_id = format!("vai-tro-{}", account.id);
    let password_id = format!("mat-khau-{}", account.id);
    let status = if account.disabled {
        "Đã khóa".to_string()
    } else if account.sessions > 0 {
        format!("Đang hoạt động, {} phiên đăng nhập", account.sessions)
    } else {
        "Đang hoạt động".to_string()
    };
    view! {
        <tr data-test="account" data-username=name_row>
            <th scope="row">{username}</th>
            <td>{account.display_name}<br/><small>"Tạo lúc " {datetime_vn(&account.created_at)}</small></td>
            <td>
                <ActionForm action=actions.role attr:class="inline-form">
                    <input type="hidden" name="id" value=id_role/>
                    <label for=role_id.clone() class="visually-hidden">
                        "Vai trò của " {name_role}
                    </label>
                    <select id=role_id name="role">
                        {Role::ALL.into_iter().map(|role| view! {
                            <option value=role.as_str() selected=role == account.role>{role.label()}</option>
                        }).collect_view()}
                    </select>
                    <button type="submit">"Lưu"</button>
                </ActionForm>
            </td>
            <td>
                <span data-test="account-status">{status}</span>
                <ActionForm action=actions.disabled attr:class="inline-form">
                    <input type="hidden" name="id" value=id_disabled/>
                    <input type="hidden" name="disabled" value=(!account.disabled).to_string()/>
                    <button type="submit">{if account.disabled { "Mở khóa" } else { "Khóa" }}</button>
                </ActionForm>
            </td>
            <td>
                {if account.is_me {
                    // Their own password needs the current one: no reset form here.
                    Either::Left(view! {
                        <a href="/doi-mat-khau" data-test="own-password">"Đổi mật khẩu của bạn"</a>
                    })
                } else {
                    Either::Right(view! {
                        <ActionForm action=actions.password attr:class="inline-form">
                            <input type="hidden" name="id" value=id_password/>
                            <label for=password_id.clone() class="visually-hidden">
                                "Mật khẩu mới cho " {name_password}
                            </label>
                            <input id=password_id name="password" type="password" autocomplete="new-password"
                                minlength="10" required placeholder="Mật khẩu mới"/>
                            <button type="submit">"Đặt lại"</button>
                        </ActionForm>
                    })
                }}
            </td>
        </tr>
    }
}

#[component]
fn NewAccountForm() -> impl IntoView {
    let actions = expect_context::<Actions>();
    view! {
        <section class="form-page">
            <h2>"Tạo tài khoản mới"</h2>
            <ActionForm action=actions.create attr:class="form" attr:data-test="new-account">
                <label for="new-username">"Tên đăng nhập"</label>
                <input id="new-username" name="username" type="text" autocapitalize="none"
                    spellcheck="false" required/>
                <label for="new-name">"Họ và tên"</label>
                <input id="new-name" name="display_name" type="text" required/>
                <label for="new-role">"Vai trò"</label>
                <select id="new-role" name="role">
                    {Role::ALL.into_iter().map(|role| view! {
                        <option value=role.as_str()>{role.label()}</option>
                    }).collect_view()}
                </select>
                <label for="new-password">"Mật khẩu (ít nhất 10 ký tự)"</label>
                <input id="new-password" name="password" type="password" autocomplete="new-password"
                    minlength="10" required/>
                <button type="submit">"Tạo tài khoản"</button>
            </ActionForm>
        </section>
    }
}
