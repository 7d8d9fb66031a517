//! Staff documents: upload, "Mes documents", edit, replace the file, delete.

use std::collections::HashMap;

use warp::reply::Response;

use crate::model::{DocumentFilter, Role};
use crate::service::Added;

use super::super::context::{see_other, Ctx};
use super::super::error::WebError;
use super::super::upload;
use super::super::views::{self, staff::UploadResult};
use super::{changeable, field, parse_form, FormBody};

pub(super) fn upload_page(ctx: Ctx) -> Response {
    let result = ctx.staff().map(|staff| {
        ctx.html(views::staff::upload_form(
            &ctx.frame(),
            &staff.csrf,
            ctx.state.max_upload_bytes,
        ))
    });
    ctx.page(result)
}

pub(super) async fn upload(
    ctx: Ctx,
    form: Result<super::super::body::Multipart, WebError>,
) -> Response {
    let result = async {
        let staff = ctx.staff()?.clone();
        let received = upload::receive(&ctx.state.library, form).await?;
        ctx.staff_with_csrf(received.field("csrf"))?;
        let metadata = received.metadata(Some(staff.account.login.to_string()))?;
        if received.files.is_empty() {
            return Err(WebError::bad_request("Choisissez au moins un fichier."));
        }
        let results: Vec<UploadResult> = received
            .add_all(&ctx.state.library, &metadata)
            .await
            .into_iter()
            .map(|(file_name, outcome)| match outcome {
                Ok(Added::New(document)) => UploadResult::Added(document),
                Ok(Added::Duplicate(document)) => UploadResult::Duplicate(document),
                Err(error) => UploadResult::Refused {
                    file_name,
                    reason: error.message_in(ctx.lang).to_owned(),
                },
            })
            .collect();
        Ok(ctx.html(views::staff::upload_results(&ctx.frame(), &results)))
    };
    ctx.page(result.await)
}

/// Documents per page of "Mes documents".
const PER_PAGE: usize = 50;

/// A teacher's own documents, or every document for an admin, newest first.
pub(super) async fn mine(query: HashMap<String, String>, ctx: Ctx) -> Response {
    let result = async {
        let staff = ctx.staff()?.clone();
        let all = staff.account.role == Role::Admin;
        let page = query
            .get("page")
            .and_then(|p| p.parse::<usize>().ok())
            .unwrap_or(1)
            .clamp(1, 10_000);
        let filter = DocumentFilter {
            owner: (!all).then(|| staff.account.login.to_string()),
            limit: PER_PAGE,
            offset: (page - 1) * PER_PAGE,
            ..DocumentFilter::default()
        };
        let (documents, total) = ctx.state.library.list(filter).await?;
        let pages = views::Pages {
            page,
            has_next: page * PER_PAGE < total,
        };
        let deleted = query.get("fait").is_some_and(|done| done == "supprime");
        Ok(ctx.html(views::staff::my_documents(
            &ctx.frame(),
            &views::staff::MyDocuments {
                documents: &documents,
                all,
                pages,
                deleted,
            },
        )))
    };
    ctx.page(result.await)
}

pub(super) async fn edit_page(id: String, ctx: Ctx) -> Response {
    let result = async {
        let (staff, document) = changeable(&ctx, &id).await?;
        Ok(ctx.html(views::staff::edit(&ctx.frame(), &staff.csrf, &document)))
    };
    ctx.page(result.await)
}

pub(super) async fn edit(id: String, ctx: Ctx, body: FormBody) -> Response {
    let result = async {
        let (staff, document) = changeable(&ctx, &id).await?;
        let form = parse_form(&body)?;
        ctx.staff_with_csrf(field(&form, "csrf"))?;
        let received = upload::ReceivedForm {
            fields: form,
            files: Vec::new(),
        };
        let metadata = received.metadata(None)?;
        ctx.state
            .library
            .update_metadata(staff.account, document.id.clone(), metadata)
            .await?;
        Ok(see_other(&format!(
            "/documents/{}?fait=modifie",
            document.id
        )))
    };
    ctx.page(result.await)
}

pub(super) async fn replace(
    id: String,
    ctx: Ctx,
    form: Result<super::super::body::Multipart, WebError>,
) -> Response {
    let result = async {
        let (staff, document) = changeable(&ctx, &id).await?;
        let mut received = upload::receive(&ctx.state.library, form).await?;
        ctx.staff_with_csrf(received.field("csrf"))?;
        let (file_name, file) = received
            .files
            .pop()
            .ok_or_else(|| WebError::bad_request("Choisissez un fichier."))?;
        let file = file?;
        let id = document.id.clone();
        ctx.state
            .library
            .long_job(crate::service::JobClass::Staff, move |core| {
                core.changeable_document(&staff.account, &id)?;
                core.replace_with_received(&id, file, &file_name)
            })
            .await?;
        Ok(see_other(&format!(
            "/documents/{}?fait=remplace",
            document.id
        )))
    };
    ctx.page(result.await)
}

pub(super) async fn delete(id: String, ctx: Ctx, body: FormBody) -> Response {
    let result = async {
        let (staff, document) = changeable(&ctx, &id).await?;
        let form = parse_form(&body)?;
        ctx.staff_with_csrf(field(&form, "csrf"))?;
        if field(&form, "confirm") != Some("yes") {
            return Err(WebError::bad_request(
                "Cochez la case de confirmation pour supprimer le document.",
            ));
        }
        ctx.state.library.remove(staff.account, document.id).await?;
        Ok(see_other("/staff/documents?fait=supprime"))
    };
    ctx.page(result.await)
}
