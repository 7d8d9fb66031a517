//! The staff's cahier de texte (`/staff/cahier`): their entries, the form that writes or
//! changes one (multipart, so files chosen in it go through the normal upload and are attached),
//! and deleting. A teacher changes only their own entries, an admin any (the service decides);
//! every post carries the session's CSRF token.

use std::collections::HashMap;
use std::sync::Arc;

use warp::filters::BoxedFilter;
use warp::reply::Response;
use warp::Filter;

use crate::model::{DocumentId, Role};
use crate::service::{Added, EntryDocuments, Error, Staff};

use super::super::body::Multipart;
use super::super::context::{html_response, see_other, with_context, AppState, Ctx};
use super::super::error::WebError;
use super::super::upload;
use super::super::views::{self, homework_staff as view};
use super::homework_draft::{next_school_day, Draft};
use super::{field, parse_form, FormBody, FORM_LIMIT};

/// Entries per page of the list.
const PER_PAGE: usize = 50;

pub fn routes(state: Arc<AppState>) -> BoxedFilter<(Response,)> {
    let ctx = with_context(state);
    let multipart = super::super::body::multipart(upload::MAX_FORM_BYTES);
    let list = warp::path!("staff" / "cahier")
        .and(warp::get())
        .and(warp::query::<HashMap<String, String>>())
        .and(ctx.clone())
        .then(list);
    let new_page = warp::path!("staff" / "cahier" / "nouvelle")
        .and(warp::get())
        .and(warp::query::<HashMap<String, String>>())
        .and(ctx.clone())
        .then(new_page);
    let create = warp::path!("staff" / "cahier" / "nouvelle")
        .and(warp::post())
        .and(ctx.clone())
        .and(multipart.clone())
        .then(|ctx, form| save(None, ctx, form));
    let edit_page = warp::path!("staff" / "cahier" / i64)
        .and(warp::get())
        .and(ctx.clone())
        .then(edit_page);
    let change = warp::path!("staff" / "cahier" / i64)
        .and(warp::post())
        .and(ctx.clone())
        .and(multipart)
        .then(|id, ctx, form| save(Some(id), ctx, form));
    let delete = warp::path!("staff" / "cahier" / i64 / "supprimer")
        .and(warp::post())
        .and(ctx)
        .and(super::super::body::small_form(FORM_LIMIT))
        .then(delete);
    list.or(new_page)
        .unify()
        .or(create)
        .unify()
        .or(edit_page)
        .unify()
        .or(change)
        .unify()
        .or(delete)
        .unify()
        .boxed()
}

async fn list(query: HashMap<String, String>, ctx: Ctx) -> Response {
    let result = async {
        let staff = ctx.staff()?.clone();
        let page = query
            .get("page")
            .and_then(|p| p.parse::<usize>().ok())
            .unwrap_or(1)
            .clamp(1, 1000);
        let account = staff.account.clone();
        let (entries, total) = ctx
            .state
            .library
            .blocking(move |core| {
                core.homework_written_by(&account, PER_PAGE, (page - 1) * PER_PAGE)
            })
            .await?;
        let done = match query.get("fait").map(String::as_str) {
            Some("enregistre") => Some(ctx.lang.t("Consigne enregistrée.", "Entry saved.")),
            Some("supprime") => Some(ctx.lang.t("Consigne supprimée.", "Entry deleted.")),
            _ => None,
        };
        Ok(ctx.html(view::list(
            &ctx.frame(),
            &view::EntryList {
                entries: &entries,
                all: staff.account.role == Role::Admin,
                pages: views::Pages {
                    page,
                    has_next: page * PER_PAGE < total,
                },
                done,
            },
        )))
    };
    ctx.page(result.await)
}

/// `/staff/cahier/nouvelle[?document=ID]`: a blank form, with that document attached (the
/// "Joindre à une consigne" button of a document's page).
async fn new_page(query: HashMap<String, String>, ctx: Ctx) -> Response {
    let result = async {
        let staff = ctx.staff()?.clone();
        let mut draft = Draft::blank(next_school_day(super::super::classes::today()));
        draft
            .documents
            .extend(query.get("document").and_then(|id| DocumentId::parse(id)));
        show_form(&ctx, &staff, None, draft, Shown::default()).await
    };
    ctx.page(result.await)
}

async fn edit_page(id: i64, ctx: Ctx) -> Response {
    let result = async {
        let staff = ctx.staff()?.clone();
        let account = staff.account.clone();
        let entry = ctx
            .state
            .library
            .blocking(move |core| core.changeable_homework(&account, id))
            .await?;
        let draft = Draft::of_entry(&entry, &ctx.school.levels);
        show_form(&ctx, &staff, Some(id), draft, Shown::default()).await
    };
    ctx.page(result.await)
}

/// The form sent: files first uploaded and attached; then either the library searched ("Chercher")
/// or the entry saved. A problem shows the form again with what was typed.
async fn save(id: Option<i64>, ctx: Ctx, form: Result<Multipart, WebError>) -> Response {
    let result = async {
        let staff = ctx.staff()?.clone();
        if let Some(id) = id {
            // Refused before any file of the form is stored.
            let account = staff.account.clone();
            ctx.state
                .library
                .blocking(move |core| core.changeable_homework(&account, id))
                .await?;
        }
        let received = upload::receive(&ctx.state.library, form).await?;
        ctx.staff_with_csrf(received.field("csrf"))?;
        let mut draft = Draft::from_fields(&received.fields);
        let searching = received.field("action") == Some("chercher");
        let mut shown = Shown::default();
        if !received.files.is_empty() {
            let metadata = draft.upload_metadata(staff.account.login.to_string());
            let mut added = Vec::new();
            let mut refused = Vec::new();
            for (name, outcome) in received.add_all(&ctx.state.library, &metadata).await {
                match outcome {
                    Ok(Added::New(document) | Added::Duplicate(document)) => {
                        added.push(document.title);
                        draft.documents.push(document.id);
                    }
                    Err(error) => refused.push(format!("« {name} » : {}", error.message)),
                }
            }
            if !added.is_empty() {
                shown.notice = Some(format!(
                    "{}{}.",
                    ctx.lang.t("Déposé et joint : ", "Uploaded and attached: "),
                    added.join(", ")
                ));
            }
            if !refused.is_empty() {
                shown.problem = Some(format!(
                    "{}{}",
                    ctx.lang.t("Fichier refusé, ", "File refused, "),
                    refused.join(" ; ")
                ));
                return show_form(&ctx, &staff, id, draft, shown).await;
            }
        }
        if searching {
            return show_form(&ctx, &staff, id, draft, shown).await;
        }
        let entry = match draft.entry() {
            Ok(entry) => entry,
            Err(problem) => {
                shown.problem = Some(problem);
                return show_form(&ctx, &staff, id, draft, shown).await;
            }
        };
        let account = staff.account.clone();
        let saved = ctx
            .state
            .library
            .blocking(move |core| match id {
                Some(id) => core.change_homework(&account, id, entry),
                None => core.add_homework(&account, entry).map(drop),
            })
            .await;
        match saved {
            Ok(()) => Ok(see_other("/staff/cahier?fait=enregistre")),
            Err(Error::InvalidInput(problem)) => {
                shown.problem = Some(problem);
                show_form(&ctx, &staff, id, draft, shown).await
            }
            Err(other) => Err(other.into()),
        }
    };
    ctx.page(result.await)
}

async fn delete(id: i64, ctx: Ctx, body: FormBody) -> Response {
    let result = async {
        let staff = ctx.staff()?.clone();
        let form = parse_form(&body)?;
        ctx.staff_with_csrf(field(&form, "csrf"))?;
        if field(&form, "confirm") != Some("yes") {
            return Err(WebError::bad_request(
                "Cochez la case de confirmation pour supprimer la consigne.",
            ));
        }
        let account = staff.account.clone();
        ctx.state
            .library
            .blocking(move |core| core.remove_homework(&account, id))
            .await?;
        Ok(see_other("/staff/cahier?fait=supprime"))
    };
    ctx.page(result.await)
}

/// Messages shown above the form; a problem makes it a 400.
#[derive(Default)]
struct Shown {
    problem: Option<String>,
    notice: Option<String>,
}

async fn show_form(
    ctx: &Ctx,
    staff: &Staff,
    id: Option<i64>,
    draft: Draft,
    shown: Shown,
) -> Result<Response, WebError> {
    let EntryDocuments { attached, offered } = ctx
        .state
        .library
        .entry_documents(
            staff.account.login.clone(),
            draft.documents.clone(),
            draft.search.clone(),
        )
        .await?;
    let status = WebError::form_status(shown.problem.is_some());
    let markup = view::form(
        &ctx.frame(),
        &view::EntryForm {
            id,
            csrf: &staff.csrf,
            levels: &draft.levels,
            other_classes: &draft.other_classes,
            due: &draft.due,
            subject: draft.subject.as_ref(),
            instruction: &draft.instruction,
            attached: &attached,
            offered: &offered,
            search: draft.search.trim(),
            problem: shown.problem.as_deref(),
            notice: shown.notice.as_deref(),
            max_upload_bytes: ctx.state.max_upload_bytes,
        },
    );
    Ok(html_response(markup, status))
}
