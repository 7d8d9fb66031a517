//! Administration: staff accounts and school settings (admins only).

use warp::reply::Response;

use crate::model::{Account, Level, Role, Subject, WifiSecurity};
use crate::service::AccountChange;

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
        let staff = ctx.staff()?.clone();
        let form = parse_form(&body)?;
        ctx.staff_with_csrf(field(&form, "csrf"))?;
        let login = field(&form, "login").unwrap_or("");
        let action = field(&form, "action").unwrap_or("");
        let done = format!(
            "/staff/admin?fait={}&compte={}",
            encode(action),
            encode(login)
        );
        let role = field(&form, "role")
            .and_then(Role::from_name)
            .unwrap_or(Role::Teacher);
        let password = field(&form, "password").unwrap_or("");
        let change = match AccountChange::from_form(action, login, role, password) {
            Some(change) => change,
            None if ["disable", "enable", "reset"].contains(&action) => {
                return Err(crate::service::Error::NotFound.into())
            }
            None => {
                return Err(
                    crate::service::Error::InvalidInput("action inconnue".to_owned()).into(),
                )
            }
        };
        ctx.state
            .library
            .hashing("admin", move |core| {
                core.accounts().apply(&staff.account, change)
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
        if let Some(security) = field(&form, "wifi_security").and_then(WifiSecurity::from_name) {
            school.wifi_security = security;
        }
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
