//! The school settings: kept in the catalog, cached in memory because every page shows them.

use std::sync::RwLock;

use crate::model::School;

use super::{Core, Error};

const KEY: &str = "school";

/// The cached settings; `None` until first read.
#[derive(Debug, Default)]
pub(super) struct SchoolCache(RwLock<Option<School>>);

impl Core {
    /// The school settings; `default_name` is used until an admin saves settings.
    pub fn school(&self, default_name: &str) -> Result<School, Error> {
        if let Some(school) = self.cached_school() {
            return Ok(school);
        }
        let stored = self.store.catalog().setting(KEY)?;
        let school = stored
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_else(|| School::with_name(default_name));
        *self.school.0.write().unwrap_or_else(|p| p.into_inner()) = Some(school.clone());
        Ok(school)
    }

    /// The school settings if they were read already (memory only: never blocks on the disk).
    pub(super) fn cached_school(&self) -> Option<School> {
        self.school
            .0
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// True the first time it is called with `key` in this data folder, false ever after.
    pub fn first_time(&self, key: &str) -> Result<bool, Error> {
        let marker = format!("once:{key}");
        let catalog = self.store.catalog();
        if catalog.setting(&marker)?.is_some() {
            return Ok(false);
        }
        catalog.set_setting(&marker, "done")?;
        Ok(true)
    }

    pub fn set_school(&self, school: &School) -> Result<(), Error> {
        if school.name.trim().is_empty() {
            return Err(Error::InvalidInput(
                "le nom de l'établissement est vide".to_owned(),
            ));
        }
        let json = serde_json::to_string(school).map_err(|e| Error::Internal(Box::new(e)))?;
        self.store.catalog().set_setting(KEY, &json)?;
        *self.school.0.write().unwrap_or_else(|p| p.into_inner()) = Some(school.clone());
        Ok(())
    }
}
