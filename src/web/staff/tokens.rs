//! "Mes jetons d'API": a staff member's tokens for scripts, made, listed and revoked one by one.
//! A teacher sees and revokes only their own tokens (someone else's is not found); an admin
//! every account's. A new token's secret is shown once, in the answer to the form that made it.

use std::collections::HashMap;

use warp::reply::Response;

use crate::model::{Login, Role};
use crate::service::{NewToken, Staff};

use super::super::context::{see_other, Ctx};
use super::super::error::WebError;
use super::super::views::{self, layout::encode, tokens::TokensView};
use super::{field, parse_form, FormBody};

/// Whose tokens this staff member manages: their own, or everyone's for an admin.
fn scope(staff: &Staff) -> Option<Login> {
    (staff.account.role != Role::Admin).then(|| staff.account.login.clone())
}

/// `/staff/jetons?fait=revoque&jeton=ID`: the list, saying what the last form did.
pub(super) async fn page(query: HashMap<String, String>, ctx: Ctx) -> Response {
    let revoked = match query.get("fait").map(String::as_str) {
        Some("revoque") => query.get("jeton").cloned(),
        _ => None,
    };
    let result = render(&ctx, revoked.as_deref(), None).await;
    ctx.page(result)
}

async fn render(
    ctx: &Ctx,
    revoked: Option<&str>,
    created: Option<&NewToken>,
) -> Result<Response, WebError> {
    let staff = ctx.staff()?.clone();
    let owner = scope(&staff);
    let tokens = ctx
        .state
        .library
        .blocking(move |core| core.accounts().tokens(owner.as_ref()))
        .await?;
    let view = TokensView {
        csrf: &staff.csrf,
        all_accounts: staff.account.role == Role::Admin,
        tokens: &tokens,
        revoked,
        created,
    };
    Ok(ctx.html(views::tokens::tokens(&ctx.frame(), &view)))
}

/// A new token for the logged-in account, with the label typed; the page shows its secret once.
pub(super) async fn create(ctx: Ctx, body: FormBody) -> Response {
    let result = async {
        let form = parse_form(&body)?;
        let staff = ctx.staff_with_csrf(field(&form, "csrf"))?.clone();
        let label = field(&form, "label").map(str::to_owned);
        let login = staff.account.login.to_string();
        let created = ctx
            .state
            .library
            .blocking(move |core| core.accounts().new_api_token(&login, label.as_deref()))
            .await?;
        render(&ctx, None, Some(&created)).await
    };
    ctx.page(result.await)
}

pub(super) async fn revoke(id: String, ctx: Ctx, body: FormBody) -> Response {
    let result = async {
        let form = parse_form(&body)?;
        let staff = ctx.staff_with_csrf(field(&form, "csrf"))?.clone();
        let owner = scope(&staff);
        let done = format!("/staff/jetons?fait=revoque&jeton={}", encode(&id));
        ctx.state
            .library
            .blocking(move |core| core.accounts().revoke_token(&id, owner.as_ref()))
            .await?;
        Ok(see_other(&done))
    };
    ctx.page(result.await)
}
