//! The state of one editing session: the three editable regions of the page, the fields of the
//! side panel, and the counters that tell whether anything is unsaved.

use leptos::prelude::*;

use crate::model::{Attachment, EditablePost, PostEdit};

/// The editor's view of its three editable regions.
#[derive(Clone, Copy)]
pub(super) struct Regions {
    pub(super) title: NodeRef<leptos::html::H1>,
    pub(super) lead: NodeRef<leptos::html::P>,
    pub(super) body: NodeRef<leptos::html::Div>,
}

impl Regions {
    fn read(&self) -> Option<(String, String, String)> {
        Some((
            self.title.get_untracked()?.inner_text(),
            self.lead.get_untracked()?.inner_text(),
            self.body.get_untracked()?.inner_html(),
        ))
    }

    fn write(&self, title: &str, lead: &str, body: &str) {
        if let Some(el) = self.title.get_untracked() {
            el.set_inner_text(title);
        }
        if let Some(el) = self.lead.get_untracked() {
            el.set_inner_text(lead);
        }
        if let Some(el) = self.body.get_untracked() {
            el.set_inner_html(body);
        }
    }
}

/// The state of one editing session.
#[derive(Clone, Copy)]
pub(super) struct Session {
    pub(super) id: RwSignal<Option<i64>>,
    pub(super) version: RwSignal<i64>,
    pub(super) slug: RwSignal<String>,
    pub(super) category: RwSignal<String>,
    pub(super) published_local: RwSignal<String>,
    pub(super) description: RwSignal<String>,
    pub(super) image: RwSignal<Option<Attachment>>,
    pub(super) image_alt: RwSignal<String>,
    /// Bumped at every change; a save clears the dirty state only if nothing changed since.
    pub(super) edits: RwSignal<u64>,
    pub(super) saved_edits: RwSignal<u64>,
    /// The edit count last copied to the browser's storage.
    pub(super) copied_edits: RwSignal<u64>,
    pub(super) saving: RwSignal<bool>,
    pub(super) status: RwSignal<Option<Result<String, String>>>,
    pub(super) conflict: RwSignal<Option<EditablePost>>,
    pub(super) sign_in_needed: RwSignal<bool>,
    pub(super) regions: Regions,
}

impl Session {
    /// A session on `post` as stored, nothing changed yet.
    pub(super) fn new(post: &EditablePost) -> Session {
        Session {
            id: RwSignal::new(post.id),
            version: RwSignal::new(post.version),
            slug: RwSignal::new(post.slug.clone()),
            category: RwSignal::new(post.category_id.map(|c| c.to_string()).unwrap_or_default()),
            published_local: RwSignal::new(post.published_local.clone()),
            description: RwSignal::new(post.description.clone()),
            image: RwSignal::new(post.image.clone()),
            image_alt: RwSignal::new(post.image_alt.clone()),
            edits: RwSignal::new(0),
            saved_edits: RwSignal::new(0),
            copied_edits: RwSignal::new(0),
            saving: RwSignal::new(false),
            status: RwSignal::new(None),
            conflict: RwSignal::new(None),
            sign_in_needed: RwSignal::new(false),
            regions: Regions {
                title: NodeRef::new(),
                lead: NodeRef::new(),
                body: NodeRef::new(),
            },
        }
    }

    /// Counts one change, and copies the text to the browser's storage at once: nothing typed
    /// is lost to a navigation, a crash or a closed tab.
    pub(super) fn changed(&self) {
        self.edits.update(|n| *n += 1);
        self.copy_locally();
    }

    pub(super) fn dirty(&self) -> bool {
        self.edits.get_untracked() != self.saved_edits.get_untracked()
    }

    /// What a save sends: the regions as they are now and the fields of the panel.
    pub(super) fn collect(&self) -> Option<PostEdit> {
        let (title, lead, body_html) = self.regions.read()?;
        Some(PostEdit {
            id: self.id.get_untracked(),
            base_version: self.version.get_untracked(),
            slug: self.slug.get_untracked(),
            title,
            lead,
            body_html,
            description: self.description.get_untracked(),
            category_id: self.category.get_untracked().parse().ok(),
            published_local: self.published_local.get_untracked(),
            image_id: self.image.get_untracked().map(|a| a.id),
            image_alt: self.image_alt.get_untracked(),
        })
    }

    /// Puts `edit` (a copy kept in the browser, or the version saved by someone else) in the
    /// regions and the panel.
    pub(super) fn apply(&self, edit: &PostEdit, image: Option<Attachment>) {
        self.image.set(image);
        self.image_alt.set(edit.image_alt.clone());
        self.regions.write(&edit.title, &edit.lead, &edit.body_html);
        self.slug.set(edit.slug.clone());
        self.category
            .set(edit.category_id.map(|c| c.to_string()).unwrap_or_default());
        self.published_local.set(edit.published_local.clone());
        self.description.set(edit.description.clone());
    }
}
