-- Indexes the card reads in order, so it never sorts.

-- Preferences, pinned first, then newest. (Not a partial index: a statement
-- that binds kind would then be prepared again for every binding.)
CREATE INDEX guest_notes_pinned ON guest_notes (guest_id, kind, pinned DESC, created_at DESC, id DESC);

-- A guest's conversation-starter uses, newest first.
DROP INDEX talking_point_uses_guest;
CREATE INDEX talking_point_uses_recent ON talking_point_uses (guest_id, at DESC, id DESC);
