-- Guest memory: notes (preferences, dietary needs, allergies, what was
-- talked about), the business's conversation starters and when each was
-- used with a guest. Notes are searchable through note_fts. Ids are never
-- reused (AUTOINCREMENT), so a deleted note's id never names another.

-- A guest merged into another stays as a row naming the survivor, without
-- name, contact details or search keys, so its id is never given to a new
-- guest; it goes when the survivor goes.
ALTER TABLE guests ADD COLUMN merged_into INTEGER REFERENCES guests (id) ON DELETE CASCADE;
CREATE INDEX guests_merged_into ON guests (merged_into) WHERE merged_into IS NOT NULL;

CREATE TABLE guest_notes (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	guest_id INTEGER NOT NULL REFERENCES guests (id) ON DELETE CASCADE,
	kind TEXT NOT NULL
		CHECK (kind IN ('preference', 'dietary', 'allergy', 'conversation', 'general')),
	text TEXT NOT NULL,
	pinned INTEGER NOT NULL DEFAULT 0,
	-- allergy notes only: one of the 14 major allergens, or 'other'
	allergen TEXT CHECK ((kind = 'allergy') = (allergen IS NOT NULL)),
	-- required on allergies, optional on dietary needs, absent otherwise
	severity TEXT CHECK (severity IS NULL OR (kind IN ('allergy', 'dietary')
		AND severity IN ('mild', 'moderate', 'severe', 'life_threatening'))),
	author_staff_id INTEGER REFERENCES staff (id),
	author_token_id INTEGER REFERENCES api_tokens (id),
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);
CREATE INDEX guest_notes_guest ON guest_notes (guest_id, kind, created_at DESC, id DESC);
CREATE INDEX guest_notes_list ON guest_notes (guest_id, created_at DESC, id DESC);

-- Full-text index over note text, kept in step by triggers. Prefix indexes
-- keep word-prefix queries as cheap as whole words.
CREATE VIRTUAL TABLE note_fts USING fts5 (
	text,
	content = 'guest_notes',
	content_rowid = 'id',
	tokenize = 'unicode61 remove_diacritics 2',
	prefix = '1 2 3'
);
CREATE TRIGGER guest_notes_fts_insert AFTER INSERT ON guest_notes BEGIN
	INSERT INTO note_fts (rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER guest_notes_fts_delete AFTER DELETE ON guest_notes BEGIN
	INSERT INTO note_fts (note_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER guest_notes_fts_update AFTER UPDATE OF text ON guest_notes BEGIN
	INSERT INTO note_fts (note_fts, rowid, text) VALUES ('delete', old.id, old.text);
	INSERT INTO note_fts (rowid, text) VALUES (new.id, new.text);
END;

-- Conversation starters belong to the business. Retired ones stay for
-- the history of their uses.
CREATE TABLE talking_points (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	text TEXT NOT NULL,
	active INTEGER NOT NULL DEFAULT 1,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX talking_points_text ON talking_points (lower(text)) WHERE active = 1;

CREATE TABLE talking_point_uses (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	guest_id INTEGER NOT NULL REFERENCES guests (id) ON DELETE CASCADE,
	talking_point_id INTEGER NOT NULL REFERENCES talking_points (id),
	staff_id INTEGER REFERENCES staff (id),
	token_id INTEGER REFERENCES api_tokens (id),
	at INTEGER NOT NULL
);
CREATE INDEX talking_point_uses_guest ON talking_point_uses (guest_id, talking_point_id, at);

