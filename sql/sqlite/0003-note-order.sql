-- The card reads a guest's preferences pinned first, then newest, straight
-- from this index, with no sort.
CREATE INDEX guest_notes_preferences ON guest_notes (guest_id, pinned DESC, created_at DESC, id DESC)
	WHERE kind = 'preference';
