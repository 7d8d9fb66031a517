//! The desk's print queue: open requests with their tickets, documents, pages and age, and per
//! request "Imprimer" (when a print command is available), "Télécharger le PDF", "Terminé",
//! "Annuler". Any staff member may use it. A printer that fails is said on the page, in French.

use std::collections::HashMap;

use warp::http::StatusCode;
use warp::reply::Response;

use crate::model::french_date;
use crate::service::{JobClass, PrintAction};

use super::super::context::{html_response, see_other, Ctx};
use super::super::error::WebError;
use super::super::print::{open_pack, send_pack, site};
use super::super::views::{self, print::QueueNotice};
use super::{field, parse_form, FormBody};

pub(super) async fn queue(query: HashMap<String, String>, ctx: Ctx) -> Response {
    let notice = match (query.get("fait").map(String::as_str), query.get("ticket")) {
        (Some(done), Some(ticket)) => ticket
            .parse::<u32>()
            .ok()
            .and_then(|ticket| QueueNotice::done(done, ticket)),
        _ => None,
    };
    ctx.page(queue_page(&ctx, notice, StatusCode::OK).await)
}

async fn queue_page(
    ctx: &Ctx,
    notice: Option<QueueNotice>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let staff = ctx.staff()?.clone();
    let command = ctx.state.print_command.clone();
    let desk = ctx.state.library.print_desk(command).await?;
    let markup = views::print::queue(
        &ctx.frame(),
        &staff.csrf,
        &desk.queue,
        desk.printer.as_deref(),
        notice.as_ref(),
    );
    Ok(html_response(markup, status))
}

/// `action=imprimer|terminer|annuler` on one request, with the session's CSRF token.
pub(super) async fn act(id: i64, host: Option<String>, ctx: Ctx, body: FormBody) -> Response {
    let result = async {
        let form = parse_form(&body)?;
        ctx.staff_with_csrf(field(&form, "csrf"))?;
        let action = field(&form, "action").unwrap_or("").to_owned();
        let order = match action.as_str() {
            "imprimer" => {
                let command = ctx.state.print_command.clone().ok_or_else(|| {
                    WebError::bad_request(
                        "Aucune commande d'impression n'est configurée : téléchargez le PDF et imprimez-le depuis un poste.",
                    )
                })?;
                PrintAction::Print {
                    command,
                    school: ctx.school.name.clone(),
                    site: site(host.as_deref(), ctx.state.lan_site.as_deref()),
                }
            }
            "terminer" => PrintAction::Done,
            "annuler" => PrintAction::Cancel,
            _ => return Err(WebError::bad_request("Action inconnue.")),
        };
        let outcome = ctx.state.library.act_on_print(id, order).await;
        match outcome {
            Ok(request) => Ok(see_other(&format!(
                "/staff/impressions?fait={action}&ticket={}",
                request.ticket
            ))),
            // No such request: a missing page, not a notice on the queue.
            Err(error @ crate::service::Error::NotFound) => Err(error.into()),
            // The printer refusing, a request already closed: said on the queue page itself.
            Err(error) => {
                let error = WebError::from(error);
                queue_page(&ctx, Some(QueueNotice::Failed(error.message)), error.status).await
            }
        }
    };
    ctx.page(result.await)
}

/// "Télécharger le PDF": the request's pack, built now.
pub(super) async fn pdf(id: i64, host: Option<String>, ctx: Ctx) -> Response {
    let result = async {
        ctx.staff()?;
        let school = ctx.school.name.clone();
        let site = site(host.as_deref(), ctx.state.lan_site.as_deref());
        let (request, pack) = ctx
            .state
            .library
            .long_job(JobClass::Staff, move |core| {
                let (request, pack) = core.print_pack(id, &school, site.as_deref())?;
                Ok((request, open_pack(pack)?))
            })
            .await?;
        let day = french_date(request.created.date());
        Ok(send_pack(
            pack,
            &format!("Impression n° {} - {day}.pdf", request.ticket),
        ))
    };
    ctx.page(result.await)
}
