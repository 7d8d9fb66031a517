//! The help texts of `cartable user` and its sub-commands (staff accounts and API tokens),
//! French and English side by side; the other commands' are in `texts.rs`.

use super::texts::{about, option, Text};

pub(super) const USER_TEXTS: &[Text] = &[
    about(
        "user",
        "Gérer les comptes du personnel (le premier administrateur, les jetons d'API).",
        "Manage staff accounts (the first admin, API tokens).",
    ),
    about(
        "user add",
        "Créer un compte ; le mot de passe est demandé (ou lu sur l'entrée standard).",
        "Create an account; the password is asked for (or read from standard input).",
    ),
    option(
        "user add",
        "login",
        ("IDENTIFIANT", "LOGIN"),
        "Identifiant du compte (par exemple m.dupont).",
        "The account's login (m.dupont, say).",
    ),
    option(
        "user add",
        "role",
        ("RÔLE", "ROLE"),
        "Rôle : teacher (enseignant, par défaut) ou admin (administrateur).",
        "Role: teacher (the default) or admin.",
    ),
    about(
        "user token",
        "Créer un jeton d'API pour les scripts (écrit sur la sortie standard).",
        "Print a new API token for scripts (on standard output).",
    ),
    option(
        "user token",
        "login",
        ("IDENTIFIANT", "LOGIN"),
        "Identifiant du compte.",
        "The account's login.",
    ),
    option(
        "user token",
        "label",
        ("NOM", "NAME"),
        "Un nom pour reconnaître le jeton dans la liste (par exemple « emploi du temps »).",
        "A name to recognise the token by in the list (\"timetable\", say).",
    ),
    about(
        "user tokens",
        "Lister les jetons d'API (identifiant, compte, création, dernier usage, nom).",
        "List the API tokens (id, account, created, last used, name).",
    ),
    option(
        "user tokens",
        "login",
        ("IDENTIFIANT", "LOGIN"),
        "Seulement les jetons de ce compte (sans lui : ceux de tous les comptes).",
        "Only this account's tokens (without it: every account's).",
    ),
    about(
        "user revoke-token",
        "Révoquer un jeton d'API : il cesse aussitôt de fonctionner.",
        "Revoke an API token: it stops working at once.",
    ),
    option(
        "user revoke-token",
        "id",
        ("JETON", "TOKEN"),
        "L'identifiant court du jeton (8 caractères, donné par « cartable user tokens »).",
        "The token's short id (8 characters, as \"cartable user tokens\" shows it).",
    ),
    about(
        "user password",
        "Changer le mot de passe (demandé, ou lu sur l'entrée standard) ; ferme les sessions du compte et révoque ses jetons d'API.",
        "Set a new password (asked for, or read from standard input); closes the account's sessions and revokes its API tokens.",
    ),
    option(
        "user password",
        "login",
        ("IDENTIFIANT", "LOGIN"),
        "Identifiant du compte.",
        "The account's login.",
    ),
    about(
        "user disable",
        "Désactiver un compte : ses sessions et ses jetons cessent de fonctionner.",
        "Disable an account: its sessions and tokens stop working.",
    ),
    option(
        "user disable",
        "login",
        ("IDENTIFIANT", "LOGIN"),
        "Identifiant du compte.",
        "The account's login.",
    ),
    about(
        "user enable",
        "Réactiver un compte désactivé.",
        "Enable a disabled account again.",
    ),
    option(
        "user enable",
        "login",
        ("IDENTIFIANT", "LOGIN"),
        "Identifiant du compte.",
        "The account's login.",
    ),
    about("user list", "Lister les comptes.", "List the accounts."),
];
