//! Administration: staff accounts and school settings (admins only).

use warp::reply::Response;

use crate::model::{Account, Level, Login, Role, Subject};

use std::collections::HashMap;

use super::super::context::{see_other, Ctx};
use super::super::views::layout::encode;
use super::super::views::{self, staff::AdminNotice};
use super::{field, parse_form, require_admin, FormBody};

/// `/staff/admin?fait=ajoute&compte=m.dupont`: the page, saying what the last form did.
pub(super) async fn admin_page(query: HashMap<String, String>, ctx: Ctx) -> Response {
    let notice = query.get("fait").and_then(|done| {
        let login = query.get("compte").cloned().unwrap_or_default();
        AdminNotice::from_query(done, login)
    });
    let result = async {
        let staff = require_admin(&ctx)?;
        let accounts: Vec<Account> = ctx
            .state
            .library
            .blocking(|core| core.accounts().list())
            .await?;
        let load = ctx.state.admission.load();
        let (families_served, families_waiting) = load.families();
        let crowd = views::staff::Crowd {
            families_served,
            families_waiting,
            families_refused: load.families_refused(),
        };
        Ok(ctx.html(views::staff::admin(
            &ctx.frame(),
            &staff.csrf,
            &accounts,
            crowd,
            notice.as_ref(),
        )))
    };
    ctx.page(result.await)
}

pub(super) async fn admin_accounts(ctx: Ctx, body: FormBody) -> Response {
    let result = async {
        require_admin(&ctx)?;
        let form = parse_form(&body)?;
        ctx.staff_with_csrf(field(&form, "csrf"))?;
        let login = field(&form, "login").unwrap_or("").to_owned();
        let password = field(&form, "password").unwrap_or("").to_owned();
        let action = field(&form, "action").unwrap_or("").to_owned();
        let done = format!(
            "/staff/admin?fait={}&compte={}",
            encode(&action),
            encode(&login)
        );
        let role = field(&form, "role")
            .and_then(Role::from_name)
            .unwrap_or(Role::Teacher);
        ctx.state
            .library
            .hashing("admin", move |core| {
                let accounts = core.accounts();
                let parsed = || Login::parse(&login).ok_or(crate::service::Error::NotFound);
                match action.as_str() {
                    "add" => accounts.add(&login, role, &password).map(|_| ()),
                    "disable" => accounts.set_disabled(&parsed()?, true),
                    "enable" => accounts.set_disabled(&parsed()?, false),
                    "reset" => accounts.reset_password(&parsed()?, &password),
                    _ => Err(crate::service::Error::InvalidInput(
                        "action inconnue".to_owned(),
                    )),
                }
            })
            .await?;
        Ok(see_other(&done))
    };
    ctx.page(result.await)
}

pub(super) async fn admin_school(ctx: Ctx, body: FormBody) -> Response {
    let result = async {
        require_admin(&ctx)?;
        let form = parse_form(&body)?;
        ctx.staff_with_csrf(field(&form, "csrf"))?;
        let lines = |name: &str| -> Vec<String> {
            field(&form, name)
                .unwrap_or("")
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect()
        };
        let mut school = ctx.school.clone();
        school.name = field(&form, "name").unwrap_or("").trim().to_owned();
        school.wifi_name = field(&form, "wifi_name").unwrap_or("").trim().to_owned();
        school.wifi_password = field(&form, "wifi_password").unwrap_or("").to_owned();
        school.levels = lines("levels")
            .iter()
            .filter_map(|l| Level::parse(l))
            .collect();
        school.subjects = lines("subjects")
            .iter()
            .filter_map(|s| Subject::parse(s))
            .collect();
        ctx.state
            .library
            .blocking(move |core| core.set_school(&school))
            .await?;
        Ok(see_other("/staff/admin?fait=etablissement"))
    };
    ctx.page(result.await)
}
